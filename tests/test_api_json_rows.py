"""The item list's two renderers agree: PostgreSQL's tracker_item_rows_json and Python's build_rows.

On PostgreSQL the item list's rows are rendered by a database function (tracker.api.json_rows);
single items and every SQLite page by tracker.api.rows.build_rows. These tests give both the same
awkward data (names that sort differently by collation, citations out of id order, no section, no
date, a status as of a date) and require the same JSON.
"""

import json
from datetime import UTC, date

import pytest
from django.db import connection
from django.urls import set_script_prefix

from tests import factories
from tracker.api.json_rows import page_json
from tracker.api.renderers import JSONRenderer, RawJSON
from tracker.api.rows import build_rows, item_page_affixes, row_keys, row_values, utc_timestamp
from tracker.enums import Status
from tracker.models import Item

BASE = "https://tracker.example.org"


@pytest.fixture
def awkward_items(db):
    doc = factories.DocumentFactory(slug="doc-x", title="Ünïcode “title” <b>")
    other_doc = factories.DocumentFactory(slug="doc-y")
    section = factories.SectionFactory(document=doc, number="4.1", heading='Quotes " and \\ backslashes')
    # Code point order: "Zeta" < "alpha" < "Ökumene"; a collation-aware sort would give alpha, Ökumene, Zeta.
    zeta, alpha, okumene = (
        factories.ActorFactory(name=name, slug=slug)
        for name, slug in [("Zeta", "zeta"), ("alpha", "alpha"), ("Ökumene", "okumene")]
    )
    root = factories.ThemeFactory(slug="t-root", name="Root")
    # Paths in code point order: t-root/Zed < t-root/alpha (a collation would put alpha first).
    child_a = factories.ThemeFactory(slug="alpha", name="Alpha child", parent=root)
    child_z = factories.ThemeFactory(slug="Zed", name="Zed child", parent=root)
    first = factories.ItemFactory(
        reference="X-1",
        title="Tab\tand newline\nand </script>",
        document=doc,
        section=section,
        made_by=[okumene, alpha, zeta],
        addressed_to=[zeta],
        themes=[child_a, root, child_z],
        target_date=date(2030, 1, 1),
    )
    second = factories.ItemFactory(reference="X-2", document=other_doc, date=None, made_by=[], themes=[])
    third = factories.ItemFactory(reference="X-3", document=doc, addressed_to=[alpha, okumene])
    # Citations created in the opposite order of their positions.
    factories.CitationFactory(item=first, position=2, start=0, end=5)
    factories.CitationFactory(item=first, position=1, start=6, end=12)
    factories.CitationFactory(item=first, document=other_doc, position=1, start=13, end=20)
    factories.StatusUpdateFactory(item=first, status=Status.STALLED, assessed_on=date(2019, 1, 1))
    factories.StatusUpdateFactory(item=first, status=Status.IMPLEMENTED, assessed_on=date(2023, 1, 1))
    return [third, first, second]


def _both(items, *, as_of=None):
    queryset = Item.objects.filter(pk__in=[item.pk for item in items])
    if as_of:
        queryset = queryset.with_status_as_of(as_of)
    by_id = {row["id"]: row for row in row_values(queryset)}
    keys = dict(row_keys(queryset))
    order = [item.pk for item in items]
    python = build_rows([by_id[pk] for pk in order], base=BASE, as_of=as_of)
    database = json.loads(page_json([(pk, keys[pk]) for pk in order], base=BASE, as_of=as_of))
    return python, database


@pytest.mark.postgres_only
def test_the_database_renders_the_same_rows_as_python(awkward_items):
    python, database = _both(awkward_items)
    assert [row["reference"] for row in database] == ["X-3", "X-1", "X-2"]
    assert database == python
    first = database[1]
    assert [actor["name"] for actor in first["made_by"]] == ["Zeta", "alpha", "Ökumene"]
    assert [theme["slug"] for theme in first["themes"]] == ["t-root", "Zed", "alpha"]
    assert [(c["document_slug"], c["start"]) for c in first["citations"]] == [("doc-x", 6), ("doc-y", 13), ("doc-x", 0)]


@pytest.mark.postgres_only
def test_the_database_renders_the_status_as_of_a_date(awkward_items):
    python, database = _both(awkward_items, as_of=date(2020, 6, 1))
    assert database == python
    assert [(row["reference"], row["status"], row["as_of"]) for row in database] == [
        ("X-3", Status.UNKNOWN, "2020-06-01"),
        ("X-1", Status.STALLED, "2020-06-01"),
        ("X-2", Status.UNKNOWN, "2020-06-01"),
    ]


