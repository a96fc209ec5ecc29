"""Curation survives source edits: re-anchoring on re-import, orphaning, restoring, --replace."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from corpus_import import anchoring
from tracker.enums import LinkKind, ReviewState, Status
from tracker.models import Actor, Citation, Document, Item, ItemLink, Theme
from tracker.services import record_status_update

pytestmark = pytest.mark.django_db

SENTENCE = "NATO pledged to keep its 16,000 peacekeepers in the Serbian province to deter any clashes."
EDITED = "NATO pledged to keep its 16,000 peacekeepers in the Serbian province to prevent any clashes."
STATEMENT = (
    "The Socialist International reaffirms its complete support and solidarity with the people of the Balkans.\n"
    "The International will continue working to foster a climate of confidence and trust in the region.\n"
    f"{SENTENCE}\n"
)


def run_import(*args, verbosity=2):
    out = StringIO()
    call_command("import_corpus", *[str(a) for a in args], stdout=out, stderr=StringIO(), verbosity=verbosity)
    return out.getvalue()


def write_manifest(folder: Path, text: str, file: str = "si.txt", slug: str = "si") -> Path:
    (folder / file).write_text(text, encoding="utf-8")
    manifest = folder / "manifest.toml"
    manifest.write_text(
        f'[[documents]]\nfile = "{file}"\nslug = "{slug}"\nreference_prefix = "SI-T"\ntitle = "Test"\n'
        'kind = "statement"\npublisher = "Socialist International"\npublished = "2006-01"\n',
        encoding="utf-8",
    )
    return manifest


def curate(item: Item, other: Item, state=ReviewState.CONFIRMED) -> None:
    item.title = "NATO keeps KFOR at 16,000"
    item.review_state = state
    item.save()
    item.made_by.set([Actor.objects.get(slug="nato")])
    item.addressed_to.clear()
    item.themes.set([Theme.objects.get(slug="conflict-prevention")])
    record_status_update(item=item, status=Status.STALLED, note="Assessed")
    ItemLink.objects.create(source=other, target=item, kind=LinkKind.FOLLOWS_UP)


def curated_fields(item: Item) -> dict:
    item.refresh_from_db()
    return {
        "id": item.pk,
        "reference": item.reference,
        "title": item.title,
        "review_state": item.review_state,
        "status": item.status,
        "made_by": list(item.made_by.values_list("slug", flat=True)),
        "addressed_to": list(item.addressed_to.values_list("slug", flat=True)),
        "themes": list(item.themes.values_list("slug", flat=True)),
        "status_updates": list(item.status_updates.values_list("id", flat=True)),
        "links_in": list(item.links_in.values_list("id", flat=True)),
    }


def assert_citations_verify():
    for citation in Citation.objects.select_related("document"):
        assert citation.document.text[citation.start : citation.end] == citation.quote


def test_word_change_reanchors_the_curated_item(tmp_path):
    manifest = write_manifest(tmp_path, STATEMENT)
    run_import(manifest)
    item = Item.objects.get(text=SENTENCE)
    curate(item, Item.objects.exclude(pk=item.pk).first())
    before = curated_fields(item)
    count = Item.objects.count()
    write_manifest(tmp_path, "A new first line.\n" + STATEMENT.replace(SENTENCE, EDITED))

    output = run_import(manifest)

    assert curated_fields(item) == before
    assert Item.objects.count() == count  # no uncurated twin
    assert item.text == EDITED
    assert not item.is_orphaned
    assert [c.quote for c in item.citations.all()] == [EDITED]
    assert_citations_verify()
    assert f"reanchored: {item.reference}" in output
    assert "0 created" in output and "0 orphaned" in output and "1 re-anchored" in output


def test_punctuation_and_whitespace_changes_reanchor(tmp_path):
    manifest = write_manifest(tmp_path, STATEMENT)
    run_import(manifest)
    item = Item.objects.get(text=SENTENCE)
    write_manifest(tmp_path, STATEMENT.replace(SENTENCE, SENTENCE.replace("keep its", "keep  its").replace(",", "")))

    run_import(manifest)

    item.refresh_from_db()
    expected = "NATO pledged to keep  its 16000 peacekeepers in the Serbian province to deter any clashes."
    assert item.citations.get().quote == expected
    assert Item.objects.filter(text__contains="peacekeepers").count() == 1
    assert_citations_verify()


def test_deleted_sentence_orphans_and_restored_sentence_brings_the_item_back(tmp_path):
    manifest = write_manifest(tmp_path, STATEMENT)
    run_import(manifest)
    item = Item.objects.get(text=SENTENCE)
    curate(item, Item.objects.exclude(pk=item.pk).first())
    write_manifest(tmp_path, STATEMENT.replace(SENTENCE, EDITED))
    run_import(manifest)
    before = curated_fields(item)

    write_manifest(tmp_path, STATEMENT.replace(SENTENCE + "\n", ""))
    output = run_import(manifest)

    item.refresh_from_db()
    assert item.is_orphaned
    assert not item.citations.exists()
    assert f"orphaned: {item.reference}" in output
    assert curated_fields(item) == before  # review state and the rest untouched

    write_manifest(tmp_path, STATEMENT)  # back to the original wording
    output = run_import(manifest)

    item.refresh_from_db()
    assert not item.is_orphaned
    assert curated_fields(item) == before
    assert item.review_state == ReviewState.CONFIRMED
    assert [c.quote for c in item.citations.all()] == [SENTENCE]
    assert Item.objects.filter(text__contains="peacekeepers").count() == 1
    assert_citations_verify()


def test_rejected_item_stays_rejected_through_an_edit_and_an_orphaning(tmp_path):
    manifest = write_manifest(tmp_path, STATEMENT)
    run_import(manifest)
    item = Item.objects.get(text=SENTENCE)
    item.review_state = ReviewState.REJECTED
    item.save()

    write_manifest(tmp_path, STATEMENT.replace(SENTENCE, EDITED))
    run_import(manifest)
    item.refresh_from_db()
    assert item.review_state == ReviewState.REJECTED
    assert not Item.objects.filter(text__contains="peacekeepers").exclude(pk=item.pk).exists()

    write_manifest(tmp_path, STATEMENT.replace(SENTENCE + "\n", ""))
    run_import(manifest)
    item.refresh_from_db()
    assert item.is_orphaned and item.review_state == ReviewState.REJECTED


def test_item_not_extracted_any_more_keeps_its_passage_while_the_text_is_there(tmp_path):
    """A reviewer's own item (no extraction key) follows its passage through edits around it and in it."""
    manifest = write_manifest(tmp_path, STATEMENT)
    run_import(manifest)
    document = Document.objects.get(slug="si")
    quote = "foster a climate of confidence and trust"
    start = document.text.index(quote)
    item = Item.objects.create(kind="commitment", reference="SI-T-MANUAL", document=document, title="Mine", text=quote)
    Citation.objects.create(item=item, document=document, start=start, end=start + len(quote), quote=quote)
    write_manifest(tmp_path, "Preamble.\n" + STATEMENT.replace("climate of confidence", "climate of real confidence"))

    output = run_import(manifest)

    citation = item.citations.get()
    assert citation.quote == "foster a climate of real confidence and trust"
    assert f"reanchored: {item.reference}" in output
    assert_citations_verify()


