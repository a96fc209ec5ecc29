"""Adding a document from the browser: upload, preview, confirm or cancel.

An upload is read at once (corpus_import.sources: type sniffed, text extracted, limits enforced)
and parked on disk under a random token until the reviewer confirms or cancels; nothing reaches
the database before the confirmation. The preview runs the very importer in its dry-run mode (one
transaction, rolled back) for the report, and the extraction for the items to highlight; the
confirmation runs the importer for real.
"""

import json
import secrets
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.text import slugify

from corpus_import import extract
from corpus_import.errors import ImportInputError
from corpus_import.importer import ImportReport, import_corpus
from corpus_import.manifest import meta_from_fields
from corpus_import.records import DocumentMeta, ExtractedDocument
from corpus_import.sources import MEDIA_TEXT, SourceText, read_source
from tracker import reading

PENDING_TTL = 24 * 3600  # an upload nobody confirmed or cancelled is dropped after a day
_TOKEN_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


def pending_dir() -> Path:
    folder = Path(getattr(settings, "INTAKE_DIR", "") or Path(tempfile.gettempdir()) / "tracker-intake")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class UnknownUpload(LookupError):
    """The token names no upload of this user (expired, cancelled, confirmed, or someone else's)."""


def park(source: SourceText, user_id: int) -> str:
    """Keep an upload until it is confirmed or cancelled; returns its token."""
    _drop_expired()
    token = secrets.token_urlsafe(18)
    folder = pending_dir()
    (folder / f"{token}.bin").write_bytes(source.original)
    (folder / f"{token}.json").write_text(
        json.dumps({"name": source.name, "user": user_id, "pasted": source.media_type == MEDIA_TEXT}),
        encoding="utf-8",
    )
    return token


def load(token: str, user_id: int) -> SourceText:
    if not token or set(token) - _TOKEN_CHARS:
        raise UnknownUpload(token)
    folder = pending_dir()
    try:
        info = json.loads((folder / f"{token}.json").read_text(encoding="utf-8"))
        data = (folder / f"{token}.bin").read_bytes()
    except (OSError, ValueError):
        raise UnknownUpload(token) from None
    if info.get("user") != user_id:
        raise UnknownUpload(token)
    return read_source(info["name"], data, name=info["name"])


def discard(token: str) -> None:
    if not token or set(token) - _TOKEN_CHARS:
        return
    for suffix in (".bin", ".json"):
        (pending_dir() / f"{token}{suffix}").unlink(missing_ok=True)


def _drop_expired() -> None:
    cutoff = time.time() - PENDING_TTL
    for path in pending_dir().glob("*.json"):
        if path.stat().st_mtime < cutoff:
            discard(path.stem)


def read_upload(name: str, data: bytes) -> SourceText:
    """An uploaded file or pasted text, read as import_corpus reads files (raises ImportInputError)."""
    return read_source(name, data, name=name)


def initial_metadata(source: SourceText) -> dict:
    """The metadata form's first values: what the file says about itself, and a slug from its title."""
    initial = {"language": "en", **source.metadata}
    title = initial.get("title", "")
    if title:
        slug = slugify(title)[:60].strip("-")
        initial.setdefault("slug", slug)
    if initial.get("published"):
        initial["published"] = str(initial["published"])[:10]
    return initial


def build_meta(source: SourceText, fields: dict) -> DocumentMeta:
    """The manifest's checks on the form's values (ImportInputError names the field)."""
    return meta_from_fields(source.name, fields)


@dataclass
class Preview:
    report: ImportReport
    extracted: ExtractedDocument
    segments: list

    @property
    def items(self):
        return self.extracted.items


def preview(meta: DocumentMeta, source: SourceText, *, replace: bool = False) -> Preview:
    """What the import would do, computed by the importer itself in a rolled-back transaction."""
    report = import_corpus([(meta, source.text, source)], dry_run=True, replace=replace)
    extracted = extract.extract_document(meta, source.text)
    spans = [
        reading.CitedSpan(citation.start, citation.end, number, f"#{number}")
        for number, record in enumerate(extracted.items, start=1)
        for citation in record.citations
    ]
    boilerplate = [reading.LabelledSpan(span.start, span.end, span.label) for span in extracted.boilerplate]
    return Preview(report=report, extracted=extracted, segments=reading.segments(source.text, spans, boilerplate))


def confirm(meta: DocumentMeta, source: SourceText, *, replace: bool = False) -> ImportReport:
    """Import for real: the same call as `import_corpus`, one transaction."""
    return import_corpus([(meta, source.text, source)], replace=replace)


__all__ = [
    "ImportInputError",
    "Preview",
    "UnknownUpload",
    "build_meta",
    "confirm",
    "discard",
    "initial_metadata",
    "load",
    "park",
    "preview",
    "read_upload",
]
