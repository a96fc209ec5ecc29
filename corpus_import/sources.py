"""Turn the paths given to `import_corpus` into a lazy stream of (meta, text): one document in memory at a time.

Manifests are parsed (and every entry validated) up front, so a bad entry fails before anything
is written; texts are read one by one while importing.
"""

import bisect
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from corpus_import.errors import ImportInputError
from corpus_import.manifest import (
    MANIFEST_NAME,
    MAX_FILE_BYTES,
    _check_sha256,
    _decode,
    _read_limited,
    load_front_matter,
    load_manifest,
    read_document_text,
)
from corpus_import.records import DocumentMeta


def plan_sources(paths: list[Path]) -> list[DocumentMeta | Path]:
    """Manifest entries (DocumentMeta) and front-matter files (Path), refusing the same file or slug twice."""
    planned: list[DocumentMeta | Path] = []
    files: dict[Path, Path] = {}
    slugs: dict[str, Path] = {}

    def claim(file: Path, slug: str | None, origin: Path) -> None:
        resolved = file.resolve()
        if resolved in files:
            raise ImportInputError(origin, f"{file} is listed twice (first in {files[resolved]})", field="file")
        files[resolved] = origin
        if slug is not None:
            if slug in slugs:
                raise ImportInputError(origin, f"slug {slug!r} is used twice (first in {slugs[slug]})", field="slug")
            slugs[slug] = origin

    for path in paths:
        path = Path(path)
        manifest = path / MANIFEST_NAME if path.is_dir() else path
        if not manifest.exists():
            raise ImportInputError(manifest, "no such file or folder")
        if manifest.suffix == ".toml":
            for meta in load_manifest(manifest):
                claim(meta.path, meta.slug, manifest)
                planned.append(meta)
        else:
            claim(manifest, None, manifest)
            planned.append(manifest)
    return planned


def iter_documents(planned: list[DocumentMeta | Path]) -> Iterator[tuple[DocumentMeta, str]]:
    for meta, text, _source in iter_sources(planned):
        yield meta, text


def load_corpus(source: Path | str) -> tuple[tuple[DocumentMeta, str], ...]:
    """All (meta, text) pairs of a manifest, a folder holding ``manifest.toml``, or a front-matter file."""
    return tuple(iter_documents(plan_sources([Path(source)])))


# --- File types: plain text, HTML pages and PDFs in, verbatim text and metadata out ------------------

MEDIA_TEXT, MEDIA_HTML, MEDIA_PDF = "text/plain", "text/html", "application/pdf"
_HTML_START_RE = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_HTML_LANG_RE = re.compile(r"<html\b[^>]*\blang=[\"']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)", re.I)
PAGE_BREAK = "\n\n"  # between the pages of a PDF; page_starts records where each page begins


@dataclass(frozen=True)
class SourceText:
    """A file read for import: the verbatim text citations will point into, and what it came from."""

    text: str
    media_type: str
    name: str
    original: bytes  # the file as given, kept so the text can be regenerated
    metadata: dict = field(default_factory=dict)  # manifest fields found in the file (title, published, ...)
    page_starts: tuple[int, ...] = ()  # PDF: offset of each page's first character

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.original).hexdigest()


def sniff_media_type(data: bytes) -> str:
    """The type by content, never by name: a PDF by its header, HTML by its first tag, else text."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf")
    if head.lstrip().startswith(b"%PDF-"):
        return MEDIA_PDF
    if _HTML_START_RE.match(head):
        return MEDIA_HTML
    return MEDIA_TEXT


def read_source(path: Path | str, data: bytes, *, name: str | None = None) -> SourceText:
    """Text and metadata of a file's bytes; `path` names the file in errors. Raises ImportInputError."""
    path = Path(path)
    name = name or path.name
    if len(data) > MAX_FILE_BYTES:
        raise ImportInputError(
            path, f"file is {len(data)} bytes, over the limit of {MAX_FILE_BYTES} bytes", field="file"
        )
    if not data.strip():
        raise ImportInputError(path, "file is empty", field="file")
    media_type = sniff_media_type(data)
    if media_type == MEDIA_PDF:
        return _read_pdf(path, name, data)
    decoded = _decode(path, data)  # the same message as for a manifest's text file
    if media_type == MEDIA_HTML:
        return _read_html(path, name, data, decoded)
    return SourceText(text=decoded, media_type=MEDIA_TEXT, name=name, original=data)


