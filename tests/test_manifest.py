import hashlib
from datetime import date
from pathlib import Path

import pytest

from corpus_import import manifest
from corpus_import.errors import ImportInputError
from corpus_import.manifest import load_front_matter, load_manifest, parse_published
from corpus_import.sources import load_corpus

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

ENTRY = """[[documents]]
file = "{file}"
slug = "{slug}"
reference_prefix = "DOC-1"
title = "A document"
kind = "statement"
{extra}
"""


def _manifest(folder: Path, *entries: str) -> Path:
    path = folder / "manifest.toml"
    path.write_text("".join(entries), encoding="utf-8")
    return path


def _entry(file: str = "doc.txt", slug: str = "doc", extra: str = "") -> str:
    return ENTRY.format(file=file, slug=slug, extra=extra)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "doc.txt").write_text("NATO pledged to stay.\n", encoding="utf-8")
    return tmp_path


def test_shipped_manifest_loads_and_hashes_match():
    documents = load_corpus(CORPUS)
    assert [meta.reference_prefix for meta, _ in documents] == [
        "ATA-2006",
        "SI-2006",
        "RFERL-2007",
        "NATO-WEB",
        "CIG-2025",
    ]
    for meta, text in documents:
        assert hashlib.sha256(text.encode("utf-8")).hexdigest() == meta.sha256
        assert meta.path.parent == CORPUS.resolve()
    by_slug = {meta.slug: meta for meta, _ in documents}
    assert (
        by_slug["cignews-2025-rutte-kosovo"].published,
        by_slug["cignews-2025-rutte-kosovo"].date_precision,
    ) == (
        date(2025, 3, 11),
        "day",
    )
    assert by_slug["cignews-2025-rutte-kosovo"].author == "Cristian Florescu"
    assert by_slug["nato-stoltenberg-western-balkans"].published is None
    assert by_slug["nato-stoltenberg-western-balkans"].date_precision == "unknown"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2006", (date(2006, 1, 1), "year")),
        ("2007-12", (date(2007, 12, 1), "month")),
        ("2025-03-11", (date(2025, 3, 11), "day")),
        (date(2020, 5, 4), (date(2020, 5, 4), "day")),
    ],
)
def test_parse_published_precision(value, expected):
    assert parse_published(value) == expected


def test_valid_manifest(folder):
    (meta,) = load_manifest(_manifest(folder, _entry(extra='published = "2006-01"\nurl = "https://example.org/a"')))
    assert (meta.slug, meta.published, meta.date_precision, meta.url) == (
        "doc",
        date(2006, 1, 1),
        "month",
        "https://example.org/a",
    )


def test_unknown_field_names_line_and_field(folder):
    path = _manifest(folder, _entry(extra='colour = "blue"'))
    with pytest.raises(ImportInputError) as info:
        load_manifest(path)
    assert (info.value.field, info.value.line) == ("colour", 7)
    assert str(info.value).startswith(f"{path}, line 7, field 'colour': document #1: unknown field 'colour'")


def test_malformed_date(folder):
    path = _manifest(folder, _entry(extra='published = "7 Dec 2007"'))
    with pytest.raises(ImportInputError, match=r"line 7, field 'published'.*malformed date '7 Dec 2007'"):
        load_manifest(path)


def test_impossible_date(folder):
    with pytest.raises(ImportInputError, match="field 'published'.*impossible date"):
        load_manifest(_manifest(folder, _entry(extra='published = "2007-02-30"')))


def test_missing_file(folder):
    path = _manifest(folder, _entry(file="nowhere.txt"))
    with pytest.raises(ImportInputError, match=r"manifest.toml, line 2, field 'file'.*file not found"):
        load_manifest(path)


def test_duplicate_file(folder):
    path = _manifest(folder, _entry(), _entry(slug="other"))
    with pytest.raises(ImportInputError, match=r"line 9, field 'file': document #2: duplicate file 'doc.txt'"):
        load_manifest(path)


def test_duplicate_slug(folder):
    (folder / "two.txt").write_text("Text.\n", encoding="utf-8")
    with pytest.raises(ImportInputError, match="field 'slug'.*duplicate slug 'doc'"):
        load_manifest(_manifest(folder, _entry(), _entry(file="two.txt")))


def test_path_outside_corpus_folder(folder):
    inner = folder / "corpus"
    inner.mkdir()
    path = _manifest(inner, _entry(file="../doc.txt"))
    with pytest.raises(ImportInputError, match=r"field 'file'.*outside the corpus folder"):
        load_manifest(path)


