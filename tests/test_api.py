"""The REST API: reads, filters, errors, pagination, permissions, ETag conflicts, status writes, query counts."""

import re
from datetime import UTC, date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories
from tests.api_world import build_world
from tracker import services
from tracker.enums import STATUS_DEFINITIONS, Status
from tracker.models import Item, StatusUpdate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()  # throttle counters live in the cache
    yield
    cache.clear()


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def client():
    return APIClient()


def token_client(*permissions):
    user = factories.UserFactory(permissions=list(permissions))
    token = Token.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client, user


def refs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["reference"] for row in response.json()["results"]]


# --- reading ----------------------------------------------------------------------------------------------------------


def test_item_list_row_has_the_documented_shape(client, world):
    response = client.get("/api/v1/items/", {"reference": "ignored", "made_by": "nato"})
    row = response.json()["results"][0]
    citation = world.i1.citations.get()
    assert row == {
        "id": world.i1.pk,
        "reference": "W-1",
        "kind": "recommendation",
        "title": "Free trade agreements",
        "text": world.i1.text,
        "status": "implemented",
        "as_of": None,
        "review_state": "confirmed",
        "strength": "must",
        "date": "2006-10-01",
        "target_date": None,
        "document": {"id": world.doc_a.pk, "slug": "doc-a", "title": world.doc_a.title},
        "section": {"id": world.section.pk, "number": "4.3", "heading": "Trade"},
        "made_by": [{"id": world.nato.pk, "slug": "nato", "name": "NATO"}],
        "addressed_to": [{"id": world.serbia.pk, "slug": "serbia", "name": "Serbia"}],
        "themes": [{"id": world.child.pk, "slug": "w-child", "name": "Child theme"}],
        "citations": [
            {
                "id": citation.pk,
                "document": world.doc_a.pk,
                "document_slug": "doc-a",
                "section": None,
                "start": citation.start,
                "end": citation.end,
                "quote": world.i1.text,
            }
        ],
        "updated_at": f"{Item.objects.get(pk=world.i1.pk).updated_at.astimezone(UTC):%Y-%m-%dT%H:%M:%S.%f}Z",
        "api_url": f"http://testserver/api/v1/items/{world.i1.pk}/",
        "url": "http://testserver" + world.i1.get_absolute_url(),
        "status_history_url": f"http://testserver/api/v1/status-updates/?item={world.i1.pk}",
    }
    assert response.json()["next"] is None and response.json()["previous"] is None
    assert "count" not in response.json()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["W-1", "W-2", "W-3", "W-4"]),
        ({"kind": "recommendation"}, ["W-1", "W-4"]),
        ({"status": ["stalled", "implemented"]}, ["W-1", "W-2"]),
        ({"review_state": "needs_review"}, ["W-2"]),
        ({"made_by": "eu"}, ["W-2"]),
        ({"addressed_to": "eu"}, ["W-4"]),
        ({"actor": "nato"}, ["W-1", "W-2"]),
        ({"theme": "w-root"}, ["W-1", "W-2"]),
        ({"document": "doc-b"}, ["W-2", "W-3"]),
        ({"date_after": "2008-01-01", "date_before": "2012-01-01"}, ["W-2"]),
        ({"strength": "could"}, ["W-3"]),
        ({"q": "roma"}, ["W-2"]),
        ({"actor": "serbia", "theme": "w-root"}, ["W-1"]),
        ({"actor": "nato", "theme": "w-root", "status": "stalled", "document": "doc-b"}, ["W-2"]),
        ({"ordering": "-reference"}, ["W-4", "W-3", "W-2", "W-1"]),
    ],
)
def test_item_list_filters_exact_references(client, world, params, expected):
    assert refs(client.get("/api/v1/items/", params)) == expected


def test_item_list_filters_by_section_and_ids(client, world):
    assert refs(client.get("/api/v1/items/", {"section": world.section.pk})) == ["W-1"]
    assert refs(client.get("/api/v1/items/", {"actor": [world.eu.pk, world.nato.pk]})) == ["W-1", "W-2", "W-4"]