def _read_html(path: Path, name: str, data: bytes, html: str) -> SourceText:
    """The main text by trafilatura: navigation, banners, cookie notices and comments are dropped."""
    import trafilatura  # imported here: it loads lxml and its models, which plain-text imports never need

    document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=True)
    body = (document.text or "").strip() if document is not None else ""
    if not body:
        raise ImportInputError(path, "no main text found in this HTML page", field="file")
    # trafilatura puts one newline between blocks; a blank line is what the segmenter reads as a paragraph.
    text = "\n\n".join(line.strip() for line in body.splitlines() if line.strip()) + "\n"
    metadata = {
        "title": document.title or "",
        "author": document.author or "",
        "publisher": document.sitename or document.hostname or "",
        "published": document.date or "",
        "url": document.url or "",
    }
    lang = _HTML_LANG_RE.search(html[:4096])
    if lang:
        metadata["language"] = lang.group(1).lower()
    return SourceText(
        text=text, media_type=MEDIA_HTML, name=name, original=data, metadata={k: v for k, v in metadata.items() if v}
    )


def _read_pdf(path: Path, name: str, data: bytes) -> SourceText:
    """The text layer page by page (pypdf); pages are joined by a blank line and their starts kept ("p. 4")."""
    import pypdf
    from pypdf.errors import PdfReadError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
        info = reader.metadata or {}
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ImportInputError(path, f"not a readable PDF: {exc}", field="file") from None
    if not any(pages):
        raise ImportInputError(
            path,
            f"this PDF has no text layer (only images on its {len(pages)} page(s), e.g. a scan): run it through OCR "
            "first, or paste its text",
            field="file",
        )
    text, starts = "", []
    for number, page in enumerate(pages):
        if number:
            text += PAGE_BREAK
        starts.append(len(text))
        text += page
    text += "\n"
    metadata = {}
    title = str(info.get("/Title") or "").strip()
    if title:
        metadata["title"] = title
    author = str(info.get("/Author") or "").strip()
    if author:
        metadata["author"] = author
    created = getattr(reader.metadata, "creation_date", None) if reader.metadata else None
    if created is not None:
        metadata["published"] = created.date().isoformat()
    return SourceText(
        text=text, media_type=MEDIA_PDF, name=name, original=data, metadata=metadata, page_starts=tuple(starts)
    )


def page_at(page_starts: tuple[int, ...] | list[int], offset: int) -> int | None:
    """The 1-based page holding `offset`, or None for a source without pages."""
    if not page_starts:
        return None
    return bisect.bisect_right(list(page_starts), offset) or 1


def iter_sources(planned: list[DocumentMeta | Path]) -> Iterator[tuple[DocumentMeta, str, SourceText]]:
    """Like iter_documents, with each document's file as read (HTML and PDF files converted to text)."""
    slugs: set[str] = set()
    for entry in planned:
        if isinstance(entry, DocumentMeta):
            data = _read_limited(entry.path)
            if sniff_media_type(data) == MEDIA_TEXT:
                # Text files keep every check of the manifest reader.
                text = read_document_text(entry)
                source = SourceText(text=text, media_type=MEDIA_TEXT, name=entry.path.name, original=data)
            else:
                _check_sha256(entry.path, data, entry.sha256)
                source = read_source(entry.path, data)
                text = source.text
            meta = entry
        else:
            meta, text = load_front_matter(entry)
            source = SourceText(text=text, media_type=MEDIA_TEXT, name=entry.name, original=text.encode("utf-8"))
        if meta.slug in slugs:
            raise ImportInputError(meta.path, f"slug {meta.slug!r} is used twice in this run", field="slug")
        slugs.add(meta.slug)
        yield meta, text, source
