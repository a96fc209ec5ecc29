"""import_corpus and import_items on input edges (issue 10, point 8): each refused with the file, the line or
row and the field named, and nothing written; a BOM is dropped rather than kept in the text."""

import csv
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests import factories
from tests.test_importer import STATEMENT, run_import, write_corpus
from tests.test_item_import import export, run, write_csv
from tracker.models import Actor, Citation, Document, Item, Section, StatusUpdate, Theme

pytestmark = pytest.mark.django_db

BOM = "\ufeff"
STRATEGY = (
    "Regional strategy\n\n1. Border security\n\n"
    "The governments of the region must create a joint border police.\n"
    "NATO should support the regional border monitoring.\n"
)


def nothing_written():
    return (Document.objects.count(), Item.objects.count(), Citation.objects.count(), Section.objects.count()) == (
        0,
        0,
        0,
        0,
    )


def front_matter(fields: str, body: str) -> str:
    return f'+++\nslug = "fm"\nreference_prefix = "FM"\nkind = "statement"\n{fields}+++\n{body}'


def line_of(path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


# --- Whitespace-only texts --------------------------------------------------------------------------------


@pytest.mark.parametrize("blank", ["\u00a0\u00a0\u00a0\n", "\u00a0 \u2003\t\n\u3000\n"], ids=["nbsp", "unicode-spaces"])
def test_text_of_only_unicode_whitespace_is_refused(tmp_path, blank):
    manifest = write_corpus(tmp_path, {"si": STATEMENT, "blank": blank})

    with pytest.raises(CommandError, match=r"blank\.txt, line 1: the text holds only whitespace"):
        run_import(manifest)
    assert nothing_written()


def test_front_matter_text_of_only_nbsp_is_refused(tmp_path):
    path = tmp_path / "fm.txt"
    path.write_text(front_matter('title = "T"\n', "\u00a0\u00a0\n"), encoding="utf-8")

    with pytest.raises(CommandError, match=r"fm\.txt, line 7: the text after the front matter is empty"):
        run_import(path)
    assert nothing_written()


# --- Byte order marks ---------------------------------------------------------------------------------------


def test_bom_is_dropped_from_a_manifest_text(tmp_path):
    manifest = write_corpus(tmp_path, {"si": STATEMENT})
    (tmp_path / "si.txt").write_text(BOM + STATEMENT, encoding="utf-8")

    run_import(manifest)

    document = Document.objects.get(slug="si")
    assert document.text == STATEMENT
    first = Citation.objects.filter(document=document).order_by("start").first()
    assert (first.start, first.quote[:25]) == (0, "The Socialist Internation")
    assert not Item.objects.filter(title__startswith=BOM).exists()
    assert not Item.objects.filter(text__contains=BOM).exists()
    call_command("check_citations", stdout=StringIO())


def test_bom_in_a_manifest_is_dropped(tmp_path):
    manifest = write_corpus(tmp_path, {"si": STATEMENT})
    manifest.write_text(BOM + manifest.read_text(encoding="utf-8"), encoding="utf-8")

    run_import(manifest)

    assert Document.objects.get(slug="si").title == "Test si"


def test_bom_before_front_matter_is_dropped(tmp_path):
    path = tmp_path / "fm.txt"
    path.write_text(BOM + front_matter('title = "Front matter"\n', STATEMENT), encoding="utf-8")

    run_import(path)

    document = Document.objects.get(slug="fm")
    assert (document.title, document.text) == ("Front matter", STATEMENT)


def test_bad_field_after_a_bom_in_the_manifest_names_its_line(tmp_path):
    manifest = write_corpus(tmp_path, {"si": STATEMENT})
    manifest.write_text(BOM + manifest.read_text(encoding="utf-8").replace('"2006-01"', '"2006-13"'), encoding="utf-8")

    with pytest.raises(CommandError, match=r"manifest\.toml, line 8, field 'published': document #1: impossible date"):
        run_import(manifest)


# --- NUL ----------------------------------------------------------------------------------------------------


def test_nul_in_a_text_is_refused_with_the_file_and_line(tmp_path):
    manifest = write_corpus(tmp_path, {"good": STATEMENT, "si": STATEMENT})
    (tmp_path / "si.txt").write_text(STATEMENT.replace("peacekeepers", "peace\x00keepers"), encoding="utf-8")

    with pytest.raises(CommandError, match=r"si\.txt, line 3: the text holds a NUL character \(U\+0000\) at column 38"):
        run_import(manifest)
    assert nothing_written()


def test_nul_in_front_matter_is_refused_with_the_file_and_line(tmp_path):
    path = tmp_path / "fm.txt"
    path.write_text(front_matter('title = "A\x00B"\n', STATEMENT), encoding="utf-8")

    with pytest.raises(CommandError, match=r"fm\.txt, line 5: the text holds a NUL character"):
        run_import(path)
    assert nothing_written()


# --- Reference collisions between documents --------------------------------------------------------------


def _colliding_corpus(folder):
    (folder / "strategy.txt").write_text(STRATEGY, encoding="utf-8")
    (folder / "statement.txt").write_text(STATEMENT, encoding="utf-8")
    manifest = folder / "manifest.toml"
    manifest.write_text(
        '[[documents]]\nfile = "strategy.txt"\nslug = "pcx-strategy"\nreference_prefix = "PCX"\n'
        'title = "Strategy"\nkind = "strategy"\n\n'
        '[[documents]]\nfile = "statement.txt"\nslug = "pcx-one"\nreference_prefix = "PCX-1"\n'
        'title = "Statement"\nkind = "statement"\n',
        encoding="utf-8",
    )
    return manifest


def test_reference_collision_in_one_run_names_both_documents(tmp_path):
    manifest = _colliding_corpus(tmp_path)

    with pytest.raises(CommandError) as raised:
        run_import(manifest)

    assert str(raised.value) == (
        f"{manifest}, line 11, field 'reference_prefix': document 'pcx-one' (statement.txt): its item reference "
        "'PCX-1-01' is already taken by document 'pcx-strategy' (strategy.txt, prefix 'PCX', section 1); "
        "give one of the two documents a prefix that does not begin with the other's"
    )
    assert nothing_written()


def test_reference_collision_with_an_earlier_import_names_both_documents(tmp_path):
    manifest = _colliding_corpus(tmp_path)
    first, second = manifest.read_text(encoding="utf-8").split("\n\n[[documents]]")
    manifest.write_text(first, encoding="utf-8")
    run_import(manifest)
    before = sorted(Item.objects.values_list("reference", flat=True))
    manifest.write_text("[[documents]]" + second, encoding="utf-8")

    with pytest.raises(CommandError, match=r"'PCX-1-01' is already taken by document 'pcx-strategy'"):
        run_import(manifest)

    assert sorted(Item.objects.values_list("reference", flat=True)) == before == ["PCX-1-01", "PCX-1-02"]
    assert not Document.objects.filter(slug="pcx-one").exists()


# --- Field lengths -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "T" * 301, "Ensure this value has at most 300 characters (it has 301)."),
        ("publisher", "P" * 201, "Ensure this value has at most 200 characters (it has 201)."),
        ("url", "https://example.org/" + "u" * 481, "Ensure this value has at most 500 characters (it has 501)."),
        ("language", "en-abcdefgh", "Ensure this value has at most 8 characters (it has 11)."),
        ("reference_prefix", "P" * 33, "Ensure this value has at most 32 characters (it has 33)."),
    ],
)
def test_too_long_manifest_field_names_the_manifest_line_and_slug(tmp_path, field, value, message):
    manifest = write_corpus(tmp_path, {"good": STATEMENT, "si": STATEMENT})
    text = manifest.read_text(encoding="utf-8")
    head, tail = text.split('slug = "si"\n')
    tail = re.sub(rf"^{field} = .*\n", "", tail, flags=re.M)
    manifest.write_text(f'{head}slug = "si"\n{field} = "{value}"\n{tail}', encoding="utf-8")
    line = line_of(manifest, f'{field} = "{value}"')

    with pytest.raises(CommandError) as raised:
        run_import(manifest)

    assert str(raised.value) == f"{manifest}, line {line}, field '{field}': document 'si' (si.txt): {message}"
    assert nothing_written()


