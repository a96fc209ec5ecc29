"""One definition per thing (issue 15): If-Match in one mixin, one id parser with one bound, request
settings in REST_FRAMEWORK only, the section rule in Item.clean(), one exception handler."""

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import get_resolver
from rest_framework.authtoken.models import Token
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from tests import factories
from tests.api_world import build_world
from tracker.api.exceptions import exception_handler
from tracker.api.views import ItemViewSet
from tracker.ids import MAX_ID, parse_id
from tracker.models import Item

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _writer(*permissions):
    client = APIClient()
    user = factories.UserFactory(permissions=list(permissions))
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_item_viewset_keeps_only_its_reads_and_own_actions():
    # (drf-spectacular's extend_schema_view puts wrappers in the class: compare where each was written.)
    standard = ["list", "retrieve", "create", "update", "partial_update", "destroy"]
    assert [getattr(ItemViewSet, name).__qualname__ for name in standard] == [
        "ItemViewSet.list",
        "ItemViewSet.retrieve",
        "ETagMixin.create",
        "ETagMixin.update",
        "ETagMixin.partial_update",
        "ETagMixin.destroy",
    ]


def test_writes_answer_with_the_read_representation_and_a_moving_etag(world):
    client = _writer("tracker.change_item", "tracker.delete_item")
    url = f"/api/v1/items/{world.i1.pk}/"
    read = client.get(url)
    changed = client.patch(url, {"title": "Changed"}, format="json", HTTP_IF_MATCH=read["ETag"])
    assert changed.status_code == 200
    assert changed.json() == {**client.get(url).json(), "title": "Changed"}
    assert changed["ETag"] == client.get(url)["ETag"] != read["ETag"]
    assert client.delete(url, HTTP_IF_MATCH=read["ETag"]).status_code == 412
    assert client.delete(url, HTTP_IF_MATCH=changed["ETag"]).status_code == 204


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1),
        ("0042", 42),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("0", None),
        ("²", None),
        ("٣", None),
        ("1\x00", None),
        (" 1", None),
        ("", None),
        ("9" * 5000, None),
        (7, 7),
        (True, None),
        (1.0, None),
        (None, None),
    ],
)
def test_one_id_parser(text, expected):
    assert parse_id(text) == expected


def test_a_19_digit_id_is_the_same_id_in_a_url_a_filter_and_a_body(world):
    big = MAX_ID - 1
    item = factories.ItemFactory(id=big, reference="BIG-1", document=world.doc_a)
    client = _writer("tracker.add_itemlink")
    assert client.get(f"/api/v1/items/{big}/").json()["reference"] == "BIG-1"
    assert [row["item"] for row in client.get("/api/v1/citations/", {"item": big}).json()["results"]] == []
    assert client.get("/api/v1/status-updates/", {"item": big}).status_code == 200
    body = {"source": big, "target": world.i1.pk, "kind": "follows_up"}
    link = client.post("/api/v1/item-links/", body, format="json")
    assert link.status_code == 201, link.content
    assert link.json()["source"] == item.pk
    assert client.get(f"/api/v1/items/{MAX_ID + 1}/").status_code == 404
    assert client.get("/api/v1/citations/", {"item": MAX_ID + 1}).status_code == 400


def test_request_settings_are_set_once_in_rest_framework_settings():
    from tracker.api import exports, views

    authentication = [cls.__name__ for cls in api_settings.DEFAULT_AUTHENTICATION_CLASSES]
    assert authentication == ["TokenAuthentication", "SessionAuthentication"]
    for module in (views, exports):
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == module.__name__:
                assert "authentication_classes" not in vars(value), value
                assert "filter_backends" not in vars(value) or vars(value)["filter_backends"] == [], value
    assert api_settings.EXCEPTION_HANDLER is exception_handler
    assert get_resolver().resolve("/api/v1/items/export.csv").func.view_class.authentication_classes == (
        api_settings.DEFAULT_AUTHENTICATION_CLASSES
    )


def test_an_items_section_must_belong_to_its_document_everywhere(world, staff_user, client):
    item = world.i2  # in doc_b; world.section is in doc_a
    item.section = world.section
    with pytest.raises(DjangoValidationError) as excinfo:
        item.full_clean()
    assert excinfo.value.message_dict == {"section": ["The section belongs to another document."]}
    # The API
    api = _writer("tracker.change_item")
    response = api.patch(f"/api/v1/items/{item.pk}/", {"section": world.section.pk}, format="json")
    assert (response.status_code, response.json()) == (400, {"section": ["The section belongs to another document."]})
    # The admin
    client.force_login(staff_user)
    page = client.get(f"/admin/tracker/item/{item.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"section": world.section.pk, "made_by": [], "addressed_to": [], "themes": []})
    for prefix, formset in ((fs.formset.prefix, fs) for fs in page.context["inline_admin_formsets"]):
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{prefix}-{name}"] = management[name].value()
    response = client.post(f"/admin/tracker/item/{item.pk}/change/", data)
    assert response.status_code == 200  # the form again, with the error
    assert "The section belongs to another document." in response.content.decode()
    assert Item.objects.get(pk=item.pk).section_id is None


def test_the_exception_handler_turns_djangos_validation_error_into_a_400():
    response = exception_handler(DjangoValidationError({"status": "Bad.", "__all__": "Both."}), {})
    assert (response.status_code, response.data) == (400, {"status": ["Bad."], "non_field_errors": ["Both."]})
