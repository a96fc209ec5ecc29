"""Turn the paths given to `import_corpus` into a lazy stream of (meta, text): one document in memory at a time.

Manifests are parsed (and every entry validated) up front, so a bad entry fails before anything
is written; texts are read one by one while importing.
"""

from collections.abc import Iterator
from pathlib import Path

from corpus_import.errors import ImportInputError
from corpus_import.manifest import MANIFEST_NAME, load_front_matter, load_manifest, read_document_text
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
    slugs: set[str] = set()
    for entry in planned:
        if isinstance(entry, DocumentMeta):
            meta, text = entry, read_document_text(entry)
        else:
            meta, text = load_front_matter(entry)
        if meta.slug in slugs:
            raise ImportInputError(meta.path, f"slug {meta.slug!r} is used twice in this run", field="slug")
        slugs.add(meta.slug)
        yield meta, text


def load_corpus(source: Path | str) -> tuple[tuple[DocumentMeta, str], ...]:
    """All (meta, text) pairs of a manifest, a folder holding ``manifest.toml``, or a front-matter file."""
    return tuple(iter_documents(plan_sources([Path(source)])))