def test_too_long_front_matter_field_names_the_file_line_and_slug(tmp_path):
    path = tmp_path / "fm.txt"
    path.write_text(front_matter(f'author = "{"A" * 201}"\ntitle = "T"\n', STATEMENT), encoding="utf-8")

    with pytest.raises(CommandError) as raised:
        run_import(path)

    assert str(raised.value) == (
        f"{path}, line 5, field 'author': document 'fm' (fm.txt): "
        "Ensure this value has at most 200 characters (it has 201)."
    )
    assert nothing_written()


# --- import_items ---------------------------------------------------------------------------------------------


@pytest.fixture
def items():
    nato = factories.ActorFactory(slug="nato", name="NATO")
    theme = Theme.objects.get(slug="kosovo-dialogue")
    return [
        factories.ItemFactory(reference="SI-2006-01", made_by=[nato], themes=[theme]),
        factories.ItemFactory(reference="SI-2006-02"),
    ]


def _unchanged(items):
    return [
        (i.reference, i.title, i.status, i.updated_at, i.status_updates.count())
        for i in Item.objects.filter(pk__in=[i.pk for i in items]).order_by("pk")
    ]


def test_import_items_evidence_url_over_500_characters_names_row_and_column(tmp_path, items):
    before = _unchanged(items)
    rows = export(items)
    rows[0].update(title="A new title")
    rows[1].update(status="in_progress", status_date="2024-05-01", status_evidence_url="https://e.org/" + "x" * 487)
    path = write_csv(tmp_path / "items.csv", rows)

    with pytest.raises(CommandError) as raised:
        run(path)

    assert str(raised.value) == (
        f"{path}: 1 errors, nothing written:\nrow 3, column 'status_evidence_url': 501 characters; at most 500"
    )
    assert _unchanged(items) == before
    assert StatusUpdate.objects.count() == 0


