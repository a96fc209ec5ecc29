"""The item spreadsheet format: the columns the API exports and `import_items` reads back.

Multi-valued cells (actors, themes) hold slugs separated by "; ". The status columns describe
the item's latest status update; on import, a changed status (or a new status date) records a
new update and never rewrites the history. In the CSV, a cell a spreadsheet would take for a formula
is written with a leading apostrophe, which the import removes (neutralise_cell, restore_cell).
"""

ITEM_CSV_COLUMNS: tuple[str, ...] = (
    "reference",
    "kind",
    "title",
    "text",
    "status",
    "status_date",
    "status_note",
    "status_evidence_url",
    "review_state",
    "strength",
    "date",
    "target_date",
    "document",
    "section",
    "made_by",
    "addressed_to",
    "themes",
    "url",
)

LIST_SEPARATOR = "; "

# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection"):
# the CSV export writes such a cell with a leading apostrophe, which spreadsheets show as text.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def neutralise_cell(value: str) -> str:
    """The CSV form of a cell: an apostrophe before a formula trigger, and before a leading
    apostrophe too, so that restore_cell can tell the two apart (the round trip is lossless)."""
    if value and value.startswith((*FORMULA_TRIGGERS, ESCAPE)):
        return ESCAPE + value
    return value


def restore_cell(value: str | None) -> str | None:
    """The value neutralise_cell was given: one leading apostrophe removed."""
    if value and value.startswith(ESCAPE):
        return value[1:]
    return value


def join_slugs(objects) -> str:
    return LIST_SEPARATOR.join(obj.slug for obj in objects)


def split_cell(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(";") if part.strip()]


def item_to_row(item, *, latest_update=None, url: str = "") -> dict[str, str]:
    """One spreadsheet row. Expects made_by, addressed_to and themes prefetched and document/section selected."""
    return {
        "reference": item.reference,
        "kind": item.kind,
        "title": item.title,
        "text": item.text,
        "status": item.status,
        "status_date": latest_update.assessed_on.isoformat() if latest_update else "",
        "status_note": latest_update.note if latest_update else "",
        "status_evidence_url": latest_update.evidence_url if latest_update else "",
        "review_state": item.review_state,
        "strength": item.strength,
        "date": item.date.isoformat() if item.date else "",
        "target_date": item.target_date.isoformat() if item.target_date else "",
        "document": item.document.slug,
        "section": item.section.number if item.section_id else "",
        "made_by": join_slugs(item.made_by.all()),
        "addressed_to": join_slugs(item.addressed_to.all()),
        "themes": join_slugs(item.themes.all()),
        "url": url,
    }
