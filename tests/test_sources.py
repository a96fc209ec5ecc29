"""File types in (corpus_import.sources): text, HTML and PDF to verbatim text and metadata; import of each."""

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from corpus_import.errors import ImportInputError
from corpus_import.sources import MEDIA_HTML, MEDIA_PDF, MEDIA_TEXT, read_source, sniff_media_type
from tests.pdf_files import make_pdf
from tracker.models import Citation, Document, SourceFile

SENTENCE = "NATO pledged to keep its peacekeepers in Kosovo to deter any clashes."
HTML = f"""<!doctype html><html lang="en"><head><title>NATO pledge | Example News</title>
<meta name="author" content="Jane Doe"><meta property="article:published_time" content="2024-05-02">
<meta property="og:site_name" content="Example News"></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/about">About us</a></nav>
<div class="cookie-banner">This website uses cookies. Accept all.</div>
<article><h1>NATO pledge</h1><p>{SENTENCE}</p>
<p>The European Union will continue to support the dialogue between Belgrade and Pristina, the spokesperson
said on Monday in a long statement about the region.</p></article>
<footer>Copyright 2024 Example News. Subscribe to our newsletter.</footer></body></html>
"""


def test_type_is_sniffed_from_the_content_not_the_name():
    assert sniff_media_type(make_pdf([["x"]])) == MEDIA_PDF
    assert sniff_media_type(HTML.encode()) == MEDIA_HTML
    assert sniff_media_type(b"\xef\xbb\xbf  <!-- saved page -->\n<HTML><body>x</body></HTML>") == MEDIA_HTML
    assert sniff_media_type(b"Plain text that mentions <html> later on.") == MEDIA_TEXT
    # A PDF named .txt is read as a PDF.
    assert read_source("notes.txt", make_pdf([[SENTENCE]])).media_type == MEDIA_PDF


def test_html_keeps_the_main_text_and_drops_navigation_cookies_and_footer():
    source = read_source("page.html", HTML.encode())

    assert SENTENCE in source.text
    assert "the dialogue between Belgrade and Pristina" in source.text
    for dropped in ("About us", "cookies", "Subscribe", "Copyright"):
        assert dropped not in source.text
    assert source.metadata == {
        "title": "NATO pledge",
        "author": "Jane Doe",
        "publisher": "Example News",
        "published": "2024-05-02",
        "language": "en",
    }
    assert source.sha256 == hashlib.sha256(HTML.encode()).hexdigest()


def test_pdf_text_keeps_page_boundaries():
    data = make_pdf([["First page line one.", "First page line two."], [SENTENCE]], title="A report")

    source = read_source("report.pdf", data)

    assert source.text == f"First page line one.\nFirst page line two.\n\n{SENTENCE}\n"
    assert source.page_starts == (0, source.text.index(SENTENCE))
    assert source.metadata == {"title": "A report", "published": "2024-05-02"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (make_pdf([["a"], ["b"]], text_layer=False), "this PDF has no text layer (only images on its 2 page(s)"),
        (b"%PDF-1.4\nnot really a pdf", "not a readable PDF"),
        (b"  \n ", "file is empty"),
        (b"caf\xe9", "not valid UTF-8 (byte 0xe9 at offset 3)"),
        (b"<html><body><script>start()</script></body></html>", "no main text found in this HTML page"),
    ],
)
def test_unreadable_files_are_refused_with_the_reason(data, message):
    with pytest.raises(ImportInputError) as error:
        read_source("upload.bin", data)
    assert str(error.value).startswith("upload.bin")
    assert message in str(error.value)


def test_size_limit(settings):
    from corpus_import import manifest

    with pytest.raises(ImportInputError, match="over the limit"):
        read_source("big.txt", b"x" * (manifest.MAX_FILE_BYTES + 1))


def _manifest(folder, file, slug, prefix):
    return (
        f'[[documents]]\nfile = "{file}"\nslug = "{slug}"\nreference_prefix = "{prefix}"\ntitle = "T {slug}"\n'
        'kind = "news_article"\npublisher = "Example News"\npublished = "2024-05"\n'
    )


@pytest.mark.django_db
def test_import_corpus_reads_html_and_pdf_and_keeps_the_originals(tmp_path):
    pdf = make_pdf([["The report was published in May."], [SENTENCE]])
    (tmp_path / "page.html").write_text(HTML, encoding="utf-8")
    (tmp_path / "report.pdf").write_bytes(pdf)
    (tmp_path / "manifest.toml").write_text(
        _manifest(tmp_path, "page.html", "page", "PAGE") + "\n" + _manifest(tmp_path, "report.pdf", "report", "REP"),
        encoding="utf-8",
    )

    call_command("import_corpus", str(tmp_path / "manifest.toml"), stdout=StringIO())

    page, report = Document.objects.get(slug="page"), Document.objects.get(slug="report")
    assert SENTENCE in page.text and "cookies" not in page.text
    assert page.source.media_type == MEDIA_HTML
    assert page.source.sha256 == hashlib.sha256(HTML.encode()).hexdigest()
    assert bytes(page.source.content) == HTML.encode()
    assert bytes(report.source.content) == pdf
    assert report.source.page_starts == [0, report.text.index(SENTENCE)]
    citation = Citation.objects.get(document=report, quote__contains="peacekeepers")
    assert report.source.page_at(citation.start) == 2
    assert citation.document.text[citation.start : citation.end] == citation.quote
    # The text can be regenerated from the kept file.
    assert read_source("again.pdf", bytes(report.source.content)).text == report.text

    call_command("import_corpus", str(tmp_path / "manifest.toml"), stdout=StringIO())
    assert SourceFile.objects.count() == 2


@pytest.mark.django_db
def test_import_corpus_names_a_pdf_without_text(tmp_path):
    (tmp_path / "scan.pdf").write_bytes(make_pdf([["x"]], text_layer=False))
    (tmp_path / "manifest.toml").write_text(_manifest(tmp_path, "scan.pdf", "scan", "SCAN"), encoding="utf-8")

    with pytest.raises(CommandError, match=r"scan\.pdf, field 'file': this PDF has no text layer"):
        call_command("import_corpus", str(tmp_path / "manifest.toml"), stdout=StringIO())
    assert not Document.objects.exists()