def test_slug_given_to_another_file_is_refused_unless_replace(tmp_path):
    manifest = write_manifest(tmp_path, STATEMENT)
    run_import(manifest)
    item = Item.objects.get(text=SENTENCE)
    write_manifest(tmp_path, STATEMENT.replace(SENTENCE, EDITED), file="other.txt")

    with pytest.raises(CommandError) as error:
        run_import(manifest)
    assert str(error.value) == (
        f"{(tmp_path / 'other.txt').resolve()}, field 'slug': slug 'si' already belongs to the document imported "
        "from 'si.txt'; 'other.txt' is another file. Give it another slug, or pass --replace to import it in "
        "that document's place (its items are kept and re-anchored where their text is found)"
    )
    assert Document.objects.get().source_file == "si.txt"

    run_import("--replace", manifest)
    document = Document.objects.get()
    assert document.source_file == "other.txt"
    item.refresh_from_db()
    assert item.citations.get().quote == EDITED


def test_locate_prefers_the_occurrence_whose_context_fits():
    old = "First: we agree. Second part here. Then: we agree. Last part."
    quote = anchoring.Quote.in_text(old, old.rindex("we agree"), old.rindex("we agree") + 8)
    new = "First: we agree. Second part here, changed. Then: we agree. Last part."
    anchor = anchoring.locate(quote, new)
    assert (anchor.start, anchor.score) == (new.rindex("we agree"), 100.0)


def test_locate_gives_up_on_an_unrelated_text():
    quote = anchoring.Quote(SENTENCE)
    assert anchoring.locate(quote, STATEMENT.replace(SENTENCE, "The EU will open accession talks soon.")) is None


def test_reviewers_item_shifted_by_an_edit_elsewhere_is_updated_not_reanchored(tmp_path):
    manifest = write_manifest(tmp_path, STATEMENT)
    run_import(manifest)
    document = Document.objects.get(slug="si")
    quote = "climate of confidence and trust"
    start = document.text.index(quote)
    item = Item.objects.create(kind="commitment", reference="SI-T-MANUAL", document=document, title="Mine", text=quote)
    Citation.objects.create(item=item, document=document, start=start, end=start + len(quote), quote=quote)
    write_manifest(tmp_path, "Preamble.\n" + STATEMENT)

    output = run_import(manifest)

    assert f"updated: {item.reference}" in output and f"reanchored: {item.reference}" not in output
    assert item.citations.get().start == start + len("Preamble.\n")
