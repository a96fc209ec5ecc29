"""Read back the item spreadsheet (the API's CSV export) and apply reviewers' edits.

Every row is validated before anything is written, and all errors are reported together with
their row numbers (the header is row 1, as a spreadsheet shows it). Items are matched by
reference. Editable columns: title, review_state, strength, target_date, made_by, addressed_to,
themes, and the status columns (a changed status, date, note or evidence records a new status
update; the history is never rewritten). The columns for readers (labels, names, quote, document
title, source and item URLs) are ignored. The other exported columns are read-only: a changed
value there is an error rather than an edit silently ignored.
"""

import csv
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from tracker import services
from tracker.enums import ReviewState, Status, Strength
from tracker.models import Actor, Item, StatusUpdate, Theme
from tracker.spreadsheet import DERIVED_COLUMNS, ITEM_CSV_COLUMNS, item_to_row, restore_cell, split_cell

EDITABLE_COLUMNS = ("title", "review_state", "strength", "target_date", "made_by", "addressed_to", "themes")
STATUS_COLUMNS = ("status", "status_date", "status_note", "status_evidence_url")
READ_ONLY_COLUMNS = tuple(
    c for c in ITEM_CSV_COLUMNS if c not in (*EDITABLE_COLUMNS, *STATUS_COLUMNS, *DERIVED_COLUMNS, "reference")
)
CHANGE_REASON = "import_items"
EVIDENCE_URL_MAX_LENGTH = StatusUpdate._meta.get_field("evidence_url").max_length


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self):
        return f"row {self.row}, column '{self.column}': {self.message}"