@pytest.mark.parametrize("column", ["reference", "title", "made_by", "status_note"])
def test_import_items_nul_in_a_cell_names_row_and_column(tmp_path, items, column):
    before = _unchanged(items)
    rows = export(items)
    rows[0].update(title="A new title")
    cell = rows[1][column] or "abcdef"
    rows[1][column] = cell[:3] + "\x00" + cell[3:]
    path = write_csv(tmp_path / "items.csv", rows)

    with pytest.raises(CommandError) as raised:
        run(path)

    assert str(raised.value) == (
        f"{path}: 1 errors, nothing written:\n"
        f"row 3, column '{column}': holds a NUL character (U+0000) at position 4, which a cell may not contain"
    )
    assert _unchanged(items) == before
    assert Actor.objects.count() == 1


def test_import_items_truncated_csv_is_refused(tmp_path, items):
    before = _unchanged(items)
    rows = export(items)
    rows[0].update(title="A new title")
    rows[1].update(title='A title, "quoted", and more', status_note="line one\nline two")
    path = write_csv(tmp_path / "items.csv", rows)
    content = path.read_text(encoding="utf-8")
    path.write_text(content[: content.index("line two")], encoding="utf-8")  # cut inside the quoted note

    with pytest.raises(CommandError) as raised:
        run(path)

    assert str(raised.value) == (
        f"{path}: 1 errors, nothing written:\n"
        "row 3, column '': the file ends inside a quoted cell begun on line 3 or later: is the file truncated?"
    )
    assert _unchanged(items) == before


def test_import_items_stray_quote_is_refused_with_its_row(tmp_path, items):
    rows = export(items)
    path = write_csv(tmp_path / "items.csv", rows)
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[2] = lines[2].replace("SI-2006-02,", '"SI-2006-02"x,', 1)
    path.write_text("\n".join(lines), encoding="utf-8")

    with pytest.raises(
        CommandError, match=r"row 3, column '': not a valid CSV row \(line 3\): ',' expected after '\"'"
    ):
        run(path)


def test_csv_module_still_reads_the_export_strictly(tmp_path, items):
    # The strict reader accepts what the exporter writes: quotes, commas, newlines and quotes in cells.
    rows = export(items)
    rows[0].update(title='He said "no", then left', status_note="a\nb, c")
    path = write_csv(tmp_path / "items.csv", rows)
    with path.open(encoding="utf-8", newline="") as stream:
        assert list(csv.DictReader(stream, strict=True))[0]["title"] == 'He said "no", then left'
