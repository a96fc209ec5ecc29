"""The records the extraction produces: plain frozen dataclasses, no ORM.

The importer turns these into rows; the offsets are Python ``str`` indices into the
verbatim text, so ``text[start:end] == quote`` holds for every citation.
"""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from corpus_import.errors import ImportInputError
from tracker import choices

# The values the tracker's models accept, to check records against before anything reaches the database
# (from the plain tables tracker.enums builds its TextChoices from: no Django here).
DOCUMENT_KINDS = choices.values(choices.DOCUMENT_KINDS)
ITEM_KINDS = choices.values(choices.ITEM_KINDS)
STRENGTHS = choices.values(choices.STRENGTHS)
ACTOR_KINDS = choices.values(choices.ACTOR_KINDS)


@dataclass(frozen=True)
class DocumentMeta:
    path: Path  # the text file
    slug: str
    reference_prefix: str
    title: str
    kind: str  # one of DOCUMENT_KINDS
    publisher: str = ""
    author: str = ""
    published: date | None = None  # first day of the month/year when precision is coarser
    date_precision: str = "unknown"  # one of tracker.enums.DatePrecision
    url: str = ""
    archived_url: str = ""
    language: str = "en"
    sha256: str = ""  # expected, lowercase hex; "" = not checked
    # Where the metadata was written (the manifest, or the text file itself for front matter) and the
    # line of each field there: a value refused later, by the database's rules, is still pointed at.
    origin: Path | None = None
    field_lines: tuple[tuple[str, int], ...] = ()

    def error(self, message: str, field: str | None = None) -> ImportInputError:
        """An input error about this document, at the field's line in the file that gave it."""
        lines = dict(self.field_lines)
        line = lines.get(field) if field in lines else lines.get("")
        where = f"document {self.slug!r} ({self.path.name})"
        return ImportInputError(self.origin or self.path, f"{where}: {message}", line=line, field=field)


@dataclass(frozen=True, slots=True)
class SectionRecord:
    number: str  # "4.3.1", "ES" for the executive summary, "5"; not necessarily unique
    heading: str
    start: int  # char span of the whole section (heading + body) in the text
    end: int
    parent_number: str | None


@dataclass(frozen=True, slots=True)
class BoilerplateSpan:
    start: int
    end: int
    label: str  # "donation banner", "cookie notice", "comments", "copyright", "mailing list", ...


@dataclass(frozen=True, slots=True)
class CitationRecord:
    start: int
    end: int
    quote: str  # == text[start:end], always
    section_number: str | None


@dataclass(frozen=True)
class ActorSpec:
    slug: str
    name: str
    kind: str  # one of ACTOR_KINDS
    iso_code: str = ""  # ISO 3166-1 alpha-2 for states ("XK" for Kosovo)
    aliases: tuple[str, ...] = ()
    parent: str | None = None  # slug; e.g. "mark-rutte" -> "nato"


@dataclass(frozen=True, slots=True)
class ItemRecord:
    key: str  # stable identity from document slug + normalised first-citation text
    kind: str  # one of ITEM_KINDS
    title: str  # short, human-readable, <= 120 chars
    text: str  # verbatim text of the first citation
    strength: str  # one of STRENGTHS
    made_by: tuple[str, ...]  # actor slugs (gazetteer.ACTORS)
    addressed_to: tuple[str, ...]  # actor slugs
    themes: tuple[str, ...]  # theme slugs from tracker/taxonomy.py
    citations: tuple[CitationRecord, ...]
    section_number: str | None  # section of the first citation
    # Which rule made the item and why each actor and theme was given (stored on the item, shown by
    # import_corpus --explain and the admin); not part of the item's identity.
    explanation: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class ExtractedDocument:
    meta: DocumentMeta
    text: str
    sections: tuple[SectionRecord, ...]
    boilerplate: tuple[BoilerplateSpan, ...]
    items: tuple[ItemRecord, ...]
    new_actors: tuple[ActorSpec, ...] = ()  # actors the gazetteer does not know: created flagged for review
