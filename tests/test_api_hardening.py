"""The API under hostile or broken conditions (issue 10): read-only source texts, forwarded addresses,
malformed input, database outages, security headers."""

import hashlib

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories
from tests.api_world import build_world
from tracker.models import Document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world():
    return build_world()


def token_client(*permissions, superuser=False):
    user = factories.UserFactory(permissions=list(permissions), is_superuser=superuser, is_staff=superuser)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


# --- 1. the verbatim text is the importer's ---------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["patch", "put"])
@pytest.mark.parametrize(
    ("field", "value"), [("text", "x"), ("sha256", hashlib.sha256(b"x").hexdigest())], ids=["text", "sha256"]
)
def test_document_text_and_hash_are_read_only_through_the_api(world, method, field, value):
    client = token_client("tracker.change_document")
    document = world.doc_a
    body = client.get(f"/api/v1/documents/{document.pk}/").json()
    if method == "patch":
        body = {}
    body[field] = value
    for key in ("sections", "boilerplate_spans", "created_at", "updated_at", "id"):
        body.pop(key, None)
    response = getattr(client, method)(f"/api/v1/documents/{document.pk}/", body, format="json")
    assert response.status_code == 400, response.content
    assert response.json() == {field: ["Read-only once the document exists: change the text with import_corpus."]}
    stored = Document.objects.get(pk=document.pk)
    assert (stored.text, stored.sha256) == (document.text, document.sha256)


def test_document_other_fields_and_an_unchanged_text_can_still_be_written(world):
    client = token_client("tracker.change_document")
    document = world.doc_a
    body = {"title": "New title", "text": document.text, "sha256": document.sha256}
    response = client.patch(f"/api/v1/documents/{document.pk}/", body, format="json")
    assert response.status_code == 200, response.content
    assert Document.objects.get(pk=document.pk).title == "New title"


def test_a_new_document_gets_the_hash_of_its_text(db):
    client = token_client("tracker.add_document")
    body = {"slug": "new-doc", "reference_prefix": "NEW", "title": "New", "kind": "statement", "text": "Some text."}
    response = client.post("/api/v1/documents/", body, format="json")
    assert response.status_code == 201, response.content
    digest = hashlib.sha256(b"Some text.").hexdigest()
    assert response.json()["sha256"] == digest == Document.objects.get(slug="new-doc").sha256
    wrong = client.post(
        "/api/v1/documents/", {**body, "slug": "other", "reference_prefix": "OTH", "sha256": "0" * 64}, format="json"
    )
    assert wrong.status_code == 400
    assert wrong.json() == {"sha256": [f"This is not the SHA-256 of the text, which is {digest}."]}


# --- 6. malformed input is a JSON 400 or 404, never a 500 ---------------------------------------------------------

# Digits that str.isdigit() accepts and int() refuses or reads as another script's; NUL; beyond bigint.
BAD_VALUES = ["²", "٣", "1\x00", "\x00", "9" * 30, "-1", "1.5"]
ITEM_ID_FILTERS = ["made_by", "addressed_to", "actor", "theme", "document", "section"]
OTHER_ID_FILTERS = {
    "citations": ["item", "document", "section"],
    "status-updates": ["item"],
    "item-links": ["source", "target", "item"],
    "themes": ["parent", "within"],
}


def _json_error(response, status):
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    return response.json()


@pytest.mark.parametrize("value", BAD_VALUES)
def test_malformed_ids_in_filters_are_a_400(world, value):
    client = APIClient()
    for name in ITEM_ID_FILTERS:
        assert name in _json_error(client.get("/api/v1/items/", {name: value}), 400)
        assert name in _json_error(client.get("/api/v1/items/facets/", {name: value}), 400)
        assert name in _json_error(client.get("/api/v1/items/export.csv", {name: value}), 400)
    for resource, names in OTHER_ID_FILTERS.items():
        for name in names:
            response = client.get(f"/api/v1/{resource}/", {name: value})
            assert response.status_code in (200, 400), (resource, name, response.status_code)
            if response.status_code == 400:
                assert name in response.json()


@pytest.mark.parametrize("value", BAD_VALUES)
def test_malformed_page_numbers_are_a_404_and_page_sizes_a_400(world, value):
    client = APIClient()
    assert _json_error(client.get("/api/v1/items/", {"page": value}), 404)["detail"].startswith("Invalid page")
    assert _json_error(client.get("/api/v1/actors/", {"page_size": value}), 400) == {
        "page_size": ["Enter a whole number from 1 to 500."]
    }


