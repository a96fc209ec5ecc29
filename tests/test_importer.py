"""import_corpus: the bundled corpus, idempotence, curated fields, changed documents, bad input."""

import hashlib
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from tracker.enums import ReviewState, Status
from tracker.models import Actor, BoilerplateSpan, Citation, Document, Item, ItemLink, Section, Theme
from tracker.services import record_status_update

pytestmark = pytest.mark.django_db

CORPUS = Path(settings.CORPUS_DIR)


def run_import(*args, verbosity=1):
    out = StringIO()
    call_command("import_corpus", *[str(a) for a in args], stdout=out, stderr=StringIO(), verbosity=verbosity)
    return out.getvalue()


def write_corpus(folder: Path, documents: dict[str, str], extra_fields: str = "") -> Path:
    """A manifest of statement documents, one per (slug, text); returns the manifest's path."""
    entries = []
    for number, (slug, text) in enumerate(documents.items()):
        (folder / f"{slug}.txt").write_text(text, encoding="utf-8")
        entries.append(
            f'[[documents]]\nfile = "{slug}.txt"\nslug = "{slug}"\nreference_prefix = "T{number}"\n'
            f'title = "Test {slug}"\nkind = "statement"\npublisher = "Socialist International"\n'
            f'published = "2006-01"\n{extra_fields}\n'
        )
    manifest = folder / "manifest.toml"
    manifest.write_text("\n".join(entries), encoding="utf-8")
    return manifest


STATEMENT = (
    "The Socialist International reaffirms its complete support and solidarity with the people of the Balkans.\n"
    "The International will continue working to foster a climate of confidence and trust in the region.\n"
    "NATO pledged to keep its 16,000 peacekeepers in the Serbian province to deter any clashes.\n"
)


def test_import_bundled_corpus_loads_every_document_with_exact_citations():
    output = run_import()

    assert Document.objects.count() == 5
    assert "5 documents" in output
    assert Item.objects.count() > 100
    for citation in Citation.objects.select_related("document"):
        assert citation.document.text[citation.start : citation.end] == citation.quote
    for document in Document.objects.all():
        assert document.sha256 == hashlib.sha256(document.text.encode()).hexdigest()
    ata = Document.objects.get(slug="ata-2006-regional-security-strategy")
    assert ata.sections.filter(number="4.3.1").exists()
    assert Section.objects.filter(document=ata, number="4.3.1").get().parent.number == "4.3"
    assert BoilerplateSpan.objects.filter(document__slug="rferl-2007-kosovo-talks").exists()
    call_command("check_citations", stdout=StringIO())


def test_import_bundled_corpus_merges_summary_twins_into_one_item_with_two_citations():
    run_import()

    roma = Item.objects.filter(
        document__slug="ata-2006-regional-security-strategy", text__contains="Regional Roma Centre"
    )
    twins = [item for item in roma if item.citations.count() == 2]
    assert len(twins) == 1
    assert sorted(c.section.number for c in twins[0].citations.all()) == ["5", "ES"]


def test_import_bundled_corpus_items_need_review_with_unknown_status():
    run_import()

    assert set(Item.objects.values_list("review_state", flat=True)) == {ReviewState.NEEDS_REVIEW}
    assert set(Item.objects.values_list("status", flat=True)) == {Status.UNKNOWN}
    assert Actor.objects.get(slug="nato").kind == "international_organisation"
    assert Item.objects.filter(made_by__slug="nato").exists()
    assert Theme.objects.count() >= 47


def test_reimport_unchanged_corpus_changes_nothing():
    run_import()
    before = list(Item.objects.order_by("id").values_list("id", "reference", "updated_at"))

    output = run_import()

    assert "5 documents, 0 created, 0 updated, 0 orphaned" in output
    assert list(Item.objects.order_by("id").values_list("id", "reference", "updated_at")) == before


def test_reimport_keeps_curated_fields(tmp_path):
    manifest = write_corpus(tmp_path, {"si": STATEMENT})
    run_import(manifest)
    items = list(Item.objects.order_by("id"))
    assert len(items) >= 2
    first, second = items[0], items[1]
    first.title = "Edited by a reviewer"
    first.review_state = ReviewState.CONFIRMED
    first.save()
    first.made_by.set([Actor.objects.get(slug="nato")])
    first.themes.clear()
    record_status_update(item=first, status=Status.IN_PROGRESS, note="Reviewed")
    ItemLink.objects.create(source=first, target=second, kind="follows_up")
    # Change the document elsewhere so that it is re-extracted rather than skipped.
    (tmp_path / "si.txt").write_text("This statement was adopted in Athens.\n" + STATEMENT, encoding="utf-8")

    output = run_import(manifest)

    first.refresh_from_db()
    assert first.title == "Edited by a reviewer"
    assert first.review_state == ReviewState.CONFIRMED
    assert first.status == Status.IN_PROGRESS
    assert list(first.made_by.values_list("slug", flat=True)) == ["nato"]
    assert not first.themes.exists()
    assert first.status_updates.count() == 1
    assert ItemLink.objects.filter(source=first, target=second).exists()
    assert f"[1/1] si: changed, 0 created, {len(items)} updated, 0 orphaned, 0 unchanged" in output
    # Offsets moved with the text.
    for citation in Citation.objects.select_related("document"):
        assert citation.document.text[citation.start : citation.end] == citation.quote