def test_item_list_as_of_reports_and_filters_the_status_then(client, world):
    response = client.get("/api/v1/items/", {"as_of": "2021-01-01", "status": "in_progress"})
    rows = response.json()["results"]
    assert [(r["reference"], r["status"], r["as_of"]) for r in rows] == [("W-1", "in_progress", "2021-01-01")]
    response = client.get(f"/api/v1/items/{world.i2.pk}/", {"as_of": "2021-07-01"})
    assert (response.json()["status"], response.json()["as_of"]) == ("stalled", "2021-07-01")


@pytest.mark.parametrize(
    ("params", "body"),
    [
        ({"made_by": "nobody"}, {"made_by": ["Unknown actor id or slug: “nobody”."]}),
        ({"theme": "1e9"}, {"theme": ["Unknown theme id or slug: “1e9”."]}),
        ({"status": "done"}, {"status": ["Select a valid choice. done is not one of the available choices."]}),
        ({"as_of": "2021-02-30"}, {"as_of": ["Enter a valid date."]}),
        ({"date_before": "0"}, {"date_before": ["Enter a valid date."]}),
        ({"section": "-1"}, {"section": ["Unknown section id: “-1”."]}),
        ({"page_size": "0"}, {"page_size": ["Enter a whole number from 1 to 500."]}),
        ({"page_size": "100000"}, {"page_size": ["Enter a whole number from 1 to 500."]}),
    ],
)
def test_item_list_bad_input_is_a_400_per_field(client, world, params, body):
    response = client.get("/api/v1/items/", params)
    assert (response.status_code, response.json()) == (400, body)


@pytest.mark.parametrize("page", ["0", "-3", "abc", "99999999999999999999", "1.5"])
def test_item_list_malformed_page_is_a_404(client, world, page):
    response = client.get("/api/v1/items/", {"page": page})
    assert response.status_code == 404
    assert "Invalid page" in response.json()["detail"]


def test_item_list_pages_past_the_end_or_too_deep_are_404(client, world):
    assert client.get("/api/v1/items/", {"page": 3, "page_size": 2}).status_code == 404
    response = client.get("/api/v1/items/", {"page": 1_000_000, "page_size": 500})
    assert response.status_code == 404
    assert response.json()["detail"].startswith("Page too deep")


def test_item_list_pagination_is_stable_and_links_pages(client, world):
    first = client.get("/api/v1/items/", {"page_size": 3, "ordering": "-date"}).json()
    assert [r["reference"] for r in first["results"]] == ["W-3", "W-2", "W-1"] or [
        r["reference"] for r in first["results"]
    ] == ["W-4", "W-3", "W-2"]
    assert first["next"] == "http://testserver/api/v1/items/?ordering=-date&page=2&page_size=3"
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None
    assert second["previous"] == "http://testserver/api/v1/items/?ordering=-date&page_size=3"
    seen = [r["reference"] for r in first["results"] + second["results"]]
    assert sorted(seen) == ["W-1", "W-2", "W-3", "W-4"]


@pytest.mark.parametrize(
    "path", ["/api/v1/items/0/", "/api/v1/items/999999/", "/api/v1/items/99999999999999999999999/"]
)
def test_item_detail_unknown_or_huge_id_is_a_404(client, world, path):
    assert client.get(path).status_code == 404


def test_item_detail_non_numeric_id_is_a_404(client, world):
    assert client.get("/api/v1/items/W-1/").status_code == 404


def test_item_detail_carries_an_etag(client, world):
    response = client.get(f"/api/v1/items/{world.i1.pk}/")
    assert response.status_code == 200
    assert response.headers["ETag"].startswith(f'"{world.i1.pk}-')
    assert response.json()["reference"] == "W-1"


