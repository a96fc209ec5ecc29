"""The synthetic data generator: valid rows, consistent statuses, reproducible, additive."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tracker.enums import Status
from tracker.models import Actor, Citation, Item, StatusUpdate
from tracker.synthetic import generate

pytestmark = pytest.mark.django_db


def test_generate_writes_items_with_relations_and_valid_citations():
    summary = generate(items=250, actors=30, seed=3, batch_size=100)
    assert summary.items == 250
    assert Item.objects.filter(reference__startswith="SYN-").count() == 250
    assert Actor.objects.filter(slug__startswith="syn-actor-").count() == 30
    assert Citation.objects.count() == 250
    for citation in Citation.objects.select_related("document")[:50]:
        assert citation.document.text[citation.start : citation.end] == citation.quote
    assert not Item.objects.filter(made_by=None).exists()
    assert not Item.objects.filter(themes=None).exists()
    # Each item's status is its latest update's (or unknown without one).
    for item in Item.objects.all()[:100]:
        latest = item.status_updates.order_by("-assessed_on", "-created_at", "-id").first()
        assert item.status == (latest.status if latest else Status.UNKNOWN)
    assert StatusUpdate.objects.count() == summary.status_updates


def test_generate_is_reproducible_and_additive():
    generate(items=20, actors=10, seed=5)
    first = list(Item.objects.order_by("id").values_list("title", "kind", "status"))
    generate(items=20, actors=10, seed=5)
    assert Item.objects.count() == 40
    second = list(Item.objects.order_by("id").values_list("title", "kind", "status"))[20:]
    assert second == first
    # The id sequence was moved past the ids the generator gave explicitly.
    document = Item.objects.first().document
    created = Item.objects.create(reference="AFTER-1", kind="proposal", title="t", text="t", document=document)
    assert created.pk > Item.objects.exclude(pk=created.pk).order_by("-id").values_list("id", flat=True)[0]


def test_command_reports_and_rejects_bad_arguments():
    out = StringIO()
    call_command("generate_synthetic_data", "--items", "15", "--actors", "5", stdout=out)
    assert out.getvalue().startswith("Added 15 items, 15 citations, ")
    with pytest.raises(CommandError, match="--items, --actors and --batch-size must be positive."):
        call_command("generate_synthetic_data", "--items", "0", stdout=StringIO())
