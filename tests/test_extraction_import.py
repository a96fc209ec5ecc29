"""The extraction as the tracker stores it: explanations, new actors, theme descriptors, idempotence."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from corpus_import.importer import import_corpus
from corpus_import.sources import load_corpus
from tracker.models import Actor, Item, Theme

DEVSET = Path(__file__).resolve().parent / "data" / "devset"

pytestmark = pytest.mark.django_db


def test_devset_import_stores_explanations_and_flags_new_actors():
    report = import_corpus(load_corpus(DEVSET))
    assert report.created > 60
    item = Item.objects.get(text__startswith="Urges national parliaments to adopt legislation")
    assert item.extraction["rule"] == "operative-clause"
    assert item.extraction["trigger"] == "Urges"
    assert item.extraction["addressed_to"] == {"national-parliaments": "named after 'Urges'"}
    assert "salw" in item.extraction["themes"]
    publisher = Actor.objects.get(slug="parliamentary-assembly-of-the-south-east-european-cooperation-process")
    assert publisher.needs_review and publisher.kind == "government_body"
    assert list(item.made_by.values_list("slug", flat=True)) == [publisher.slug]
    speaker = Actor.objects.get(slug="dragan-petkovic")  # a speaker the gazetteer does not know
    assert (speaker.kind, speaker.parent.slug, speaker.needs_review) == ("person", "serbia", True)
    assert not Actor.objects.get(slug="serbia").needs_review
    assert not Actor.objects.filter(kind="group", slug__in=["civil-society"], items_made__isnull=False).exists()


def test_devset_reimport_is_idempotent():
    import_corpus(load_corpus(DEVSET))
    again = import_corpus(load_corpus(DEVSET))
    assert (again.created, again.updated, again.orphaned) == (0, 0, 0)


def test_theme_added_in_admin_is_matched_by_its_descriptors():
    Theme.objects.create(slug="cyber-resilience", name="Cyber resilience", descriptors=["ransomware", "cyber*"])
    import_corpus(load_corpus(DEVSET))
    item = Item.objects.get(text__startswith="Establishment of a regional cyber incident register")
    assert "cyber-resilience" in item.themes.values_list("slug", flat=True)
    assert item.extraction["themes"]["cyber-resilience"] == "descriptor 'cyber'"


def test_reimport_keeps_reviewer_themes_when_descriptors_change():
    import_corpus(load_corpus(DEVSET))
    item = Item.objects.get(text__startswith="Urges national parliaments")
    curated = Theme.objects.get(slug="rule-of-law")
    item.themes.set([curated])
    theme = Theme.objects.get(slug="salw")
    theme.descriptors = [*theme.descriptors, "penalties"]
    theme.save()
    report = import_corpus(load_corpus(DEVSET))  # the descriptors are part of the fingerprint: re-extracts
    assert report.created == 0
    assert list(item.themes.values_list("slug", flat=True)) == ["rule-of-law"]


def test_import_corpus_explain_prints_rules_and_reasons():
    out = StringIO()
    call_command("import_corpus", str(DEVSET), "--explain", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "== dev-resolution-salw-2026: 9 items" in text  # with the borderline procedural clause
    assert "by rule operative-clause on 'Calls upon'" in text
    assert "addressed_to: national-governments (named in the list's lead-in)" in text
    assert "new actor (flagged for review): marta-kovac = 'Marta Kovač', kind person, speaks for eu" in text
    assert not Item.objects.exists()


def test_admin_item_page_shows_how_it_was_extracted(client, staff_user):
    import_corpus(load_corpus(DEVSET))
    item = Item.objects.get(text__startswith="Kovač urged both sides")
    client.force_login(staff_user)
    response = client.get(reverse("admin:tracker_item_change", args=[item.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "How the import extracted it" in content
    assert "commitment-verb on &#x27;urged&#x27;" in content
    assert "<dt>made by</dt><dd>marta-kovac: the speaker of the clause</dd>" in content
    assert "kosovo-dialogue: descriptor &#x27;both sides&#x27;" in content