def test_facets_are_cached_per_filter_and_data_version(client, world, django_assert_num_queries):
    first = client.get("/api/v1/items/facets/", {"actor": "nato", "page": "3"}).json()
    with django_assert_num_queries(1):  # the data version (one primary-key read); the counts come from the cache
        assert client.get("/api/v1/items/facets/", {"page": "1", "actor": "nato"}).json() == first
    assert [(row["value"], row["count"]) for row in first["status"]] == [("implemented", 1), ("stalled", 1)]
    services.record_status_update(item=world.i2, status=Status.IMPLEMENTED, assessed_on=date(2024, 1, 1))
    after = client.get("/api/v1/items/facets/", {"actor": "nato"}).json()  # a new data version: counted again
    assert [(row["value"], row["count"]) for row in after["status"]] == [("implemented", 2)]


def test_facets_endpoint_counts_for_the_same_filters(client, world):
    response = client.get("/api/v1/items/facets/", {"actor": "nato"})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == [
        {"value": "implemented", "label": "Implemented", "count": 1},
        {"value": "stalled", "label": "Stalled", "count": 1},
    ]
    assert body["kind"] == [
        {"value": "recommendation", "label": "Recommendation", "count": 1},
        {"value": "commitment", "label": "Commitment", "count": 1},
    ]
    assert [(d["slug"], d["count"]) for d in body["document"]] == [("doc-a", 1), ("doc-b", 1)]
    assert [(t["path"], t["count"]) for t in body["theme"]] == [("w-root", 2), ("w-root/w-child", 1)]
    assert [(a["slug"], a["count"]) for a in body["actor"]] == [("nato", 2), ("eu", 1), ("serbia", 1)]
    assert client.get("/api/v1/items/facets/", {"theme": "nope"}).json() == {
        "theme": ["Unknown theme id or slug: “nope”."]
    }


def test_status_scale_lists_every_status_with_its_definition(client):
    response = client.get("/api/v1/statuses/")
    assert response.json() == [
        {"value": s.value, "label": s.label, "definition": STATUS_DEFINITIONS[s]} for s in Status
    ]


def test_documents_list_has_sections_but_not_the_text(client, world):
    rows = client.get("/api/v1/documents/").json()["results"]
    assert [r["slug"] for r in rows] == ["doc-a", "doc-b"]
    assert "text" not in rows[0]
    assert rows[0]["sections"] == [
        {
            "id": world.section.pk,
            "number": "4.3",
            "heading": "Trade",
            "start": 0,
            "end": len(world.doc_a.text),
            "parent": None,
        }
    ]
    detail = client.get(f"/api/v1/documents/{world.doc_a.pk}/").json()
    assert detail["text"] == world.doc_a.text


def test_other_resources_list_exact_rows(client, world):
    actors = client.get("/api/v1/actors/").json()["results"]
    assert [a["slug"] for a in actors] == ["eu", "nato", "serbia"]
    themes = client.get("/api/v1/themes/", {"within": "w-root"}).json()["results"]
    assert [t["path"] for t in themes] == ["w-root", "w-root/w-child"]
    citations = client.get("/api/v1/citations/", {"item": world.i1.pk}).json()["results"]
    assert [(c["item"], c["quote"]) for c in citations] == [(world.i1.pk, world.i1.text)]
    updates = client.get("/api/v1/status-updates/", {"item": world.i1.pk}).json()["results"]
    assert [(u["status"], u["assessed_on"]) for u in updates] == [
        ("implemented", "2022-01-01"),
        ("in_progress", "2020-01-01"),
    ]
    link = factories.ItemLinkFactory(source=world.i1, target=world.i2)
    links = client.get("/api/v1/item-links/", {"item": world.i2.pk}).json()["results"]
    assert [(x["id"], x["source"], x["target"]) for x in links] == [(link.pk, world.i1.pk, world.i2.pk)]


# --- query counts: constant whatever the page size ---------------------------------------------------------------


