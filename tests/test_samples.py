"""Sample assessments shipped with the bundled corpus: loaded from its own evidence, marked as samples."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tracker.enums import Status
from tracker.models import Item, StatusUpdate

pytestmark = pytest.mark.django_db


def load(*args):
    out = StringIO()
    call_command("load_sample_assessments", *[str(a) for a in args], stdout=out)
    return out.getvalue()


@pytest.fixture
def bundled(db):
    call_command("import_corpus", stdout=StringIO())


def test_samples_give_statuses_with_evidence_from_later_documents(bundled):
    assert set(Item.objects.values_list("status", flat=True)) == {Status.UNKNOWN}

    output = load()

    assert "4 sample assessments recorded, 0 already there." in output
    updates = list(StatusUpdate.objects.select_related("item__document", "evidence_document"))
    assert len(updates) == 4
    by_text = {update.item.text[:44]: update for update in updates}
    kfor = by_text["Meanwhile NATO pledged to keep its 16,000 pe"]
    assert kfor.status == Status.PARTIALLY_IMPLEMENTED
    assert "approximately 4,700 troops" in kfor.evidence_quote
    assert kfor.item.status == Status.PARTIALLY_IMPLEMENTED
    for update in updates:
        assert update.is_sample
        text = update.evidence_document.text
        assert text[update.evidence_start : update.evidence_end] == update.evidence_quote
        assert update.evidence_document.published > update.item.document.published
        assert "Sample assessment by the tracker's maintainers" in update.note
    assert Item.objects.exclude(status=Status.UNKNOWN).count() == 4


def test_loading_twice_records_nothing_more(bundled):
    load()
    assert "0 sample assessments recorded, 4 already there." in load()
    assert StatusUpdate.objects.count() == 4


def test_unknown_item_phrase_is_refused_with_the_entry_named(bundled, tmp_path):
    path = tmp_path / "samples.toml"
    path.write_text(
        Path(settings.CORPUS_DIR, "sample_assessments.toml")
        .read_text(encoding="utf-8")
        .replace("acceleration of the accession process", "deceleration of the accession process"),
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as error:
        load(path)
    assert str(error.value) == (
        f"{path}, field 'item': assessment #3: no item of 'si-2006-balkans-statement' has the text "
        "'deceleration of the accession process of the whole region'"
    )
    assert not StatusUpdate.objects.exists()  # all or nothing


def test_admin_item_page_marks_the_sample_and_shows_its_passage(bundled, admin_client):
    load()
    item = Item.objects.get(text__contains="16,000 peacekeepers")

    response = admin_client.get(reverse("admin:tracker_item_change", args=[item.pk]))

    html = response.content.decode()
    assert "Sample assessment" in html
    assert "approximately 4,700 troops from 29 countries" in html


def test_evidence_passage_follows_an_edit_of_its_document(tmp_path):
    """The importer keeps evidence passages anchored, like citations."""
    from corpus_import.importer import import_corpus
    from corpus_import.sources import load_corpus

    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    for name in ("manifest.toml", "rferl-2007-kosovo-talks.txt", "cignews-2025-rutte-kosovo.txt"):
        (corpus_dir / name).write_bytes(Path(settings.CORPUS_DIR, name).read_bytes())
    manifest = corpus_dir / "manifest.toml"
    entries = manifest.read_text(encoding="utf-8").split("[[documents]]")
    kept = [e for e in entries[1:] if "rferl-2007" in e or "cignews-2025" in e]
    manifest.write_text("".join("[[documents]]" + e.split("sha256")[0] for e in kept), encoding="utf-8")
    import_corpus(load_corpus(manifest))
    samples = tmp_path / "samples.toml"
    samples.write_text(
        Path(settings.CORPUS_DIR, "sample_assessments.toml").read_text(encoding="utf-8").split("[[assessments]]")[0]
        + "[[assessments]]"
        + Path(settings.CORPUS_DIR, "sample_assessments.toml").read_text(encoding="utf-8").split("[[assessments]]")[1],
        encoding="utf-8",
    )
    load(samples)
    article = corpus_dir / "cignews-2025-rutte-kosovo.txt"
    article.write_text(
        "Updated.\n" + article.read_text(encoding="utf-8").replace("approximately 4,700", "about 4,700"),
        encoding="utf-8",
    )

    import_corpus(load_corpus(manifest))

    update = StatusUpdate.objects.select_related("evidence_document").get()
    assert update.evidence_quote.startswith("NATO continues to lead the Kosovo Force (KFOR), a peacekeeping mission")
    assert "about 4,700 troops" in update.evidence_quote
    assert update.evidence_document.text[update.evidence_start : update.evidence_end] == update.evidence_quote


def test_public_item_page_shows_the_status_with_its_evidence_passage(bundled, client):
    load()
    item = Item.objects.get(text__contains="16,000 peacekeepers")

    html = client.get(item.get_absolute_url()).content.decode()

    assert "Partially implemented" in html
    assert "approximately 4,700 troops from 29 countries" in html
    assert "Sample assessment shipped with the bundled texts." in html


def test_check_citations_also_checks_evidence_passages(bundled):
    load()
    update = StatusUpdate.objects.filter(is_sample=True).first()
    StatusUpdate.objects.filter(pk=update.pk).update(evidence_quote="x" * len(update.evidence_quote))
    err = StringIO()

    with pytest.raises(CommandError, match=r"1 of \d+ citations do not match"):
        call_command("check_citations", stdout=StringIO(), stderr=err)
    assert f"evidence passage of status update {update.pk} ({update.item.reference})" in err.getvalue()