def test_unknown_kind_and_missing_required(folder):
    with pytest.raises(ImportInputError, match="field 'kind'.*unknown kind 'memo'"):
        load_manifest(_manifest(folder, _entry().replace('"statement"', '"memo"')))
    with pytest.raises(ImportInputError, match="field 'title'.*missing required field 'title'"):
        load_manifest(_manifest(folder, _entry().replace('title = "A document"\n', "")))


def test_invalid_toml_names_line(folder):
    path = _manifest(folder, _entry() + "slug = = oops\n")
    with pytest.raises(ImportInputError, match=r"manifest.toml, line 8: invalid TOML"):
        load_manifest(path)


def test_file_over_documented_limit_of_5_mb(folder):
    big = folder / "big.txt"
    big.write_bytes(b"a" * (5 * 1024 * 1024 + 1))
    (meta,) = load_manifest(_manifest(folder, _entry(file="big.txt")))
    with pytest.raises(
        ImportInputError,
        match=r"big.txt, field 'file': file is 5242881 bytes, over the limit of 5242880 bytes \(5 MB\)",
    ):
        manifest.read_document_text(meta)


def test_non_utf8_bytes_name_line(folder):
    (folder / "doc.txt").write_bytes(b"first line\nsecond \xff line\n")
    (meta,) = load_manifest(_manifest(folder, _entry()))
    with pytest.raises(ImportInputError, match=r"doc.txt, line 2: not valid UTF-8 \(byte 0xff at offset 18\)"):
        manifest.read_document_text(meta)


def test_empty_file(folder):
    (folder / "doc.txt").write_text("  \n", encoding="utf-8")
    (meta,) = load_manifest(_manifest(folder, _entry()))
    with pytest.raises(ImportInputError, match=r"doc.txt, field 'file': file is empty"):
        manifest.read_document_text(meta)


def test_sha256_mismatch(folder):
    (meta,) = load_manifest(_manifest(folder, _entry(extra=f'sha256 = "{"0" * 64}"')))
    with pytest.raises(ImportInputError, match=r"doc.txt, field 'sha256': sha256 mismatch"):
        manifest.read_document_text(meta)


FRONT = """+++
slug = "nato-2026-communique"
reference_prefix = "NATO-2026"
title = "Communique"
kind = "communique"
publisher = "NATO"
published = "2026-07"
+++
Allies will continue to support the Western Balkans.
"""


def test_front_matter_parsing(tmp_path):
    path = tmp_path / "communique.txt"
    path.write_text(FRONT, encoding="utf-8")
    meta, text = load_front_matter(path)
    assert (meta.slug, meta.kind, meta.publisher, meta.published, meta.date_precision) == (
        "nato-2026-communique",
        "communique",
        "NATO",
        date(2026, 7, 1),
        "month",
    )
    assert text == "Allies will continue to support the Western Balkans.\n"
    assert load_corpus(path) == ((meta, text),)


def test_front_matter_errors(tmp_path):
    path = tmp_path / "communique.txt"
    path.write_text(FRONT.replace('publisher = "NATO"', 'publisher = "NATO"\nflavour = "x"'), encoding="utf-8")
    with pytest.raises(ImportInputError, match=r"communique.txt, line 7, field 'flavour': unknown field"):
        load_front_matter(path)
    path.write_text(FRONT.replace('"2026-07"', '"July 2026"'), encoding="utf-8")
    with pytest.raises(ImportInputError, match=r"communique.txt, line 7, field 'published': malformed date"):
        load_front_matter(path)
    path.write_text("Just text.\n", encoding="utf-8")
    with pytest.raises(ImportInputError, match=r"communique.txt, line 1: no front matter"):
        load_front_matter(path)
    path.write_text(FRONT.replace("+++\nAllies", "Allies"), encoding="utf-8")
    with pytest.raises(ImportInputError, match="not closed"):
        load_front_matter(path)


def test_archived_url_is_read_and_checked(folder):
    archive = "https://web.archive.org/web/2007/https://example.org/a"
    (meta,) = load_manifest(_manifest(folder, _entry(extra=f'archived_url = "{archive}"')))
    assert meta.archived_url == archive
    with pytest.raises(ImportInputError) as error:
        load_manifest(_manifest(folder, _entry(extra='archived_url = "ftp://example.org/a"')))
    assert error.value.field == "archived_url"
    assert "must be an http(s) URL" in str(error.value)