def _query_count(client, url, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/items/",
        "/api/v1/actors/",
        "/api/v1/themes/",
        "/api/v1/documents/",
        "/api/v1/citations/",
        "/api/v1/status-updates/",
        "/api/v1/item-links/",
    ],
)
def test_list_endpoints_run_the_same_number_of_queries_at_two_page_sizes(client, url):
    doc = factories.DocumentFactory()
    actors = factories.ActorFactory.create_batch(3)
    themes = factories.ThemeFactory.create_batch(2)
    items = []
    for n in range(12):
        item = factories.ItemFactory(document=doc, made_by=actors[:2], addressed_to=actors[1:], themes=themes)
        factories.CitationFactory(item=item)
        factories.StatusUpdateFactory(item=item)
        factories.SectionFactory(document=factories.DocumentFactory(), start=0, end=5 + n)
        items.append(item)
    for source, target in zip(items, items[1:], strict=False):
        factories.ItemLinkFactory(source=source, target=target)
    small = _query_count(client, url, {"page_size": 2})
    large = _query_count(client, url, {"page_size": 10})
    assert small == large
    if url == "/api/v1/items/":
        # The data version (the page cache's key), then PostgreSQL: the page's keys + its JSON from
        # tracker_item_rows_json; SQLite: the page + its actors, themes and citations in one UNION ALL.
        # No COUNT either way.
        assert large == 3
        # Actors and themes (with the theme's descendants) come from the per-process copy: both queries on
        # the first request only. The actor filter needs no query to pick a plan (one EXISTS on ActorRole).
        filtered = {"page_size": 10, "actor": actors[0].slug, "theme": themes[0].slug}
        assert _query_count(client, url, filtered) == 5
        # The same page again, data unchanged: the data version only, the page comes from the cache.
        assert _query_count(client, url, filtered) == 1
        factories.StatusUpdateFactory(item=items[0])
        assert _query_count(client, url, filtered) == 3  # a new data version: the page is built again


# --- permissions ------------------------------------------------------------------------------------------------------


def test_anonymous_can_read_but_not_write(client, world):
    assert client.get("/api/v1/items/").status_code == 200
    response = client.patch(f"/api/v1/items/{world.i1.pk}/", {"title": "Changed"}, format="json")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"
    assert client.post(f"/api/v1/items/{world.i1.pk}/status/", {"status": "stalled"}).status_code == 401
    assert client.post("/api/v1/actors/", {"slug": "x", "name": "X", "kind": "state"}).status_code == 401
    assert Item.objects.get(pk=world.i1.pk).title == "Free trade agreements"


def test_authenticated_without_permission_can_read_but_gets_403_on_writes(world):
    client, _ = token_client()
    assert refs(client.get("/api/v1/items/", {"kind": "proposal"})) == ["W-3"]
    assert client.patch(f"/api/v1/items/{world.i1.pk}/", {"title": "Changed"}).status_code == 403
    assert client.post(f"/api/v1/items/{world.i1.pk}/status/", {"status": "stalled"}).status_code == 403
    assert client.delete(f"/api/v1/items/{world.i3.pk}/").status_code == 403
    assert Item.objects.get(pk=world.i1.pk).title == "Free trade agreements"
    assert Item.objects.filter(pk=world.i3.pk).exists()