@pytest.mark.postgres_only
def test_the_function_runs_its_generic_plan(db):
    # Left to choose, PL/pgSQL re-planned the statement on every call for small pages (planning cost
    # ten times the run: migration 0006); its plan does not depend on the ids it is given.
    with connection.cursor() as cursor:
        cursor.execute("SELECT proconfig FROM pg_proc WHERE proname = 'tracker_item_rows_json'")
        assert cursor.fetchall() == [(["plan_cache_mode=force_generic_plan"],)]


@pytest.mark.postgres_only
def test_an_empty_page_is_an_empty_array(db):
    assert page_json([]) == "[]"


def test_updated_at_is_utc_with_microseconds(awkward_items):
    item = Item.objects.get(reference="X-1")
    stamp = utc_timestamp(item.updated_at)
    assert stamp == item.updated_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ") and stamp.endswith("Z")
    row = build_rows(list(row_values(Item.objects.filter(pk=item.pk))))[0]
    assert row["updated_at"] == stamp


def test_the_renderer_splices_raw_json_into_the_envelope():
    data = {"next": "http://x/?page=2", "results": RawJSON('[{"a": "\\u0000raw0\\u0000 <b>"}]'), "page": 1}
    rendered = JSONRenderer().render(data)
    assert json.loads(rendered) == {"next": "http://x/?page=2", "results": [{"a": "\x00raw0\x00 <b>"}], "page": 1}


def test_the_renderer_renders_plain_data_as_drf_does():
    data = {"results": [{"name": "Ökumene"}], "next": None}
    assert JSONRenderer().render(data) == b'{"results":[{"name":"\xc3\x96kumene"}],"next":null}'


def test_the_browsable_api_renders_the_item_list(client, awkward_items):
    response = client.get("/api/v1/items/", {"format": "api"}, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"X-1" in response.content and b"&lt;/script&gt;" in response.content


def test_item_page_urls_follow_the_script_prefix():
    # The reversed URL parts are cached per script prefix: a site mounted under /tracker/ links there.
    assert item_page_affixes("https://x") == ("https://x/items/", "/")
    set_script_prefix("/tracker/")
    try:
        assert item_page_affixes("https://x") == ("https://x/tracker/items/", "/")
    finally:
        set_script_prefix("/")
    assert item_page_affixes("https://x") == ("https://x/items/", "/")


def _function_body_in_file() -> str:
    from tracker.api.json_rows import FUNCTION_SQL

    return FUNCTION_SQL.read_text(encoding="utf-8").split("$$", 2)[1]


@pytest.mark.postgres_only
def test_the_installed_function_is_the_sql_file(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = 'tracker_item_rows_json'")
        assert cursor.fetchall() == [(_function_body_in_file(),)]


@pytest.mark.postgres_only
def test_migrate_reinstalls_the_function_from_the_file(awkward_items):
    from django.core.management.sql import emit_post_migrate_signal

    with connection.cursor() as cursor:
        cursor.execute("DROP FUNCTION tracker_item_rows_json(bigint[], text[], date, text, text, text, text)")
    # What `migrate` sends when it is done, even with no migration to apply (DDL rolls back with the test).
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    python, database = _both(awkward_items)
    assert database == python


def test_old_migrations_hold_no_function_sql():
    from importlib import import_module

    for name in ("0005_item_rows_json_function", "0006_faster_item_rows_json"):
        module = import_module(f"tracker.migrations.{name}")
        assert not hasattr(module, "FORWARD") and not hasattr(module, "BACKWARD"), name


def test_api_urls_follow_the_script_prefix(awkward_items):
    # /api/v1/ URLs are reversed, not written out: a site mounted under /tracker/ links there.
    set_script_prefix("/tracker/")
    try:
        python, database = (
            _both(awkward_items) if connection.vendor == "postgresql" else (_python_rows(awkward_items), None)
        )
    finally:
        set_script_prefix("/")
    pk = awkward_items[0].pk
    assert python[0]["api_url"] == f"{BASE}/tracker/api/v1/items/{pk}/"
    assert python[0]["status_history_url"] == f"{BASE}/tracker/api/v1/status-updates/?item={pk}"
    assert python[0]["url"] == f"{BASE}/tracker/items/X-3/"
    if database is not None:
        assert database == python


def _python_rows(items):
    by_id = {row["id"]: row for row in row_values(Item.objects.filter(pk__in=[item.pk for item in items]))}
    return build_rows([by_id[item.pk] for item in items], base=BASE)


def test_render_page_gives_the_same_rows_on_every_database(awkward_items):
    from tracker.api.rows import render_page

    queryset = Item.objects.filter(pk__in=[item.pk for item in awkward_items]).order_by("reference")
    page = render_page(queryset, list, base=BASE)
    rows = json.loads(page) if isinstance(page, RawJSON) else page
    assert rows == _python_rows(sorted(awkward_items, key=lambda item: item.reference))
    assert isinstance(page, RawJSON) == (connection.vendor == "postgresql")
