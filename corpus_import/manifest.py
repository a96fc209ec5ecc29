"""Reading the corpus: a TOML manifest of documents, or one text file with TOML front matter.

A manifest (``corpus/manifest.toml``) holds one ``[[documents]]`` table per text file, with the
file named relative to the manifest's folder. A single text file may instead carry its metadata
itself, between two ``+++`` lines at the top; the text (and so every citation offset, and the
sha256) is then everything after the closing ``+++`` line.

Every problem a user can fix raises ``ImportInputError`` naming the file and the line or field.
"""

import dataclasses
import hashlib
import re
import tomllib
from datetime import date
from pathlib import Path

from .errors import ImportInputError
from .records import DOCUMENT_KINDS, DocumentMeta

# Texts are read whole into memory and scanned by regexes; 5 MB is fifty times the largest
# document in the seed corpus and still extracts in well under a second.
MAX_FILE_BYTES = 5 * 1024 * 1024

MANIFEST_NAME = "manifest.toml"
REQUIRED_FIELDS = ("slug", "reference_prefix", "title", "kind")
OPTIONAL_FIELDS = ("publisher", "author", "published", "url", "archived_url", "language", "sha256")
MANIFEST_FIELDS = ("file", *REQUIRED_FIELDS, *OPTIONAL_FIELDS)
FRONT_MATTER_FIELDS = (*REQUIRED_FIELDS, *OPTIONAL_FIELDS)

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PREFIX_RE = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$")
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")
_LANG_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_URL_RE = re.compile(r"^https?://\S+$")
_TOML_LINE_RE = re.compile(r"at line (\d+)")
_FENCE = "+++"


