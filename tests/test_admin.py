"""The reviewers' admin: lists, filters, actions, the item page and its inlines, permissions, query counts."""

import hashlib
from datetime import date

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tracker.admin import LargeTablePaginator
from tracker.enums import ReviewState, Status
from tracker.models import Citation, Document, Item, StatusUpdate

ITEM_LIST = reverse("admin:tracker_item_changelist")

pytestmark = pytest.mark.django_db


def item_url(item):
    return reverse("admin:tracker_item_change", args=[item.pk])


def references(response):
    return [item.reference for item in response.context["cl"].result_list]


@pytest.fixture
def reviewer_client(client, staff_user):
    client.force_login(staff_user)
    return client


def change_form_data(response):
    """What a browser would post back from a change page: every bound form and the inlines' existing rows."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        initial = formset.initial_form_count()
        data.update(
            {
                f"{formset.prefix}-TOTAL_FORMS": str(initial),
                f"{formset.prefix}-INITIAL_FORMS": str(initial),
                f"{formset.prefix}-MIN_NUM_FORMS": "0",
                f"{formset.prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        forms.extend(formset.initial_forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            if value is True:
                data[form.add_prefix(name)] = "on"
            elif isinstance(value, list | tuple):
                data[form.add_prefix(name)] = [str(v) for v in value]
            else:
                data[form.add_prefix(name)] = str(value)
    return data


def add_inline_row(data, prefix, **fields):
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    data.update({f"{prefix}-{index}-{name}": str(value) for name, value in fields.items()})


# ---------------------------------------------------------------------------------------------------------------
# Access


def test_item_list_anonymous_redirects_to_login(client):
    response = client.get(ITEM_LIST)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={ITEM_LIST}"


def test_item_change_page_anonymous_redirects_to_login(client):
    item = factories.ItemFactory()
    response = client.get(item_url(item))
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('admin:login')}?next=")


def test_item_pages_staff_without_permission_forbidden(client):
    item = factories.ItemFactory()
    client.force_login(factories.UserFactory(is_staff=True))
    assert client.get(ITEM_LIST).status_code == 403
    assert client.get(item_url(item)).status_code == 403


def test_item_change_view_only_staff_cannot_save(client):
    item = factories.ItemFactory(title="Original title")
    client.force_login(factories.UserFactory(is_staff=True, permissions=["tracker.view_item"]))
    response = client.get(item_url(item))
    assert response.status_code == 200
    assert b'name="_save"' not in response.content
    data = change_form_data(response) if response.context.get("adminform") else {}
    data["title"] = "Changed title"
    assert client.post(item_url(item), data).status_code == 403
    item.refresh_from_db()
    assert item.title == "Original title"


def test_item_action_view_only_staff_refused(client):
    items = factories.ItemFactory.create_batch(2)
    client.force_login(factories.UserFactory(is_staff=True, permissions=["tracker.view_item"]))
    response = client.get(ITEM_LIST)
    assert references(response) == [item.reference for item in items]
    assert b"mark_confirmed" not in response.content
    response = client.post(
        ITEM_LIST, {"action": "mark_confirmed", ACTION_CHECKBOX_NAME: [item.pk for item in items], "index": "0"}
    )
    assert response.status_code == 200
    assert set(Item.objects.values_list("review_state", flat=True)) == {ReviewState.NEEDS_REVIEW}


# ---------------------------------------------------------------------------------------------------------------
# Item list, search and filters


def test_item_list_shows_columns(reviewer_client):
    document = factories.DocumentFactory(title="Regional strategy")
    section = factories.SectionFactory(document=document, number="4.3", heading="Borders")
    theme = factories.ThemeFactory(name="Border checks")
    item = factories.ItemFactory(document=document, section=section, title="Joint patrols", themes=[theme])
    response = reviewer_client.get(ITEM_LIST)
    assert response.status_code == 200
    assert references(response) == [item.reference]
    content = response.content.decode()
    for text in ["Joint patrols", "Regional strategy / 4.3 Borders", "Border checks", "Needs review", "Unknown"]:
        assert text in content
    assert "1 item" in content


def test_item_list_search_reference_title_and_text(reviewer_client):
    first = factories.ItemFactory(reference="ATA-2006-4.3-01", title="Harbour security", text="Ports need radar.")
    second = factories.ItemFactory(title="Courts", text="Judges should build a lighthouse of justice.")
    factories.ItemFactory(title="Unrelated", text="Nothing to see.")
    assert references(reviewer_client.get(ITEM_LIST, {"q": "ATA-2006-4.3-01"})) == [first.reference]
    assert references(reviewer_client.get(ITEM_LIST, {"q": "harbour"})) == [first.reference]
    assert references(reviewer_client.get(ITEM_LIST, {"q": "lighthouse"})) == [second.reference]
    assert references(reviewer_client.get(ITEM_LIST, {"q": "submarine"})) == []


@pytest.mark.parametrize(
    ("param", "value", "expected"),
    [
        ("kind__exact", "commitment", ["commitment"]),
        ("status__exact", Status.STALLED, ["stalled"]),
        ("review_state__exact", ReviewState.CONFIRMED, ["confirmed"]),
    ],
)
def test_item_list_field_filters(reviewer_client, param, value, expected):
    factories.ItemFactory(reference="PLAIN")
    factories.ItemFactory(reference="COMMITMENT", kind="commitment")
    stalled = factories.ItemFactory(reference="STALLED")
    stalled.status = Status.STALLED
    stalled.save()
    factories.ItemFactory(reference="CONFIRMED", review_state=ReviewState.CONFIRMED)
    response = reviewer_client.get(ITEM_LIST, {param: value})
    assert references(response) == [reference.upper() for reference in expected]


def test_item_list_theme_filter_includes_sub_themes(reviewer_client):
    parent = factories.ThemeFactory(name="Parent theme")
    child = factories.ThemeFactory(name="Child theme", parent=parent)
    other = factories.ThemeFactory(name="Other theme")
    in_parent = factories.ItemFactory(themes=[parent])
    in_child = factories.ItemFactory(themes=[child])
    factories.ItemFactory(themes=[other])
    in_both = factories.ItemFactory(themes=[parent, child])
    response = reviewer_client.get(ITEM_LIST, {"theme": parent.pk})
    assert references(response) == [in_parent.reference, in_child.reference, in_both.reference]
    response = reviewer_client.get(ITEM_LIST, {"theme": child.pk})
    assert references(response) == [in_child.reference, in_both.reference]
    assert "— Child theme" in response.content.decode()


def test_item_list_actor_filters_use_autocomplete(reviewer_client):
    nato = factories.ActorFactory(name="NATO")
    serbia = factories.ActorFactory(name="Serbia")
    made = factories.ItemFactory(made_by=[nato], addressed_to=[serbia])
    addressed = factories.ItemFactory(made_by=[serbia], addressed_to=[nato])
    factories.ItemFactory()

    response = reviewer_client.get(ITEM_LIST, {"made_by": nato.pk})
    assert references(response) == [made.reference]
    content = response.content.decode()
    # The chosen actor is shown by name in the select2 box, and no list of every actor is rendered.
    assert f'<option value="{nato.pk}" selected>NATO</option>' in content
    assert f'<option value="{serbia.pk}"' not in content
    assert 'data-field-name="made_by"' in content
    assert "admin/js/autocomplete.js" in content

    response = reviewer_client.get(ITEM_LIST, {"addressed_to": nato.pk})
    assert references(response) == [addressed.reference]
    response = reviewer_client.get(ITEM_LIST, {"made_by": serbia.pk, "addressed_to": nato.pk})
    assert references(response) == [addressed.reference]


def test_item_list_actor_filter_keeps_other_filters_in_its_form(reviewer_client):
    nato = factories.ActorFactory(name="NATO")
    response = reviewer_client.get(ITEM_LIST, {"made_by": nato.pk, "status__exact": "unknown", "q": "x"})
    content = response.content.decode()
    assert '<input type="hidden" name="status__exact" value="unknown">' in content
    assert '<input type="hidden" name="q" value="x">' in content


def test_item_list_document_filter(reviewer_client):
    document = factories.DocumentFactory(title="Statement")
    item = factories.ItemFactory(document=document)
    factories.ItemFactory()
    response = reviewer_client.get(ITEM_LIST, {"document": document.pk})
    assert references(response) == [item.reference]
    assert f'<option value="{document.pk}" selected>Statement</option>' in response.content.decode()


def test_item_list_malformed_filter_id_redirects_with_error(reviewer_client):
    response = reviewer_client.get(ITEM_LIST, {"made_by": "abc"})
    assert response.status_code == 302
    assert response["Location"] == f"{ITEM_LIST}?e=1"


def test_actor_autocomplete_for_item_filter(reviewer_client):
    factories.ActorFactory(name="Serbia")
    nato = factories.ActorFactory(name="NATO")
    response = reviewer_client.get(
        reverse("admin:autocomplete"),
        {"term": "nat", "app_label": "tracker", "model_name": "item", "field_name": "made_by"},
    )
    assert response.json()["results"] == [{"id": str(nato.pk), "text": "NATO"}]


def _list_queries(client, count):
    document = factories.DocumentFactory()
    section = factories.SectionFactory(document=document)
    themes = factories.ThemeFactory.create_batch(2)
    actor = factories.ActorFactory()
    for _ in range(count):
        factories.ItemFactory(document=document, section=section, themes=themes, made_by=[actor])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(ITEM_LIST)
    assert len(references(response)) == count
    return len(queries)


def test_item_list_query_count_does_not_grow_with_page_size(reviewer_client, monkeypatch):
    monkeypatch.setattr(admin.site.get_model_admin(Item), "list_per_page", 100)
    small = _list_queries(reviewer_client, 5)
    Item.objects.all().delete()
    large = _list_queries(reviewer_client, 60)
    assert small == large


def test_item_list_count_is_capped_and_labelled(reviewer_client, monkeypatch):
    monkeypatch.setattr(LargeTablePaginator, "count_cap", 3)
    monkeypatch.setattr(admin.site.get_model_admin(Item), "list_per_page", 2)
    factories.ItemFactory.create_batch(5)
    response = reviewer_client.get(ITEM_LIST)
    paginator = response.context["cl"].paginator
    assert paginator.count_is_exact is False
    if connection.vendor == "postgresql":
        # reltuples / EXPLAIN give an estimate; the page still lists exactly two items.
        assert "about" in response.content.decode() or "more than 3 items" in response.content.decode()
    else:
        assert paginator.count == 3
        assert "more than 3 items" in response.content.decode()
        response = reviewer_client.get(ITEM_LIST, {"q": "Item"})
        assert "more than 3 results" in response.content.decode()
    assert len(references(response)) == 2


def test_paginator_counts_exactly_below_the_cap():
    factories.ItemFactory.create_batch(4)
    paginator = LargeTablePaginator(Item.objects.all(), 2)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 4
    assert len(queries) == 1
    assert "LIMIT" in queries[0]["sql"].upper()
    assert paginator.count_is_exact is True


# ---------------------------------------------------------------------------------------------------------------
# Bulk actions


def test_action_mark_confirmed_records_user_in_history(reviewer_client, staff_user):
    first, second, untouched = factories.ItemFactory.create_batch(3)
    response = reviewer_client.post(
        ITEM_LIST, {"action": "mark_confirmed", ACTION_CHECKBOX_NAME: [first.pk, second.pk], "index": "0"}
    )
    assert response.status_code == 302
    assert dict(Item.objects.values_list("reference", "review_state")) == {
        first.reference: ReviewState.CONFIRMED,
        second.reference: ReviewState.CONFIRMED,
        untouched.reference: ReviewState.NEEDS_REVIEW,
    }
    latest = first.history.first()
    assert latest.review_state == ReviewState.CONFIRMED
    assert latest.history_user == staff_user


def test_action_mark_rejected(reviewer_client, staff_user):
    item, other = factories.ItemFactory.create_batch(2)
    reviewer_client.post(ITEM_LIST, {"action": "mark_rejected", ACTION_CHECKBOX_NAME: [item.pk], "index": "0"})
    assert list(Item.objects.filter(review_state=ReviewState.REJECTED)) == [item]
    assert item.history.first().history_user == staff_user


def test_action_record_status_update_shows_intermediate_form(reviewer_client):
    item, other = factories.ItemFactory.create_batch(2)
    response = reviewer_client.post(
        ITEM_LIST, {"action": "record_status_update", ACTION_CHECKBOX_NAME: [item.pk], "index": "0"}
    )
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "admin/tracker/item/record_status_update.html"
    content = response.content.decode()
    assert item.reference in content
    assert other.reference not in content
    assert f'<input type="hidden" name="{ACTION_CHECKBOX_NAME}" value="{item.pk}">' in content
    assert StatusUpdate.objects.count() == 0


def test_action_record_status_update_applies_to_selected(reviewer_client, staff_user):
    first, second, untouched = factories.ItemFactory.create_batch(3)
    response = reviewer_client.post(
        ITEM_LIST,
        {
            "action": "record_status_update",
            ACTION_CHECKBOX_NAME: [first.pk, second.pk],
            "index": "0",
            "select_across": "0",
            "apply": "1",
            "status": Status.IN_PROGRESS,
            "assessed_on": "2024-05-01",
            "note": "Agreed at the summit.",
            "evidence_url": "https://example.org/summit",
        },
    )
    assert response.status_code == 302
    updates = StatusUpdate.objects.order_by("item_id")
    summit = ("Agreed at the summit.", "https://example.org/summit")
    assert [(u.item_id, u.status, u.assessed_on, (u.note, u.evidence_url), u.author) for u in updates] == [
        (item.pk, Status.IN_PROGRESS, date(2024, 5, 1), summit, staff_user) for item in (first, second)
    ]
    assert dict(Item.objects.values_list("reference", "status")) == {
        first.reference: Status.IN_PROGRESS,
        second.reference: Status.IN_PROGRESS,
        untouched.reference: Status.UNKNOWN,
    }


def test_action_record_status_update_invalid_form_writes_nothing(reviewer_client):
    item = factories.ItemFactory()
    response = reviewer_client.post(
        ITEM_LIST,
        {
            "action": "record_status_update",
            ACTION_CHECKBOX_NAME: [item.pk],
            "index": "0",
            "apply": "1",
            "status": "finished",
            "assessed_on": "not a date",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "status": ["Select a valid choice. finished is not one of the available choices."],
        "assessed_on": ["Enter a valid date."],
    }
    assert StatusUpdate.objects.count() == 0


def test_action_record_status_update_needs_status_update_permission(client):
    item = factories.ItemFactory()
    client.force_login(factories.UserFactory(is_staff=True, permissions=["tracker.view_item", "tracker.change_item"]))
    data = {"action": "record_status_update", ACTION_CHECKBOX_NAME: [item.pk], "index": "0", "apply": "1"}
    data.update(status=Status.IMPLEMENTED, assessed_on="2024-01-01")
    response = client.post(ITEM_LIST, data, follow=True)
    assert [str(message) for message in response.context["messages"]] == ["No action selected."]
    assert b"record_status_update" not in response.content
    assert StatusUpdate.objects.count() == 0
    item.refresh_from_db()
    assert item.status == Status.UNKNOWN


# ---------------------------------------------------------------------------------------------------------------
# Item page


SCRIPT_TEXT = "Intro line.\nThe <b>states</b> must act: <script>alert(1)</script> now, said the report.\nEnd."


def _script_item():
    document = factories.DocumentFactory(
        title="Tainted <i>source</i>", text=SCRIPT_TEXT, sha256=hashlib.sha256(SCRIPT_TEXT.encode()).hexdigest()
    )
    item = factories.ItemFactory(document=document, text="must act: <script>alert(1)</script> now")
    factories.CitationFactory(item=item)
    return item


def test_item_page_shows_passage_highlighted_and_escaped(reviewer_client):
    item = _script_item()
    response = reviewer_client.get(item_url(item))
    assert response.status_code == 200
    content = response.content.decode()
    assert (
        "Intro line.\nThe &lt;b&gt;states&lt;/b&gt; <mark>must act: &lt;script&gt;alert(1)&lt;/script&gt; now</mark>"
        ", said the report.\nEnd.</blockquote>"
    ) in content
    assert "<script>alert(1)</script>" not in content
    assert "<b>states</b>" not in content
    assert "Tainted &lt;i&gt;source&lt;/i&gt;" in content


def test_item_page_status_is_read_only_and_inlines_present(reviewer_client):
    item = factories.ItemFactory()
    other = factories.ItemFactory()
    factories.ItemLinkFactory(source=item, target=other)
    factories.ItemLinkFactory(source=other, target=item, kind="restates")
    factories.StatusUpdateFactory(item=item, note="First assessment")
    response = reviewer_client.get(item_url(item))
    form = response.context["adminform"].form
    assert "status" not in form.fields
    assert [inline.formset.prefix for inline in response.context["inline_admin_formsets"]] == [
        "citations",
        "status_updates",
        "links_out",
        "links_in",
    ]
    links_out, links_in = response.context["inline_admin_formsets"][2:]
    assert [f.instance.target for f in links_out.formset.initial_forms] == [other]
    assert [f.instance.source for f in links_in.formset.initial_forms] == [other]
    content = response.content.decode()
    assert "First assessment" in content
    # The existing status update is shown, not editable: no input for its note.
    assert 'name="status_updates-0-note"' not in content
    assert 'name="status_updates-1-note"' in content
    for field in ["made_by", "addressed_to", "themes", "document"]:
        assert f'data-field-name="{field}"' in content


def test_item_page_adds_citation_with_quote_filled_from_text(reviewer_client):
    item = factories.ItemFactory()
    response = reviewer_client.get(item_url(item))
    data = change_form_data(response)
    start = item.document.text.index("National governments")
    add_inline_row(data, "citations", document=item.document.pk, start=start, end=start + 20, quote="", position=0)
    response = reviewer_client.post(item_url(item), data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert list(item.citations.values_list("start", "end", "quote")) == [(start, start + 20, "National governments")]


@pytest.mark.parametrize(
    ("start", "end", "quote", "field", "message"),
    [
        (16, 25, "Nations..", "quote", "The quote does not match the text of"),
        (16, 5000, "", "end", "ends after the document's text"),
        (20, 20, "", "end", "is empty or reversed"),
    ],
)
def test_item_page_invalid_citation_shows_error_and_writes_nothing(reviewer_client, start, end, quote, field, message):
    item = factories.ItemFactory(title="Original title")
    response = reviewer_client.get(item_url(item))
    data = change_form_data(response)
    data["title"] = "Changed title"
    add_inline_row(data, "citations", document=item.document.pk, start=start, end=end, quote=quote, position=0)
    response = reviewer_client.post(item_url(item), data)
    assert response.status_code == 200
    citations = next(i for i in response.context["inline_admin_formsets"] if i.formset.prefix == "citations")
    errors = citations.formset.forms[0].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert message in response.content.decode().replace("&#x27;", "'")
    item.refresh_from_db()
    assert item.title == "Original title"
    assert Citation.objects.count() == 0


def test_item_page_duplicate_reference_refused(reviewer_client):
    factories.ItemFactory(reference="ATA-2006-01")
    item = factories.ItemFactory(reference="ATA-2006-02")
    data = change_form_data(reviewer_client.get(item_url(item)))
    data["reference"] = "ATA-2006-01"
    response = reviewer_client.post(item_url(item), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"reference": ["Item with this Reference already exists."]}
    item.refresh_from_db()
    assert item.reference == "ATA-2006-02"


def test_item_page_status_update_goes_through_service(reviewer_client, staff_user):
    item = factories.ItemFactory()
    factories.StatusUpdateFactory(item=item, status=Status.NOT_STARTED, assessed_on=date(2019, 1, 1))
    data = change_form_data(reviewer_client.get(item_url(item)))
    add_inline_row(data, "status_updates", status=Status.IMPLEMENTED, assessed_on="2024-03-01", note="Done.")
    response = reviewer_client.post(item_url(item), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.IMPLEMENTED
    latest = item.status_updates.first()
    assert (latest.status, latest.assessed_on, latest.note, latest.author) == (
        Status.IMPLEMENTED,
        date(2024, 3, 1),
        "Done.",
        staff_user,
    )
    assert item.status_updates.count() == 2


def test_item_page_status_update_outside_scale_refused(reviewer_client):
    item = factories.ItemFactory()
    data = change_form_data(reviewer_client.get(item_url(item)))
    add_inline_row(data, "status_updates", status="finished", assessed_on="2024-03-01")
    response = reviewer_client.post(item_url(item), data)
    assert response.status_code == 200
    formset = next(i for i in response.context["inline_admin_formsets"] if i.formset.prefix == "status_updates")
    assert formset.formset.forms[0].errors == {
        "status": ["Select a valid choice. finished is not one of the available choices."]
    }
    assert StatusUpdate.objects.count() == 0


def test_item_page_existing_status_updates_cannot_be_edited_or_deleted(reviewer_client):
    item = factories.ItemFactory()
    update = factories.StatusUpdateFactory(item=item, status=Status.NOT_STARTED, note="Original")
    data = change_form_data(reviewer_client.get(item_url(item)))
    data["status_updates-0-note"] = "Rewritten"
    data["status_updates-0-status"] = Status.IMPLEMENTED
    data["status_updates-0-DELETE"] = "on"
    response = reviewer_client.post(item_url(item), data)
    assert response.status_code == 302
    update.refresh_from_db()
    assert (update.status, update.note) == (Status.NOT_STARTED, "Original")


def test_item_page_evidence_citation_limited_to_the_item(reviewer_client):
    item = factories.ItemFactory()
    own = factories.CitationFactory(item=item)
    foreign = factories.CitationFactory()
    data = change_form_data(reviewer_client.get(item_url(item)))
    add_inline_row(
        data, "status_updates", status=Status.IN_PROGRESS, assessed_on="2024-03-01", evidence_citation=foreign.pk
    )
    response = reviewer_client.post(item_url(item), data)
    assert response.status_code == 200
    assert StatusUpdate.objects.count() == 0
    data["status_updates-0-evidence_citation"] = str(own.pk)
    assert reviewer_client.post(item_url(item), data).status_code == 302
    assert item.status_updates.get().evidence_citation == own


def test_item_add_page_renders(reviewer_client):
    response = reviewer_client.get(reverse("admin:tracker_item_add"))
    assert response.status_code == 200
    assert "status" not in response.context["adminform"].form.fields


def test_item_history_page_shows_who_changed_what(reviewer_client, staff_user):
    item = factories.ItemFactory(title="Before")
    data = change_form_data(reviewer_client.get(item_url(item)))
    data["title"] = "After"
    assert reviewer_client.post(item_url(item), data).status_code == 302
    record = item.history.first()
    assert (record.title, record.history_user, record.history_type) == ("After", staff_user, "~")
    response = reviewer_client.get(reverse("admin:tracker_item_history", args=[item.pk]))
    content = response.content.decode()
    assert staff_user.username in content
    assert "Before" in content and "After" in content


# ---------------------------------------------------------------------------------------------------------------
# Actors, themes, documents


def test_actor_list_counts_items_made_or_addressed_once(reviewer_client):
    nato, serbia = factories.ActorFactory(name="NATO"), factories.ActorFactory(name="Serbia")
    factories.ActorFactory(name="Idle")
    factories.ItemFactory(made_by=[nato], addressed_to=[serbia])
    factories.ItemFactory(made_by=[nato], addressed_to=[nato])  # counted once for NATO
    factories.ItemFactory(made_by=[serbia], addressed_to=[nato, serbia])
    with CaptureQueriesContext(connection) as queries:
        response = reviewer_client.get(reverse("admin:tracker_actor_changelist"))
    counts = {actor.name: actor.item_count for actor in response.context["cl"].result_list}
    assert counts == {"Idle": 0, "NATO": 3, "Serbia": 2}
    assert sum("tracker_item_made_by" in q["sql"] for q in queries) == 1


def test_actor_list_search(reviewer_client):
    factories.ActorFactory(name="NATO")
    serbia = factories.ActorFactory(name="Serbia", kind="state", iso_code="RS")
    response = reviewer_client.get(reverse("admin:tracker_actor_changelist"), {"q": "RS"})
    assert [actor.pk for actor in response.context["cl"].result_list] == [serbia.pk]


def test_theme_list_counts_and_search(reviewer_client):
    parent = factories.ThemeFactory(name="Zebra parent")
    child = factories.ThemeFactory(name="Zebra child", parent=parent)
    factories.ItemFactory(themes=[parent, child])
    factories.ItemFactory(themes=[child])
    response = reviewer_client.get(reverse("admin:tracker_theme_changelist"), {"q": "zebra"})
    rows = {theme.name: theme.item_count for theme in response.context["cl"].result_list}
    assert rows == {"Zebra parent": 1, "Zebra child": 2}
    assert "— Zebra child" in response.content.decode()


def test_document_list_counts_and_search(reviewer_client):
    document = factories.DocumentFactory(title="Strategy of the region")
    factories.DocumentFactory(title="Other")
    factories.ItemFactory.create_batch(2, document=document)
    response = reviewer_client.get(reverse("admin:tracker_document_changelist"), {"q": "strategy"})
    assert [(d.title, d.item_count) for d in response.context["cl"].result_list] == [("Strategy of the region", 2)]


def test_document_page_text_read_only_with_sections_and_boilerplate(reviewer_client):
    document = factories.DocumentFactory()
    factories.SectionFactory(document=document, number="1", heading="Introduction", start=0, end=15)
    document.boilerplate_spans.create(start=0, end=15, label="Banner")
    url = reverse("admin:tracker_document_change", args=[document.pk])
    response = reviewer_client.get(url)
    form = response.context["adminform"].form
    assert "text" not in form.fields
    assert "sha256" not in form.fields
    content = response.content.decode()
    assert "Introduction" in content
    assert "Banner" in content
    assert "1. Introduction" in content  # the boilerplate span's text
    # The text cannot be changed by posting it.
    data = change_form_data(response)
    data["text"] = "Rewritten"
    data["title"] = "Renamed"
    assert reviewer_client.post(url, data).status_code == 302
    document.refresh_from_db()
    assert (document.title, document.text) == ("Renamed", factories.SAMPLE_TEXT)


def test_document_add_page_allows_text(reviewer_client):
    response = reviewer_client.get(reverse("admin:tracker_document_add"))
    form = response.context["adminform"].form
    assert "text" in form.fields and "sha256" in form.fields


def _new_document_data(**overrides):
    data = {
        "slug": "new-statement",
        "reference_prefix": "NEW-2025",
        "title": "New statement",
        "kind": "statement",
        "published": "2025-03-01",
        "date_precision": "day",
        "language": "en",
        "text": "The parties should meet again.",
        "sha256": "",
    }
    for prefix in ("sections", "boilerplate_spans"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(overrides)
    return data


def test_document_add_computes_sha256_when_blank(reviewer_client):
    response = reviewer_client.post(reverse("admin:tracker_document_add"), _new_document_data())
    assert response.status_code == 302
    document = Document.objects.get(slug="new-statement")
    assert document.sha256 == hashlib.sha256(b"The parties should meet again.").hexdigest()


def test_document_add_refuses_wrong_sha256(reviewer_client):
    response = reviewer_client.post(reverse("admin:tracker_document_add"), _new_document_data(sha256="0" * 64))
    assert response.status_code == 200
    digest = hashlib.sha256(b"The parties should meet again.").hexdigest()
    assert response.context["adminform"].form.errors == {
        "sha256": [f"This is not the SHA-256 of the text, which is {digest}."]
    }
    assert not Document.objects.filter(slug="new-statement").exists()


def _record(reviewer_client, items, **fields):
    data = {
        "action": "record_status_update",
        ACTION_CHECKBOX_NAME: [item.pk for item in items],
        "index": "0",
        "select_across": "0",
        "apply": "1",
        **fields,
    }
    return reviewer_client.post(ITEM_LIST, data, follow=True)


def test_record_status_update_form_preselects_no_status_and_uses_the_admin_date_widget(reviewer_client):
    item = factories.ItemFactory()
    response = reviewer_client.post(
        ITEM_LIST, {"action": "record_status_update", ACTION_CHECKBOX_NAME: [item.pk], "index": "0"}
    )
    content = response.content.decode()
    assert '<option value="" selected>Choose a status…</option>' in content
    assert 'class="vDateField"' in content  # the change page's YYYY-MM-DD field with its calendar
    assert "admin/js/admin/DateTimeShortcuts.js" in content
    assert "append to the status history of this item:" not in content
    assert "will be appended to the status history of this item:" in content
    response = _record(reviewer_client, [item], assessed_on="2024-05-01")
    assert response.context["form"].errors == {"status": ["This field is required."]}
    assert StatusUpdate.objects.count() == 0


def test_record_status_update_message_says_item_or_items(reviewer_client):
    one, two, three = factories.ItemFactory.create_batch(3)
    response = _record(reviewer_client, [one], status=Status.IN_PROGRESS, assessed_on="2024-05-01")
    assert [str(m) for m in response.context["messages"]] == ["Status update recorded for 1 item."]
    response = _record(reviewer_client, [two, three], status=Status.IN_PROGRESS, assessed_on="2024-05-01")
    assert [str(m) for m in response.context["messages"]] == ["Status update recorded for 2 items."]


def test_record_status_update_warns_before_repeating_the_latest_update(reviewer_client):
    same, other = factories.ItemFactory.create_batch(2)
    fields = {"status": Status.STALLED, "assessed_on": "2024-05-01", "note": "No talks.", "evidence_url": ""}
    _record(reviewer_client, [same], **fields)
    assert StatusUpdate.objects.count() == 1
    response = _record(reviewer_client, [same, other], **fields)
    content = response.content.decode()
    assert "This repeats the latest status update of 1 item</strong>" in content
    assert same.reference in content.split('class="warning-repeat"', 1)[1].split("</div>", 1)[0]
    assert '<input type="hidden" name="confirm_repeat" value="1">' in content
    assert StatusUpdate.objects.count() == 1  # nothing written on the warning
    response = _record(reviewer_client, [same, other], confirm_repeat="1", **fields)
    assert [str(m) for m in response.context["messages"]] == ["Status update recorded for 2 items."]
    assert StatusUpdate.objects.count() == 3
    # A different note is no repeat.
    response = _record(reviewer_client, [same], **{**fields, "note": "Talks resumed."})
    assert [str(m) for m in response.context["messages"]] == ["Status update recorded for 1 item."]


def test_item_history_shows_status_changes_with_labels_and_origin(reviewer_client, staff_user):
    import html
    import re

    from tracker import services
    from tracker.history import ADMIN, API

    item = factories.ItemFactory()
    services.record_status_update(item=item, status=Status.IN_PROGRESS, assessed_on=date(2020, 1, 1), origin=API)
    _record(reviewer_client, [item], status=Status.IMPLEMENTED, assessed_on="2024-05-01")
    response = reviewer_client.get(f"/admin/tracker/item/{item.pk}/history/")
    table = response.content.decode().split('id="change-history"', 1)[1].split("</table>", 1)[0]
    rows = [re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", row))).strip() for row in table.split("<tr>")[2:]]
    assert "Admin Status: In progress → Implemented" in rows[0]
    assert "API Status: Unknown → In progress" in rows[1]
    assert "Not recorded" in rows[2]  # the factory's own save
    assert "Change reason" not in table and ADMIN == "admin"