def test_user_with_change_permission_can_edit_an_item(world):
    client, _ = token_client("tracker.change_item")
    response = client.patch(
        f"/api/v1/items/{world.i1.pk}/", {"title": "Changed", "themes": ["w-other", world.root.pk]}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Changed"
    assert [t["slug"] for t in response.json()["themes"]] == ["w-root", "w-other"] or sorted(
        t["slug"] for t in response.json()["themes"]
    ) == ["w-other", "w-root"]
    assert Item.objects.get(pk=world.i1.pk).title == "Changed"
    assert client.post("/api/v1/items/", {}, format="json").status_code == 403  # change is not add


# A valid new item's body (the world has document doc-a and actor nato).
NEW_ITEM = {
    "reference": "NEW-1",
    "kind": "commitment",
    "title": "New",
    "text": "A new commitment.",
    "document": "doc-a",
    "made_by": ["nato"],
}


def test_user_with_add_permission_creates_an_item_and_model_validation_is_a_400(world):
    client, _ = token_client("tracker.add_item")
    body = dict(NEW_ITEM)
    response = client.post("/api/v1/items/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["reference"] == "NEW-1"
    assert response.json()["made_by"] == [{"id": world.nato.pk, "slug": "nato", "name": "NATO"}]
    assert response.headers["ETag"]
    duplicate = client.post("/api/v1/items/", body, format="json")
    assert duplicate.status_code == 400
    assert list(duplicate.json()) == ["reference"]
    bad = client.post("/api/v1/items/", {**body, "reference": "x y", "kind": "wish", "made_by": ["nobody"]})
    assert bad.status_code == 400
    assert sorted(bad.json()) == ["kind", "made_by", "reference"]
    assert bad.json()["made_by"] == ["Unknown item “nobody” (give an id or a slug)."] or bad.json()["made_by"] == [
        "Unknown actor “nobody” (give an id or a slug)."
    ]


def test_non_json_body_is_a_400(world):
    client, _ = token_client("tracker.change_item")
    response = client.generic("PATCH", f"/api/v1/items/{world.i1.pk}/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")


def test_citation_quote_invariant_is_a_400(world):
    client, _ = token_client("tracker.add_citation")
    response = client.post(
        "/api/v1/citations/",
        {"item": world.i2.pk, "document": world.doc_a.pk, "start": 0, "end": 5, "quote": "wrong"},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["quote"]
    good = client.post(
        "/api/v1/citations/",
        {"item": world.i2.pk, "document": world.doc_a.pk, "start": 0, "end": 5, "quote": world.doc_a.text[:5]},
        format="json",
    )
    assert good.status_code == 201, good.content


# --- ETag / If-Match --------------------------------------------------------------------------------------------------


def test_stale_if_match_gets_412_and_changes_nothing(world):
    client, _ = token_client("tracker.change_item")
    etag = client.get(f"/api/v1/items/{world.i1.pk}/").headers["ETag"]
    first = client.patch(f"/api/v1/items/{world.i1.pk}/", {"title": "First"}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200
    assert first.headers["ETag"] != etag
    before = Item.objects.get(pk=world.i1.pk)
    second = client.patch(f"/api/v1/items/{world.i1.pk}/", {"title": "Second"}, format="json", HTTP_IF_MATCH=etag)
    assert second.status_code == 412
    assert second.json()["detail"].startswith("The item was changed since you read it")
    after = Item.objects.get(pk=world.i1.pk)
    assert (after.title, after.updated_at) == ("First", before.updated_at)
    third = client.patch(
        f"/api/v1/items/{world.i1.pk}/", {"title": "Third"}, format="json", HTTP_IF_MATCH=first.headers["ETag"]
    )
    assert third.status_code == 200 and third.json()["title"] == "Third"


def test_weak_or_garbage_if_match_never_matches(world):
    client, _ = token_client("tracker.change_item")
    etag = client.get(f"/api/v1/items/{world.i1.pk}/").headers["ETag"]
    for header in (f"W/{etag}", "garbage", '""'):
        response = client.patch(f"/api/v1/items/{world.i1.pk}/", {"title": "X"}, HTTP_IF_MATCH=header)
        assert response.status_code == 412
    assert Item.objects.get(pk=world.i1.pk).title == "Free trade agreements"


# --- status writes ----------------------------------------------------------------------------------------------------


def test_status_post_records_an_update_and_keeps_the_history(world):
    client, user = token_client("tracker.add_statusupdate")
    etag = client.get(f"/api/v1/items/{world.i1.pk}/").headers["ETag"]
    response = client.post(
        f"/api/v1/items/{world.i1.pk}/status/",
        {"status": "stalled", "assessed_on": "2024-03-01", "note": "Blocked.", "evidence_url": "https://ex.org/a"},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "stalled"
    assert response.json()["author"] == user.username
    assert response.headers["ETag"] != etag
    history = list(StatusUpdate.objects.filter(item=world.i1).values_list("status", "assessed_on", "note", "author_id"))
    assert history == [
        ("stalled", date(2024, 3, 1), "Blocked.", user.pk),
        ("implemented", date(2022, 1, 1), "Signed.", None),
        ("in_progress", date(2020, 1, 1), "Talks.", None),
    ]
    assert Item.objects.get(pk=world.i1.pk).status == "stalled"
    stale = client.post(f"/api/v1/items/{world.i1.pk}/status/", {"status": "implemented"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert StatusUpdate.objects.filter(item=world.i1).count() == 3


def test_status_post_validates_its_body(world):
    client, _ = token_client("tracker.add_statusupdate")
    response = client.post(
        f"/api/v1/items/{world.i1.pk}/status/",
        {"status": "done", "assessed_on": "someday", "evidence_citation": 99999999999999999999},
        format="json",
    )
    assert response.status_code == 400
    assert sorted(response.json()) == ["assessed_on", "evidence_citation", "status"]
    other = factories.CitationFactory(item=world.i2)
    response = client.post(
        f"/api/v1/items/{world.i1.pk}/status/", {"status": "stalled", "evidence_citation": other.pk}, format="json"
    )
    assert (response.status_code, response.json()) == (
        400,
        {"evidence_citation": ["The evidence citation belongs to another item."]},
    )
    assert client.post("/api/v1/items/999999/status/", {"status": "stalled"}).status_code == 404


def test_throttling_gives_429_with_a_json_detail(client, world, settings):
    from rest_framework.throttling import AnonRateThrottle

    rates = {"anon": "2/minute", "user": "5/minute"}
    original = AnonRateThrottle.THROTTLE_RATES
    AnonRateThrottle.THROTTLE_RATES = rates
    try:
        codes = [client.get("/api/v1/statuses/").status_code for _ in range(3)]
    finally:
        AnonRateThrottle.THROTTLE_RATES = original
    assert codes == [200, 200, 429]


def test_authenticated_clients_have_the_user_rate_only(world):
    from rest_framework.throttling import SimpleRateThrottle

    client, _user = token_client()
    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = {"anon": "1/minute", "user": "3/minute"}
    try:
        codes = [client.get("/api/v1/statuses/").status_code for _ in range(4)]
    finally:
        SimpleRateThrottle.THROTTLE_RATES = original
    assert codes == [200, 200, 200, 429]


def test_schema_and_docs_are_served_locally(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/v1/items/", "/api/v1/items/facets/", "/api/v1/items/{id}/status/", "/api/v1/items/export.csv"} <= set(
        paths
    )
    parameters = {p["name"] for p in paths["/api/v1/items/"]["get"]["parameters"]}
    assert {
        "kind",
        "status",
        "review_state",
        "made_by",
        "addressed_to",
        "actor",
        "theme",
        "document",
        "section",
        "date_after",
        "date_before",
        "strength",
        "q",
        "as_of",
        "ordering",
        "page",
        "page_size",
    } <= parameters
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "<script>" not in html
    # The accessibility plugin (static/tracker/api-docs.js) loads before the init script that names it.
    assert html.index("/static/tracker/api-docs.js") < html.index('src="/api/docs/?script=')
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert '"deepLinking": false' in script.content.decode()
    assert "plugins: [window.TrackerApiDocsPlugin]" in script.content.decode().replace('"plugins"', "plugins")


def test_schema_summaries_read_as_english(client):
    """The operation summaries Swagger UI shows at /api/docs/: "an item", "an actor", "a theme"."""
    schema = client.get("/api/schema/", {"format": "json"}).json()
    summaries = {op["summary"] for path in schema["paths"].values() for op in path.values() if "summary" in op}
    assert {"Delete an item", "Create an actor", "Replace a theme", "Change a citation"} <= summaries
    assert not [summary for summary in summaries if re.search(r"\ba [aeiou]", summary)]


@pytest.mark.postgres_only
def test_ranked_search_through_the_api_on_postgresql(client, world):
    factories.ItemFactory(reference="W-9", title="Roma roma", text="Roma inclusion: Roma centre and Roma schools.")
    assert refs(client.get("/api/v1/items/", {"q": "roma"})) == ["W-9", "W-2"]


# --- origin in the edit history ---------------------------------------------------------------------------------------


def test_every_api_write_is_recorded_with_the_origin_api(world):
    from django.contrib.auth.models import Permission

    from tracker.models import Citation

    client, user = token_client(
        "tracker.add_item", "tracker.change_item", "tracker.delete_item", "tracker.add_statusupdate"
    )
    body = {**NEW_ITEM, "themes": ["w-child"]}
    created = client.post("/api/v1/items/", body, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    replaced = client.put(f"/api/v1/items/{pk}/", {**body, "title": "Replaced", "made_by": ["eu"]}, format="json")
    assert replaced.status_code == 200, replaced.content
    changed = client.patch(f"/api/v1/items/{pk}/", {"title": "Changed", "addressed_to": ["serbia"]}, format="json")
    assert changed.status_code == 200, changed.content
    status_update = client.post(f"/api/v1/items/{pk}/status/", {"status": "stalled"}, format="json")
    assert status_update.status_code == 201, status_update.content
    records = list(Item.history.filter(id=pk).order_by("history_id"))
    # create (+ its m2m sets), replace, change (+ m2m), the status the update moved
    assert len(records) >= 5
    assert {record.history_change_reason for record in records} == {"api"}
    assert [record.history_change_reason for record in StatusUpdate.history.filter(item_id=pk)] == ["api"]

    staff = factories.UserFactory(is_staff=True, is_superuser=True)
    admin = APIClient()
    admin.force_login(staff)
    page = admin.get(f"/admin/tracker/item/{pk}/history/").content.decode()
    table = page.split('id="change-history"', 1)[1].split("</table>", 1)[0]
    # The origin is the fifth cell of each row (object, date, comment, changed by, origin, changes).
    rows = [re.findall(r"<td>(.*?)</td>", row, re.S) for row in table.split("<tr>")[2:]]
    assert [cells[4].strip() for cells in rows] == ["API"] * len(records)

    deleted = client.delete(f"/api/v1/items/{pk}/")
    assert deleted.status_code == 204
    removal = Item.history.filter(id=pk, history_type="-").get()
    assert removal.history_change_reason == "api"

    # Other resources too: a citation's create and delete.
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_citation", "delete_citation"]))
    quote = world.doc_a.text[:5]
    citation = client.post(
        "/api/v1/citations/",
        {"item": world.i2.pk, "document": world.doc_a.pk, "start": 0, "end": 5, "quote": quote},
        format="json",
    )
    assert citation.status_code == 201, citation.content
    assert client.delete(f"/api/v1/citations/{citation.json()['id']}/").status_code == 204
    reasons = Citation.history.filter(id=citation.json()["id"]).values_list("history_type", "history_change_reason")
    assert sorted(reasons) == [("+", "api"), ("-", "api")]


def test_an_origin_set_by_the_writer_is_kept_inside_an_api_block():
    from tracker import history

    item = factories.ItemFactory()
    with history.recording(history.API):
        item._change_reason = history.SPREADSHEET
        item.save()
        del item._change_reason
        item.title = "Other"
        item.save()
    item.title = "Outside"
    item.save()
    records = Item.history.filter(id=item.pk).order_by("history_id")
    reasons = list(records.values_list("history_change_reason", flat=True))
    assert reasons[-3:] == [history.SPREADSHEET, history.API, None]
