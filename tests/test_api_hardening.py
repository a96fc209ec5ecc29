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