def parse_published(value: object) -> tuple[date | None, str]:
    """Turn ``"2006"``, ``"2006-10"`` or ``"2006-10-07"`` (or a TOML date) into (date, precision).

    Raises ``ValueError`` with a user-readable reason.
    """
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value, "day"
    if not isinstance(value, str):
        raise ValueError(f"must be a string YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")
    match = _DATE_RE.match(value.strip())
    if not match:
        raise ValueError(f"malformed date {value!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    try:
        parsed = date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise ValueError(f"impossible date {value!r}: {exc}") from None
    return parsed, "day" if day else "month" if month else "year"


def load_manifest(manifest_path: Path | str) -> tuple[DocumentMeta, ...]:
    """Parse and validate a manifest; the files must exist inside the manifest's folder."""
    manifest_path = Path(manifest_path)
    raw = _read_utf8(manifest_path)
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise ImportInputError(manifest_path, f"invalid TOML: {exc}", line=_toml_error_line(exc)) from None
    lines = raw.splitlines()
    unknown = sorted(set(data) - {"documents"})
    if unknown:
        raise ImportInputError(
            manifest_path,
            f"unknown top-level key {unknown[0]!r}; a manifest holds only [[documents]] tables",
            line=_find_key_line(lines, unknown[0], 0),
            field=unknown[0],
        )
    documents = data.get("documents")
    if not isinstance(documents, list) or not documents:
        raise ImportInputError(manifest_path, "no [[documents]] tables")
    table_lines = [i for i, line in enumerate(lines) if line.strip().startswith("[[documents]]")]
    folder = manifest_path.parent.resolve()
    metas: list[DocumentMeta] = []
    seen_files: dict[Path, int] = {}
    seen_slugs: dict[str, int] = {}
    for index, entry in enumerate(documents):
        first_line = table_lines[index] if index < len(table_lines) else 0
        error = _EntryErrors(manifest_path, lines, index, first_line)
        if not isinstance(entry, dict):
            raise error("each document must be a table")
        unknown = sorted(set(entry) - set(MANIFEST_FIELDS))
        if unknown:
            raise error(f"unknown field {unknown[0]!r}; allowed: {', '.join(MANIFEST_FIELDS)}", unknown[0])
        if "file" not in entry:
            raise error("missing required field 'file'", "file")
        file_value = entry["file"]
        if not isinstance(file_value, str) or not file_value.strip():
            raise error("must be a non-empty relative path", "file")
        relative = Path(file_value)
        resolved = (folder / relative).resolve()
        if relative.is_absolute() or not resolved.is_relative_to(folder):
            raise error(f"path {file_value!r} is outside the corpus folder {folder}", "file")
        if resolved in seen_files:
            raise error(f"duplicate file {file_value!r} (already document #{seen_files[resolved]})", "file")
        if not resolved.is_file():
            raise error(f"file not found: {resolved}", "file")
        seen_files[resolved] = index + 1
        try:
            meta = _build_meta(resolved, entry)
        except _FieldError as exc:
            raise error(exc.message, exc.field) from None
        field_lines = (("", first_line + 1), *((key, _find_key_line(lines, key, first_line)) for key in entry))
        meta = dataclasses.replace(meta, origin=manifest_path, field_lines=field_lines)
        if meta.slug in seen_slugs:
            raise error(f"duplicate slug {meta.slug!r} (already document #{seen_slugs[meta.slug]})", "slug")
        seen_slugs[meta.slug] = index + 1
        metas.append(meta)
    return tuple(metas)


def read_document_text(meta: DocumentMeta) -> str:
    """Read a manifest document's text, enforcing the size limit, UTF-8 and the expected sha256."""
    data = _read_limited(meta.path)
    _check_sha256(meta.path, data, meta.sha256)
    text = _decode(meta.path, data)
    if not text.strip():  # str.strip, unlike the bytes check before, knows no-break and other Unicode spaces
        raise ImportInputError(meta.path, "the text holds only whitespace", line=1)
    return text


def load_front_matter(path: Path | str) -> tuple[DocumentMeta, str]:
    """Read a text file that starts with TOML front matter between ``+++`` lines.

    Returns the metadata and the text after the closing fence; ``sha256``, when given, is the
    hash of that text's UTF-8 bytes (the bytes the citations point into).
    """
    path = Path(path)
    data = _read_limited(path)
    content = _decode(path, data)
    lines = content.splitlines(keepends=True)
    if not lines or lines[0].strip() != _FENCE:
        raise ImportInputError(path, "no front matter: the first line must be '+++'", line=1)
    closing = next((i for i in range(1, len(lines)) if lines[i].strip() == _FENCE), None)
    if closing is None:
        raise ImportInputError(path, "front matter is not closed by a '+++' line", line=1)
    header = "".join(lines[1:closing])
    body = "".join(lines[closing + 1 :])
    try:
        entry = tomllib.loads(header)
    except tomllib.TOMLDecodeError as exc:
        line = _toml_error_line(exc)
        raise ImportInputError(path, f"invalid TOML front matter: {exc}", line=line + 1 if line else None) from None
    header_lines = header.splitlines()
    for key in entry:
        if key not in FRONT_MATTER_FIELDS:
            raise ImportInputError(
                path,
                f"unknown field {key!r}; allowed: {', '.join(FRONT_MATTER_FIELDS)}",
                line=_find_key_line(header_lines, key, 0) + 1,
                field=key,
            )
    try:
        meta = _build_meta(path.resolve(), entry)
    except _FieldError as exc:
        line = _find_key_line(header_lines, exc.field, 0)
        raise ImportInputError(path, exc.message, line=line + 1, field=exc.field) from None
    if not body.strip():
        raise ImportInputError(path, "the text after the front matter is empty", line=closing + 2)
    _check_sha256(path, body.encode("utf-8"), meta.sha256)
    field_lines = (("", 1), *((key, _find_key_line(header_lines, key, 0) + 1) for key in entry))
    return dataclasses.replace(meta, origin=path, field_lines=field_lines), body


class _EntryErrors:
    """Builds errors for one manifest entry, pointing at the line of the offending field."""

    def __init__(self, path: Path, lines: list[str], index: int, first_line: int):
        self.path, self.lines, self.index, self.first_line = path, lines, index, first_line

    def __call__(self, message: str, field: str | None = None) -> ImportInputError:
        line = _find_key_line(self.lines, field, self.first_line)
        return ImportInputError(self.path, f"document #{self.index + 1}: {message}", line=line, field=field)


class _FieldError(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def _build_meta(path: Path, entry: dict) -> DocumentMeta:
    for name in REQUIRED_FIELDS:
        if name not in entry:
            raise _FieldError(name, f"missing required field {name!r}")
    values: dict[str, str] = {}
    for name in (*REQUIRED_FIELDS, *OPTIONAL_FIELDS):
        if name == "published" or name not in entry:
            continue
        value = entry[name]
        if not isinstance(value, str):
            raise _FieldError(name, f"must be a string, not {type(value).__name__}")
        values[name] = value.strip()
    checks = (
        ("slug", _SLUG_RE, "must be lowercase letters, digits and single hyphens"),
        ("reference_prefix", _PREFIX_RE, "must be uppercase letters, digits and hyphens, e.g. 'ATA-2006'"),
        ("sha256", _SHA_RE, "must be 64 lowercase hex digits"),
        ("language", _LANG_RE, "must be a language code such as 'en'"),
        ("url", _URL_RE, "must be an http(s) URL"),
        ("archived_url", _URL_RE, "must be an http(s) URL"),
    )
    for name, pattern, reason in checks:
        if name in values and not pattern.match(values[name]):
            raise _FieldError(name, f"{reason}: {values[name]!r}")
    if not values["title"]:
        raise _FieldError("title", "must not be empty")
    if values["kind"] not in DOCUMENT_KINDS:
        raise _FieldError("kind", f"unknown kind {values['kind']!r}; one of {', '.join(DOCUMENT_KINDS)}")
    published, precision = None, "unknown"
    if "published" in entry:
        try:
            published, precision = parse_published(entry["published"])
        except ValueError as exc:
            raise _FieldError("published", str(exc)) from None
    return DocumentMeta(
        path=path,
        slug=values["slug"],
        reference_prefix=values["reference_prefix"],
        title=values["title"],
        kind=values["kind"],
        publisher=values.get("publisher", ""),
        author=values.get("author", ""),
        published=published,
        date_precision=precision,
        url=values.get("url", ""),
        archived_url=values.get("archived_url", ""),
        language=values.get("language", "en") or "en",
        sha256=values.get("sha256", ""),
    )


def _read_limited(path: Path) -> bytes:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportInputError(path, f"cannot read file: {exc.strerror}", field="file") from None
    if size > MAX_FILE_BYTES:
        raise ImportInputError(
            path,
            f"file is {size} bytes, over the limit of {MAX_FILE_BYTES} bytes ({MAX_FILE_BYTES / 2**20:g} MB)",
            field="file",
        )
    data = path.read_bytes()
    if not data.strip():
        raise ImportInputError(path, "file is empty", field="file")
    return data


def _read_utf8(path: Path) -> str:
    return _decode(path, _read_limited(path))


def _decode(path: Path, data: bytes) -> str:
    """UTF-8 without a leading byte order mark (editors on Windows add one; it is not part of the text,
    and left in it would start the first quote and title, or hide a manifest's first key or fence)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ImportInputError(
            path, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})", line=line
        ) from None
    text = text.removeprefix("\ufeff")
    nul = text.find("\x00")
    if nul >= 0:
        # PostgreSQL refuses NUL in text; said here, it names the file and the place rather than a table.
        line = text.count("\n", 0, nul) + 1
        column = nul - (text.rfind("\n", 0, nul) + 1) + 1
        raise ImportInputError(
            path,
            f"the text holds a NUL character (U+0000) at column {column}: is it UTF-16 or a binary file?",
            line=line,
        )
    return text


def _check_sha256(path: Path, data: bytes, expected: str) -> None:
    if expected:
        actual = hashlib.sha256(data).hexdigest()
        if actual != expected:
            message = f"sha256 mismatch: expected {expected}, file has {actual}"
            raise ImportInputError(path, message, field="sha256")


def _toml_error_line(exc: tomllib.TOMLDecodeError) -> int | None:
    lineno = getattr(exc, "lineno", None)
    if lineno:
        return lineno
    match = _TOML_LINE_RE.search(str(exc))
    return int(match.group(1)) if match else None


def _find_key_line(lines: list[str], key: str | None, start: int) -> int:
    """1-based line of ``key = ...`` at or after 0-based ``start`` (the table's header line)."""
    if key:
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for i in range(start, len(lines)):
            if i > start and lines[i].strip().startswith("[["):
                break
            if pattern.match(lines[i]):
                return i + 1
    return start + 1


def meta_from_fields(path: Path | str, fields: dict) -> DocumentMeta:
    """Document metadata given some other way than a file (the staff intake form), with the very
    checks of a manifest entry; a problem raises ImportInputError with the field named."""
    entry = {name: value for name, value in fields.items() if name in FRONT_MATTER_FIELDS and value not in ("", None)}
    try:
        return _build_meta(Path(path), entry)
    except _FieldError as exc:
        raise ImportInputError(path, exc.message, field=exc.field) from None