def test_changed_document_reports_created_updated_and_orphaned(tmp_path):
    manifest = write_corpus(tmp_path, {"si": STATEMENT})
    run_import(manifest)
    nato_item = Item.objects.get(text__contains="16,000 peacekeepers")
    changed = STATEMENT.replace(
        "NATO pledged to keep its 16,000 peacekeepers in the Serbian province to deter any clashes.\n",
        "The European Union pledged to open accession talks with the countries of the region.\n",
    )
    (tmp_path / "si.txt").write_text(changed, encoding="utf-8")

    output = run_import(manifest, verbosity=2)

    nato_item.refresh_from_db()
    assert nato_item.is_orphaned
    assert nato_item.review_state == ReviewState.NEEDS_REVIEW
    assert f"orphaned: {nato_item.reference}" in output
    assert "[1/1] si: changed, 1 created, 0 updated, 1 orphaned" in output
    assert Item.objects.filter(text__contains="open accession talks").count() == 1
    # The orphan's quote is gone from the text, so its citation could not stay.
    assert not nato_item.citations.exists()


def test_dry_run_prints_the_report_and_writes_nothing(tmp_path):
    manifest = write_corpus(tmp_path, {"si": STATEMENT})

    output = run_import("--dry-run", manifest)

    assert "Dry run (nothing written)" in output
    assert "1 documents" in output
    assert Document.objects.count() == 0
    assert Item.objects.count() == 0


def test_verbosity_zero_is_quiet(tmp_path):
    manifest = write_corpus(tmp_path, {"si": STATEMENT})

    assert run_import(manifest, verbosity=0) == ""
    assert Document.objects.count() == 1


def test_an_error_in_a_later_document_writes_nothing(tmp_path):
    manifest = write_corpus(tmp_path, {"good": STATEMENT, "bad": STATEMENT})
    (tmp_path / "bad.txt").write_bytes(b"NATO pledged \xff\xfe to act.\n")

    with pytest.raises(CommandError, match=r"bad\.txt, line 1: not valid UTF-8"):
        run_import(manifest)

    assert Document.objects.count() == 0
    assert Item.objects.count() == 0


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda folder: (folder / "si.txt").unlink(), r"manifest\.toml, line \d+, field 'file': .*file not found"),
        (lambda folder: (folder / "si.txt").write_text(""), r"si\.txt, field 'file': file is empty"),
        (
            lambda folder: (folder / "si.txt").write_bytes(b"x" * (5 * 1024 * 1024 + 1)),
            r"si\.txt, field 'file': file is 5242881 bytes, over the limit of 5242880 bytes \(5 MB\)",
        ),
    ],
    ids=["missing-file", "empty-file", "too-large"],
)
def test_bad_input_files_are_refused_with_the_file_named(tmp_path, mutate, message):
    manifest = write_corpus(tmp_path, {"si": STATEMENT})
    mutate(tmp_path)

    with pytest.raises(CommandError, match=message):
        run_import(manifest)
    assert Document.objects.count() == 0


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('colour = "red"', r"field 'colour': document #1: unknown field 'colour'"),
        ('published = "2006-13"', r"field 'published': .*impossible date|malformed"),
    ],
    ids=["unknown-field", "malformed-date"],
)
def test_bad_manifest_fields_are_refused_with_the_field_named(tmp_path, extra, message):
    manifest = write_corpus(tmp_path, {"si": STATEMENT})
    text = manifest.read_text().replace('published = "2006-01"\n', "") + extra + "\n"
    manifest.write_text(text)

    with pytest.raises(CommandError, match=message):
        run_import(manifest)
    assert Document.objects.count() == 0


def test_same_file_listed_twice_is_refused(tmp_path):
    manifest = write_corpus(tmp_path, {"si": STATEMENT})

    with pytest.raises(CommandError, match="listed twice"):
        run_import(manifest, manifest)


def test_path_outside_the_corpus_folder_is_refused(tmp_path):
    inside = tmp_path / "corpus"
    inside.mkdir()
    shutil.copy(CORPUS / "si-2006-balkans-statement.txt", tmp_path / "outside.txt")
    manifest = write_corpus(inside, {"si": STATEMENT})
    manifest.write_text(manifest.read_text().replace('file = "si.txt"', 'file = "../outside.txt"'))

    with pytest.raises(CommandError, match="outside the corpus folder"):
        run_import(manifest)


def test_front_matter_file_imports_without_a_manifest(tmp_path):
    path = tmp_path / "communique.txt"
    path.write_text(
        '+++\nslug = "nato-2026-communique"\nreference_prefix = "NATO-2026"\ntitle = "Communique"\n'
        'kind = "communique"\npublisher = "NATO"\npublished = "2026-07-08"\n+++\n' + STATEMENT,
        encoding="utf-8",
    )

    run_import(path)

    document = Document.objects.get(slug="nato-2026-communique")
    assert document.text == STATEMENT
    assert document.date_precision == "day"
    assert document.items.filter(reference__startswith="NATO-2026-").exists()


def test_check_citations_reports_a_broken_citation():
    run_import()
    citation = Citation.objects.first()
    Citation.objects.filter(pk=citation.pk).update(quote="x" * (citation.end - citation.start))
    err = StringIO()

    with pytest.raises(CommandError, match=r"1 of \d+ citations do not match"):
        call_command("check_citations", stdout=StringIO(), stderr=err)
    assert f"citation {citation.pk} of {citation.item.reference}" in err.getvalue()


def test_reimport_restores_a_text_edited_behind_the_importers_back(tmp_path):
    # The import fingerprint records what was imported; a text changed since (by hand, or through a
    # since-closed API hole) is not "unchanged" just because the fingerprint still matches.
    manifest = write_corpus(tmp_path, {"si": STATEMENT})
    run_import(manifest)
    document = Document.objects.get(slug="si")
    Document.objects.filter(pk=document.pk).update(text="x" + document.text[1:])

    output = run_import(manifest, verbosity=2)

    assert "0 created, 0 updated, 0 orphaned" in output
    assert Document.objects.get(pk=document.pk).text == STATEMENT
    call_command("check_citations", stdout=StringIO())