@pytest.mark.parametrize("value", ["²", "٣", "%00", "9" * 30, "0", "-1"])
def test_malformed_path_ids_are_a_json_404(world, value):
    client = APIClient()
    for resource in ("items", "actors", "themes", "documents", "citations", "status-updates", "item-links"):
        assert "detail" in _json_error(client.get(f"/api/v1/{resource}/{value}/"), 404)
    writer = token_client("tracker.add_statusupdate")
    _json_error(writer.post(f"/api/v1/items/{value}/status/", {"status": "stalled"}, format="json"), 404)


@pytest.mark.parametrize("value", ["²", "٣", "1\x00", "9" * 30, 2**63, -1, 1.5, True, [1], {"id": 1}])
def test_malformed_ids_in_bodies_are_a_400(world, value):
    client = token_client(superuser=True)
    cases = [
        ("post", f"/api/v1/items/{world.i1.pk}/status/", {"status": "stalled", "evidence_citation": value}),
        ("post", "/api/v1/item-links/", {"source": value, "target": world.i2.pk, "kind": "follows_up"}),
        ("post", "/api/v1/item-links/", {"source": world.i1.pk, "target": value, "kind": "follows_up"}),
        ("patch", f"/api/v1/items/{world.i1.pk}/", {"document": value}),
        ("patch", f"/api/v1/items/{world.i1.pk}/", {"section": value}),
        ("patch", f"/api/v1/items/{world.i1.pk}/", {"made_by": [value]}),
        ("patch", f"/api/v1/actors/{world.nato.pk}/", {"parent": value}),
        ("post", "/api/v1/citations/", {"item": value, "document": world.doc_a.pk, "start": 0, "end": 1}),
    ]
    for method, url, body in cases:
        response = getattr(client, method)(url, body, format="json")
        field = next(name for name, given in body.items() if given is value or given == [value])
        assert field in _json_error(response, 400), (url, body)


@pytest.mark.parametrize("field", ["slug", "name", "aliases"])
def test_nul_in_a_body_is_a_400(world, field):
    client = token_client(superuser=True)
    value = ["A\x00lias"] if field == "aliases" else "a\x00b"
    response = client.patch(f"/api/v1/actors/{world.nato.pk}/", {field: value}, format="json")
    assert field in _json_error(response, 400)


def test_public_item_list_ignores_malformed_keyset_cursors(world, client):
    for value in BAD_VALUES:
        for name in ("after", "before", "page"):
            assert client.get("/items/", {name: value}).status_code == 200, (name, value)
    assert client.get("/items/%00/").status_code == 404


# --- 10. outages and edges --------------------------------------------------------------------------------------------


@pytest.fixture
def unreachable_database():
    """The default database made unreachable for real: a closed port (PostgreSQL) or an unopenable file."""
    from django.db import connection

    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "postgresql":
        connection.settings_dict.update(HOST="127.0.0.1", PORT="1")
    else:
        connection.settings_dict["NAME"] = "/nonexistent-directory/db.sqlite3"
    yield
    connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(saved)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    "path", ["/api/v1/items/", "/api/v1/items/1/", "/api/v1/documents/", "/api/v1/items/export.csv"]
)
def test_a_database_outage_is_a_json_503_with_retry_after(unreachable_database, path):
    client = APIClient()
    client.raise_request_exception = False
    response = client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {"detail": "The database is unavailable. Try again shortly."}


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_first_request_after_the_server_closed_the_connection_succeeds():
    import time

    import psycopg
    from django.db import connection

    factories.ItemFactory(reference="KEPT-1")
    client = APIClient()
    client.raise_request_exception = False
    assert client.get("/api/v1/items/").status_code == 200
    pid = connection.connection.info.backend_pid  # the connection kept for the next request
    # What a PostgreSQL restart does to every session: the server ends it.
    params = connection.get_connection_params()
    with psycopg.connect(
        dbname=params["dbname"],
        user=params["user"],
        password=params["password"],
        host=params["host"],
        port=params["port"],
        autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(100):
            if not admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchall():
                break
            time.sleep(0.05)
    response = client.get("/api/v1/items/")
    assert response.status_code == 200, response.content[:300]
    assert [row["reference"] for row in response.json()["results"]] == ["KEPT-1"]
    assert connection.connection.info.backend_pid != pid


def test_a_login_with_a_refused_next_lands_on_the_admin(client, staff_user):
    staff_user.set_password("pw-for-the-test")
    staff_user.save()
    response = client.post(
        "/admin/login/?next=https://evil.example/",
        {"username": staff_user.username, "password": "pw-for-the-test", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("path", ["/", "/api/v1/items/", "/admin/login/", "/no-such-page/"])
def test_every_response_has_a_permissions_policy(client, path):
    response = client.get(path)
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
