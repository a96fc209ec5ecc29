"""The item spreadsheet format: the columns the API exports and `import_items` reads back.

Multi-valued cells (actors, themes) hold slugs separated by "; ". The status columns describe
the item's latest status update; on import, a changed status (or a new status date) records a
new update and never rewrites the history. In the CSV, a cell a spreadsheet would take for a formula
is written with a leading apostrophe, which the import removes (neutralise_cell, restore_cell).
"""

from tracker.enums import ItemKind, ReviewState, Status, Strength

ITEM_CSV_COLUMNS: tuple[str, ...] = (
    "reference",
    "kind",
    "kind_label",
    "title",
    "text",
    "quote",
    "status",
    "status_label",
    "status_date",
    "status_note",
    "status_evidence_url",
    "review_state",
    "review_state_label",
    "strength",
    "strength_label",
    "date",
    "target_date",
    "document",
    "document_title",
    "source_url",
    "section",
    "made_by",
    "made_by_names",
    "addressed_to",
    "addressed_to_names",
    "themes",
    "theme_names",
    "url",
)

# Columns for people reading the file (labels beside codes, the quote, the source): the import
# ignores them, as they follow from the other columns and from the database.
DERIVED_COLUMNS: tuple[str, ...] = (
    "kind_label",
    "quote",
    "status_label",
    "review_state_label",
    "strength_label",
    "document_title",
    "source_url",
    "made_by_names",
    "addressed_to_names",
    "theme_names",
    "url",
)

# Between the quotes of an item cited in several places.
QUOTE_SEPARATOR = " […] "

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


def _label(choices, value: str) -> str:
    return dict(choices.choices).get(value, value)


def join_names(objects) -> str:
    return LIST_SEPARATOR.join(obj.name for obj in objects)


def item_to_row(item, *, latest_update=None, url: str = "") -> dict[str, str]:
    """One spreadsheet row. Expects made_by, addressed_to, themes and citations prefetched and
    document/section selected."""
    made_by, addressed_to, themes = item.made_by.all(), item.addressed_to.all(), item.themes.all()
    return {
        "reference": item.reference,
        "kind": item.kind,
        "kind_label": _label(ItemKind, item.kind),
        "title": item.title,
        "text": item.text,
        "quote": QUOTE_SEPARATOR.join(citation.quote for citation in item.citations.all()),
        "status": item.status,
        "status_label": _label(Status, item.status),
        "status_date": latest_update.assessed_on.isoformat() if latest_update else "",
        "status_note": latest_update.note if latest_update else "",
        "status_evidence_url": latest_update.evidence_url if latest_update else "",
        "review_state": item.review_state,
        "review_state_label": _label(ReviewState, item.review_state),
        "strength": item.strength,
        "strength_label": _label(Strength, item.strength),
        "date": item.date.isoformat() if item.date else "",
        "target_date": item.target_date.isoformat() if item.target_date else "",
        "document": item.document.slug,
        "document_title": item.document.title,
        "source_url": item.document.url,
        "section": item.section.number if item.section_id else "",
        "made_by": join_slugs(made_by),
        "made_by_names": join_names(made_by),
        "addressed_to": join_slugs(addressed_to),
        "addressed_to_names": join_names(addressed_to),
        "themes": join_slugs(themes),
        "theme_names": join_names(themes),
        "url": url,
    }
