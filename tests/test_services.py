"""tracker.services: the write operations the admin, the API and the importers share."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests import factories
from tracker import services
from tracker.enums import ReviewState, Status
from tracker.models import Item, StatusUpdate

pytestmark = pytest.mark.django_db


def test_record_status_update_appends_history():
    item = factories.ItemFactory()
    user = factories.UserFactory()
    first = services.record_status_update(
        item=item, status=Status.NOT_STARTED, assessed_on=date(2020, 1, 1), note="Nothing yet.", author=user
    )
    second = services.record_status_update(
        item=item, status=Status.IN_PROGRESS, assessed_on=date(2022, 1, 1), evidence_url="https://example.org/a"
    )
    assert list(item.status_updates.all()) == [second, first]
    assert [(u.status, u.note, u.evidence_url, u.author) for u in item.status_updates.all()] == [
        (Status.IN_PROGRESS, "", "https://example.org/a", None),
        (Status.NOT_STARTED, "Nothing yet.", "", user),
    ]
    item.refresh_from_db()
    assert item.status == Status.IN_PROGRESS


def test_current_status_is_latest_assessed_on_not_latest_recorded():
    item = factories.ItemFactory()
    services.record_status_update(item=item, status=Status.IMPLEMENTED, assessed_on=date(2024, 1, 1))
    # A late entry about an earlier date goes into the history without changing the current status.
    services.record_status_update(item=item, status=Status.IN_PROGRESS, assessed_on=date(2021, 1, 1))
    item.refresh_from_db()
    assert item.status == Status.IMPLEMENTED
    assert item.status_updates.count() == 2


def test_record_status_update_defaults_to_today():
    item = factories.ItemFactory()
    update = services.record_status_update(item=item, status=Status.STALLED)
    assert update.assessed_on == timezone.localdate()


def test_record_status_update_invalid_status_refused():
    item = factories.ItemFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.record_status_update(item=item, status="finished", assessed_on=date(2024, 1, 1))
    assert excinfo.value.message_dict == {
        "status": [f"“finished” is not on the status scale ({', '.join(Status.values)})."]
    }
    assert StatusUpdate.objects.count() == 0
    item.refresh_from_db()
    assert item.status == Status.UNKNOWN


def test_record_status_update_evidence_citation_of_another_item_refused():
    item = factories.ItemFactory()
    foreign = factories.CitationFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.record_status_update(item=item, status=Status.IN_PROGRESS, evidence_citation=foreign)
    assert excinfo.value.message_dict == {"evidence_citation": ["The evidence citation belongs to another item."]}
    assert StatusUpdate.objects.count() == 0


def test_record_status_update_evidence_citation_of_the_item_accepted():
    citation = factories.CitationFactory()
    update = services.record_status_update(item=citation.item, status=Status.IN_PROGRESS, evidence_citation=citation)
    assert update.evidence_citation == citation


def test_record_status_update_malformed_url_refused():
    item = factories.ItemFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.record_status_update(item=item, status=Status.IN_PROGRESS, evidence_url="not a url")
    assert excinfo.value.message_dict == {"evidence_url": ["Enter a valid URL."]}
    assert StatusUpdate.objects.count() == 0


def test_record_status_update_anonymous_author_stored_as_none():
    update = services.record_status_update(item=factories.ItemFactory(), status=Status.STALLED, author=AnonymousUser())
    assert update.author is None


def test_record_status_updates_all_or_nothing():
    first, second = factories.ItemFactory.create_batch(2)
    evidence = factories.CitationFactory(item=first)
    with pytest.raises(ValidationError):
        # Valid for the first item, refused for the second: the first one's update is rolled back too.
        services.record_status_updates(items=[first, second], status=Status.IN_PROGRESS, evidence_citation=evidence)
    assert StatusUpdate.objects.count() == 0
    assert set(Item.objects.values_list("status", flat=True)) == {Status.UNKNOWN}


def test_record_status_updates_for_several_items():
    items = factories.ItemFactory.create_batch(3)
    updates = services.record_status_updates(items=items, status=Status.SUPERSEDED, assessed_on=date(2025, 1, 1))
    assert [u.item for u in updates] == items
    assert set(Item.objects.values_list("status", flat=True)) == {Status.SUPERSEDED}


def test_refresh_current_status_without_updates_is_unknown():
    item = factories.ItemFactory()
    update = services.record_status_update(item=item, status=Status.IMPLEMENTED)
    update.delete()
    assert services.refresh_current_status(item) == Status.UNKNOWN
    item.refresh_from_db()
    assert item.status == Status.UNKNOWN


def test_set_review_state_records_user_in_history():
    user = factories.UserFactory()
    first, second = factories.ItemFactory.create_batch(2)
    assert services.set_review_state(items=[first, second], state=ReviewState.CONFIRMED, user=user) == 2
    for item in (first, second):
        latest = item.history.order_by("-history_id").first()
        assert (latest.review_state, latest.history_user, latest.history_type) == (ReviewState.CONFIRMED, user, "~")
    assert set(Item.objects.values_list("review_state", flat=True)) == {ReviewState.CONFIRMED}


def test_set_review_state_skips_unchanged_items():
    confirmed = factories.ItemFactory(review_state=ReviewState.CONFIRMED)
    pending = factories.ItemFactory()
    assert services.set_review_state(items=[confirmed, pending], state=ReviewState.CONFIRMED) == 1
    assert confirmed.history.count() == 1
    assert pending.history.order_by("-history_id").first().history_user is None


def test_set_review_state_invalid_state_refused():
    item = factories.ItemFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.set_review_state(items=[item], state="approved")
    assert excinfo.value.message_dict == {"review_state": ["“approved” is not a review state."]}
    item.refresh_from_db()
    assert item.review_state == ReviewState.NEEDS_REVIEW