class SpreadsheetError(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


@dataclass
class _Change:
    item: Item
    fields: dict = field(default_factory=dict)
    relations: dict = field(default_factory=dict)
    status_update: dict | None = None


@dataclass
class ItemsImportResult:
    rows: int = 0
    items_changed: list[str] = field(default_factory=list)
    status_updates: int = 0
    dry_run: bool = False


class _Lookup:
    """Actors and themes by slug, by name and (actors) by alias, case-insensitively."""

    def __init__(self):
        self.actors: dict[str, Actor] = {}
        for actor in Actor.objects.all():
            for key in (actor.slug, actor.name, *actor.aliases):
                self.actors.setdefault(key.casefold(), actor)
        self.themes: dict[str, Theme] = {}
        for theme in Theme.objects.all():
            for key in (theme.slug, theme.name):
                self.themes.setdefault(key.casefold(), theme)


def import_items_csv(stream, *, user=None, dry_run: bool = False) -> ItemsImportResult:
    """Validate every row of the CSV in `stream` (text), then apply all changes in one transaction."""
    # Strict: an unterminated quote (a truncated file) or a stray one is an error, not a cell that
    # silently swallows the rest of the file.
    reader = csv.DictReader(stream, strict=True)
    rows = _read_rows(reader)
    header = list(reader.fieldnames or [])
    errors = _check_header(header)
    if errors:
        raise SpreadsheetError(errors)
    # Cells as the export wrote them: undo its formula neutralisation (tracker.spreadsheet).
    rows = [
        {key: restore_cell(value) if isinstance(value, str) else value for key, value in row.items()} for row in rows
    ]
    # A NUL is refused first: PostgreSQL cannot even look such a reference up.
    errors = [error for number, row in enumerate(rows, start=2) for error in _nul_errors(number, row)]
    clean = {number for number, row in enumerate(rows, start=2)} - {error.row for error in errors}
    items = _items_by_reference(
        (row.get("reference") or "").strip() for number, row in enumerate(rows, start=2) if number in clean
    )
    lookup = _Lookup()
    changes: list[_Change] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        if number not in clean:
            continue
        change = _validate_row(number, row, items, lookup, seen, errors)
        if change is not None:
            changes.append(change)
    if errors:
        raise SpreadsheetError(errors)
    result = ItemsImportResult(rows=len(rows), dry_run=dry_run)
    with transaction.atomic():
        for change in changes:
            _apply(change, user, result)
        if dry_run:
            transaction.set_rollback(True)
    return result


def _read_rows(reader: csv.DictReader) -> list[dict]:
    """Every record, or a SpreadsheetError naming the row (and the file's line) that is not valid CSV."""
    rows: list[dict] = []
    header_read = False
    try:
        header = list(reader.fieldnames or [])  # reads the header row
        # The export's byte order mark, from a stream not read as utf-8-sig.
        if header and header[0].startswith("\ufeff"):
            header[0] = header[0][1:]
            reader.fieldnames = header
        header_read = True
        last_line = reader.line_num
        for row in reader:
            rows.append(row)
            last_line = reader.line_num
    except csv.Error as exc:
        number, line = (len(rows) + 2, last_line + 1) if header_read else (1, 1)
        if str(exc) == "unexpected end of data":
            message = f"the file ends inside a quoted cell begun on line {line} or later: is the file truncated?"
        else:
            message = f"not a valid CSV row (line {line}): {exc}"
        raise SpreadsheetError([RowError(number, "", message)]) from None
    return rows


def _nul_errors(number: int, row: dict) -> list[RowError]:
    return [
        RowError(
            number,
            column,
            f"holds a NUL character (U+0000) at position {value.index(chr(0)) + 1}, which a cell may not contain",
        )
        for column, value in row.items()
        if isinstance(value, str) and "\x00" in value
    ]


def _check_header(header: list[str]) -> list[RowError]:
    if "reference" not in header:
        return [RowError(1, "reference", "the header has no 'reference' column, which identifies the items")]
    errors = [RowError(1, name, "unknown column") for name in header if name not in ITEM_CSV_COLUMNS]
    errors += [RowError(1, name, "column appears twice") for name in set(header) if header.count(name) > 1]
    return errors


def _items_by_reference(references) -> dict[str, Item]:
    latest = StatusUpdate.objects.order_by("item_id", "-assessed_on", "-created_at", "-id")
    queryset = (
        Item.objects.filter(reference__in=[r for r in references if r])
        .select_related("document", "section")
        .prefetch_related("made_by", "addressed_to", "themes", "citations", Prefetch("status_updates", queryset=latest))
    )
    return {item.reference: item for item in queryset}


def _validate_row(number, row, items, lookup, seen, errors) -> _Change | None:
    def error(column, message):
        errors.append(RowError(number, column, message))

    if None in row:  # csv puts cells beyond the header under the key None
        error("", "the row has more cells than the header")
    reference = (row.get("reference") or "").strip()
    if not reference:
        error("reference", "empty")
        return None
    if reference in seen:
        error("reference", f"{reference} already appears on row {seen[reference]}")
        return None
    seen[reference] = number
    item = items.get(reference)
    if item is None:
        error("reference", f"no item has the reference {reference!r}")
        return None
    latest = next(iter(item.status_updates.all()), None)
    current = item_to_row(item, latest_update=latest)
    change = _Change(item=item)

    for column in READ_ONLY_COLUMNS:
        if column in row and (row[column] or "").strip() != current[column].strip():
            error(column, f"read-only column changed from {current[column]!r} to {row[column]!r}")

    if "title" in row:
        title = (row["title"] or "").strip()
        if not title:
            error("title", "a title cannot be empty")
        elif len(title) > 200:
            error("title", f"{len(title)} characters; at most 200")
        elif title != item.title.strip():  # surrounding whitespace alone is no edit
            change.fields["title"] = title
    for column, choices in (("review_state", ReviewState), ("strength", Strength)):
        if column in row:
            value = (row[column] or "").strip()
            if value not in choices.values:
                error(column, f"{value!r} is not one of {', '.join(choices.values)}")
            elif value != getattr(item, column):
                change.fields[column] = value
    if "target_date" in row:
        value = (row["target_date"] or "").strip()
        parsed = _parse_date(value, "target_date", error) if value else None
        if parsed is not False and parsed != item.target_date:
            change.fields["target_date"] = parsed
    for column, pool in (("made_by", lookup.actors), ("addressed_to", lookup.actors), ("themes", lookup.themes)):
        if column in row:
            names = split_cell(row[column])
            unknown = [name for name in names if name.casefold() not in pool]
            if unknown:
                error(column, f"unknown {'theme' if column == 'themes' else 'actor'}: {', '.join(unknown)}")
                continue
            wanted = {pool[name.casefold()].pk: pool[name.casefold()] for name in names}
            if set(wanted) != {obj.pk for obj in getattr(item, column).all()}:
                change.relations[column] = list(wanted.values())
    _validate_status(row, current, change, error)
    return change if (change.fields or change.relations or change.status_update) else None


def _validate_status(row, current, change, error) -> None:
    if not any(column in row for column in STATUS_COLUMNS):
        return
    values = {column: (row.get(column, current[column]) or "").strip() for column in STATUS_COLUMNS}
    if values == {column: current[column].strip() for column in STATUS_COLUMNS}:
        return
    if values["status"] not in Status.values:
        error("status", f"{values['status']!r} is not on the status scale ({', '.join(Status.values)})")
        return
    assessed_on = timezone.localdate()
    if values["status_date"]:
        assessed_on = _parse_date(values["status_date"], "status_date", error)
        if assessed_on is False:
            return
    if len(values["status_evidence_url"]) > EVIDENCE_URL_MAX_LENGTH:
        error(
            "status_evidence_url", f"{len(values['status_evidence_url'])} characters; at most {EVIDENCE_URL_MAX_LENGTH}"
        )
        return
    if values["status_evidence_url"]:
        try:
            URLValidator()(values["status_evidence_url"])
        except ValidationError:
            error("status_evidence_url", f"{values['status_evidence_url']!r} is not a valid URL")
            return
    change.status_update = {
        "status": values["status"],
        "assessed_on": assessed_on,
        "note": values["status_note"],
        "evidence_url": values["status_evidence_url"],
    }


def _parse_date(value: str, column: str, error) -> date | bool:
    try:
        return date.fromisoformat(value)
    except ValueError:
        error(column, f"{value!r} is not a date in the form YYYY-MM-DD")
        return False


def _apply(change: _Change, user, result: ItemsImportResult) -> None:
    item = change.item
    if change.fields or change.relations:
        for name, value in change.fields.items():
            setattr(item, name, value)
        item._change_reason = CHANGE_REASON
        if user is not None:
            item._history_user = user
        item.save()
        for name, objects in change.relations.items():
            getattr(item, name).set(objects)
    if change.status_update:
        services.record_status_update(item=item, author=user, origin=CHANGE_REASON, **change.status_update)
        result.status_updates += 1
    result.items_changed.append(item.reference)
