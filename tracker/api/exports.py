"""Streamed exports of a filtered item list as CSV and JSON, in the spreadsheet format import_items reads.

The rows are tracker.spreadsheet.item_to_row with exactly ITEM_CSV_COLUMNS. The queryset is read
with .iterator(chunk_size=BATCH_SIZE) (a server-side cursor on PostgreSQL; prefetches run per
chunk), and the latest status update of each batch's items comes from one query per batch, so a
million-row export holds one batch in memory and runs a fixed number of queries per batch.
"""

import csv
import json
import tempfile
from itertools import islice

from django.db import connection
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from rest_framework import permissions, serializers
from rest_framework.generics import GenericAPIView
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer

from tracker.api.filtering import filter_items
from tracker.api.links import item_page_url
from tracker.filtersets import ItemFilterSet
from tracker.models import Actor, Citation, Item, StatusUpdate, Theme
from tracker.spreadsheet import ITEM_CSV_COLUMNS, item_to_row, neutralise_cell

BATCH_SIZE = 2000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

EXPORT_FIELDS = (
    "id",
    "reference",
    "kind",
    "title",
    "text",
    "status",
    "review_state",
    "strength",
    "date",
    "target_date",
    "document__id",
    "document__slug",
    "document__title",
    "document__url",
    "section__id",
    "section__number",
)


def export_queryset(queryset):
    actors = Actor.objects.only("id", "slug", "name")
    return (
        queryset.select_related("document", "section")
        .only(*EXPORT_FIELDS)
        .prefetch_related(
            Prefetch("made_by", queryset=actors),
            Prefetch("addressed_to", queryset=actors),
            Prefetch("themes", queryset=Theme.objects.only("id", "slug", "name")),
            Prefetch("citations", queryset=Citation.objects.only("id", "item_id", "quote", "position")),
        )
    )


def latest_updates(item_ids) -> dict[int, StatusUpdate]:
    """The latest status update of each item, in one query."""
    latest = (
        StatusUpdate.objects.filter(item_id=OuterRef("item_id"))
        .order_by("-assessed_on", "-created_at", "-id")
        .values("id")[:1]
    )
    updates = StatusUpdate.objects.filter(item_id__in=item_ids, id=Subquery(latest)).only(
        "id", "item_id", "assessed_on", "note", "evidence_url"
    )
    return {update.item_id: update for update in updates}


def iter_rows(queryset, *, base_url: str = "", batch_size: int = BATCH_SIZE):
    """Yield item_to_row dicts for the queryset, batch by batch."""
    iterator = export_queryset(queryset).iterator(chunk_size=batch_size)
    page_url = item_page_url(base_url)
    while batch := list(islice(iterator, batch_size)):
        updates = latest_updates([item.pk for item in batch])
        for item in batch:
            yield item_to_row(item, latest_update=updates.get(item.pk), url=page_url(item.reference))


class _Echo:
    def write(self, value):
        return value


# Excel reads a CSV as UTF-8 only after a byte order mark (without it "…" and curly quotes are garbled);
# import_items and Python's "utf-8-sig" skip it.
BOM = "\ufeff"


def iter_csv(rows):
    writer = csv.DictWriter(_Echo(), fieldnames=ITEM_CSV_COLUMNS)
    yield BOM + writer.writeheader()
    lines: list[str] = []
    for row in rows:
        lines.append(writer.writerow({key: neutralise_cell(value) for key, value in row.items()}))
        if len(lines) >= 500:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


def write_xlsx(rows, file) -> None:
    """The rows as one worksheet, header row first and frozen. Every cell is a string cell: a value
    starting with "=" stays text (openpyxl would otherwise store it as a formula)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Items")
    sheet.freeze_panes = "B2"

    def cells(values):
        for value in values:
            cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
            cell.data_type = "s"
            yield cell

    sheet.append(list(cells(ITEM_CSV_COLUMNS)))
    for row in rows:
        sheet.append(list(cells(row[column] for column in ITEM_CSV_COLUMNS)))
    workbook.save(file)


def iter_json(rows):
    yield "["
    first = True
    for row in rows:
        yield ("\n" if first else ",\n") + json.dumps(row, ensure_ascii=False)
        first = False
    yield "\n]\n"


class IgnoreClientContentNegotiation(BaseContentNegotiation):
    """The export's format is in its URL; errors are always JSON, whatever the Accept header."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ItemExportView(GenericAPIView):
    permission_classes = [permissions.AllowAny]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = IgnoreClientContentNegotiation
    queryset = Item.objects.all()
    filterset_class = ItemFilterSet
    pagination_class = None
    export_format = "csv"

    def get(self, request):
        queryset = filter_items(request).qs
        # Connect before the response starts: once streaming, an unreachable database can no longer be a 503.
        connection.ensure_connection()
        base_url = request.build_absolute_uri("/")[:-1]
        rows = iter_rows(queryset, base_url=base_url)
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        filename = f"items-{stamp}.{self.export_format}"
        if self.export_format == "xlsx":
            # A zip file is written whole before it is sent: spooled to disk past 10 MB.
            file = tempfile.SpooledTemporaryFile(max_size=10 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
            write_xlsx(rows, file)
            file.seek(0)
            return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
        if self.export_format == "csv":
            response = StreamingHttpResponse(iter_csv(rows), content_type="text/csv; charset=utf-8")
        else:
            response = StreamingHttpResponse(iter_json(rows), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


_EXPORT_DOC = (
    "Every item matching the filters (the same parameters as the item list, without pagination), streamed. "
    "Columns: " + ", ".join(ITEM_CSV_COLUMNS) + ". The file is what `manage.py import_items` reads back."
)
_ERRORS = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="Invalid filter: per-field messages."),
    429: OpenApiResponse(OpenApiTypes.OBJECT, description="Throttled."),
}


@extend_schema(
    summary="Export the filtered items as CSV",
    description=_EXPORT_DOC,
    responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV, header row first."), **_ERRORS},
)
class ItemCSVExportView(ItemExportView):
    export_format = "csv"

    def get(self, request):
        return super().get(request)


@extend_schema(
    summary="Export the filtered items as JSON",
    description=_EXPORT_DOC + " JSON: an array of objects with those keys.",
    responses={
        200: OpenApiResponse(
            inline_serializer(
                "ItemExportRow", fields={c: serializers.CharField() for c in ITEM_CSV_COLUMNS}, many=True
            ),
            description="Array of rows (objects with the spreadsheet columns as keys, every value a string).",
        ),
        **_ERRORS,
    },
)
class ItemJSONExportView(ItemExportView):
    export_format = "json"

    def get(self, request):
        return super().get(request)


@extend_schema(
    summary="Export the filtered items as an Excel workbook",
    description=_EXPORT_DOC.replace("The file is what `manage.py import_items` reads back.", "")
    + " One worksheet, header row first; every cell is text.",
    responses={(200, XLSX_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="XLSX workbook."), **_ERRORS},
)
class ItemXLSXExportView(ItemExportView):
    export_format = "xlsx"

    def get(self, request):
        return super().get(request)
