"""Write extracted documents into the tracker, idempotently, in one transaction.

What the importer owns and what reviewers own:
- Documents, sections, boilerplate spans and citation offsets follow the source text on every
  import.
- An item's title, actors, themes, strength, review state, status history and links are set
  when the item is created and belong to reviewers afterwards: a re-import never touches them.
- Items are matched by (document, key), the key being derived from the text, so a re-run on
  unchanged input changes nothing, and an edit elsewhere in a document leaves other items alone.
- An item whose text is gone from a changed document is orphaned: flagged and sent back for
  review, never deleted.
"""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction

from corpus_import import extract, fingerprint, gazetteer, segment
from corpus_import.records import ExtractedDocument, ItemRecord
from tracker import taxonomy
from tracker.enums import ReviewState
from tracker.models import Actor, BoilerplateSpan, Citation, Document, Item, Section, Theme

CHANGE_REASON = "import_corpus"


def _code_fingerprint(theme_specs=()) -> str:
    """Changes whenever any extraction module or vocabulary changes, or the themes' descriptors (edited in
    the admin), so a new extractor re-imports."""
    themes = hashlib.sha256(repr([(t.slug, t.code, t.parent, t.descriptors) for t in theme_specs]).encode())
    return hashlib.sha256(f"{fingerprint.code_fingerprint()}:{themes.hexdigest()}".encode()).hexdigest()


@dataclass
class DocumentReport:
    slug: str
    status: str = "unchanged"  # new | changed | unchanged
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)
    unchanged: int = 0
    dropped_citations: int = 0


@dataclass
class ImportReport:
    documents: list[DocumentReport] = field(default_factory=list)
    dry_run: bool = False

    @property
    def created(self) -> int:
        return sum(len(d.created) for d in self.documents)

    @property
    def updated(self) -> int:
        return sum(len(d.updated) for d in self.documents)

    @property
    def orphaned(self) -> int:
        return sum(len(d.orphaned) for d in self.documents)

    @property
    def unchanged(self) -> int:
        return sum(d.unchanged for d in self.documents)


class _Rollback(Exception):
    """Raised inside the transaction to undo a dry run."""


def import_corpus(
    sources: Iterable,
    *,
    dry_run: bool = False,
    on_document: Callable[[int, DocumentReport], None] | None = None,
) -> ImportReport:
    """Import (meta, text) pairs. All or nothing: any error rolls the whole run back.

    `sources` may be a lazy iterable so that a large corpus is read one document at a time.
    `on_document(index, report)` is called after each document (progress output).
    """
    report = ImportReport(dry_run=dry_run)
    try:
        with transaction.atomic():
            vocabulary = _Vocabulary()
            code_fingerprint = _code_fingerprint(vocabulary.theme_specs())
            for index, (meta, text) in enumerate(sources, start=1):
                document_report = _import_document(meta, text, code_fingerprint, vocabulary)
                report.documents.append(document_report)
                if on_document:
                    on_document(index, document_report)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return report


def theme_specs(themes=None) -> list[taxonomy.ThemeSpec]:
    """The database's themes as the extraction matches them (so an admin-added theme is matched too)."""
    themes = list(Theme.objects.select_related("parent")) if themes is None else list(themes)
    if not themes:
        return list(taxonomy.THEMES)
    return [
        taxonomy.ThemeSpec(
            t.slug, t.name, t.description, t.code, t.parent.slug if t.parent else None, tuple(t.descriptors)
        )
        for t in sorted(themes, key=lambda t: t.path)
    ]


class _Vocabulary:
    """Actors and themes by slug, created from the gazetteer and taxonomy when first needed."""

    def __init__(self):
        self.actors = {actor.slug: actor for actor in Actor.objects.all()}
        self.themes = {theme.slug: theme for theme in Theme.objects.select_related("parent")}
        self.new_specs: dict = {}  # actors the gazetteer does not know, found in the document being imported

    def theme_specs(self) -> list[taxonomy.ThemeSpec]:
        return theme_specs(self.themes.values())

    def actor(self, slug: str) -> Actor:
        if slug not in self.actors:
            spec = gazetteer.ACTORS_BY_SLUG.get(slug) or self.new_specs[slug]
            parent = self.actor(spec.parent) if spec.parent else None
            name = spec.name
            if Actor.objects.filter(name=name).exists():
                name = f"{name} ({spec.slug})"[:200]  # names are unique; a namesake under another slug
            actor = Actor(
                slug=spec.slug,
                name=name,
                kind=spec.kind,
                iso_code=spec.iso_code,
                aliases=list(spec.aliases),
                parent=parent,
                needs_review=slug not in gazetteer.ACTORS_BY_SLUG,
            )
            actor._change_reason = CHANGE_REASON
            actor.save()
            self.actors[slug] = actor
        return self.actors[slug]

    def theme(self, slug: str) -> Theme:
        if slug not in self.themes:
            spec = taxonomy.THEMES_BY_SLUG[slug]
            parent = self.theme(spec.parent) if spec.parent else None
            theme = Theme(
                slug=spec.slug,
                name=spec.name,
                description=spec.description,
                code=spec.code,
                parent=parent,
                descriptors=list(spec.descriptors),
            )
            theme._change_reason = CHANGE_REASON
            theme.save()
            self.themes[slug] = theme
        return self.themes[slug]


def _import_document(meta, text: str, code_fingerprint: str, vocabulary: _Vocabulary) -> DocumentReport:
    report = DocumentReport(slug=meta.slug)
    text_sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    fingerprint = hashlib.sha256(f"{text_sha}:{code_fingerprint}".encode()).hexdigest()
    document = Document.objects.filter(slug=meta.slug).first()
    if document is not None and document.import_fingerprint == fingerprint and _meta_unchanged(document, meta):
        report.unchanged = document.items.count()
        return report

    extracted = extract.extract_document(meta, text, themes=vocabulary.theme_specs())
    vocabulary.new_specs.update((spec.slug, spec) for spec in extracted.new_actors)
    report.status = "new" if document is None else "changed"
    document = _save_document(document, meta, text, text_sha, fingerprint)
    sections = _sync_sections(document, extracted)
    _replace_boilerplate(document, extracted)
    _sync_items(document, extracted, sections, vocabulary, report)
    return report


def _meta_unchanged(document: Document, meta) -> bool:
    return all(getattr(document, name) == value for name, value in _document_fields(meta).items())


def _document_fields(meta) -> dict:
    return {
        "reference_prefix": meta.reference_prefix,
        "title": meta.title,
        "kind": meta.kind,
        "publisher": meta.publisher,
        "author": meta.author,
        "published": meta.published,
        "date_precision": meta.date_precision if meta.published else "unknown",
        "url": meta.url,
        "language": meta.language,
    }


def _save_document(document, meta, text: str, text_sha: str, fingerprint: str) -> Document:
    document = document or Document(slug=meta.slug)
    for name, value in _document_fields(meta).items():
        setattr(document, name, value)
    document.text = text
    document.sha256 = text_sha
    document.source_file = meta.path.name
    document.import_fingerprint = fingerprint
    document._change_reason = CHANGE_REASON
    document.full_clean(exclude=["text"])  # refuses a prefix taken by another document, with the field named
    document.save()
    return document


def _sync_sections(document: Document, extracted: ExtractedDocument) -> list[Section]:
    """Sections follow the text. Existing rows are kept (matched by number, heading and occurrence)
    so that items and citations keep pointing at them when other parts of the document change."""
    existing: dict[tuple, list[Section]] = {}
    for section in document.sections.order_by("start"):
        existing.setdefault((section.number, section.heading), []).append(section)
    records = sorted(extracted.sections, key=lambda s: (s.start, -s.end))
    matched = []
    for record in records:
        candidates = existing.get((record.number, record.heading[:300]))
        matched.append(candidates.pop(0) if candidates else None)
    stale = [section.pk for sections in existing.values() for section in sections]
    if stale:
        Section.objects.filter(pk__in=stale).delete()
    # Moved sections first step aside past the end of the text, so that no two rows of one
    # document ever share a start (a named unique constraint) while they are being moved.
    moving = [
        section
        for section, record in zip(matched, records, strict=True)
        if section is not None and (section.start, section.end) != (record.start, record.end)
    ]
    for offset, section in enumerate(moving):
        section.start, section.end = len(document.text) + 2 * offset, len(document.text) + 2 * offset + 1
    Section.objects.bulk_update(moving, ["start", "end"])
    kept: list[Section] = []
    latest_by_number: dict[str, Section] = {}
    for record, section in zip(records, matched, strict=True):
        section = section or Section(document=document, number=record.number, heading=record.heading[:300])
        parent = latest_by_number.get(record.parent_number) if record.parent_number else None
        if section.pk is None or (section.start, section.end, section.parent_id) != (
            record.start,
            record.end,
            parent.pk if parent else None,
        ):
            section.start, section.end, section.parent = record.start, record.end, parent
            section._change_reason = CHANGE_REASON
            section.save()
        latest_by_number[record.number] = section
        kept.append(section)
    return kept


def _replace_boilerplate(document: Document, extracted: ExtractedDocument) -> None:
    document.boilerplate_spans.all().delete()
    BoilerplateSpan.objects.bulk_create(
        BoilerplateSpan(document=document, start=span.start, end=span.end, label=span.label[:100])
        for span in extracted.boilerplate
    )


def _section_at(sections: list[Section], number: str | None, start: int) -> Section | None:
    """The innermost section with that number containing the offset (numbers can repeat, e.g. "2.5")."""
    return segment.section_at([section for section in sections if number is None or section.number == number], start)


def _sync_items(document, extracted, sections, vocabulary, report: DocumentReport) -> None:
    existing = {item.source_key: item for item in document.items.prefetch_related("citations")}
    references = {item.reference for item in existing.values()}
    # Checking a changed citation needs its document's text and boilerplate: this document, already in hand.
    boilerplate = list(document.boilerplate_spans.values_list("start", "end", "label"))
    for item in existing.values():
        for citation in item.citations.all():
            if citation.document_id == document.pk:
                citation.document = document
    seen: set[str] = set()
    new_records: list[ItemRecord] = []
    for record in extracted.items:
        seen.add(record.key)
        item = existing.get(record.key)
        if item is None:
            new_records.append(record)
            continue
        if _refresh_item(item, record, sections, boilerplate):
            report.updated.append(item.reference)
        else:
            report.unchanged += 1
        if item.extraction != record.explanation:
            # The trace of the current extractor (importer-owned, not a reviewer's field).
            Item.objects.filter(pk=item.pk).update(extraction=record.explanation)
    created = _create_items(document, new_records, sections, vocabulary, references, boilerplate)
    report.created.extend(item.reference for item in created)
    for key, item in existing.items():
        if key in seen:
            continue
        newly_orphaned = not item.is_orphaned
        report.dropped_citations += _relocate_citations(item, document.text, boilerplate)
        if newly_orphaned:
            item.is_orphaned = True
            item.review_state = ReviewState.NEEDS_REVIEW
            item._change_reason = f"{CHANGE_REASON}: text no longer in the document"
            item.save(update_fields=["is_orphaned", "review_state", "updated_at"])
            report.orphaned.append(item.reference)


def _next_reference(document: Document, record: ItemRecord, references: set[str]) -> str:
    stem = document.reference_prefix
    if record.section_number:
        stem = f"{stem}-{record.section_number}"
    number = 1
    while f"{stem}-{number:02d}" in references:
        number += 1
    reference = f"{stem}-{number:02d}"
    references.add(reference)
    return reference


def _create_items(
    document, records: list[ItemRecord], sections, vocabulary: _Vocabulary, references, boilerplate
) -> list[Item]:
    """Create new items with their relations, citations and history rows in a few bulk queries.

    Saving items one by one costs a history row per relation change (simple_history records every
    m2m change as a new version); in bulk each new item gets one "created" version with its actors
    and themes, as if it had been saved whole.
    """
    items = [
        Item(
            kind=record.kind,
            reference=_next_reference(document, record, references),
            document=document,
            section=_section_at(sections, record.section_number, record.citations[0].start),
            source_key=record.key,
            title=record.title[:200],
            text=record.text,
            strength=record.strength,
            date=document.published,
            extraction=record.explanation,
        )
        for record in records
    ]
    if not items:
        return items
    Item.objects.bulk_create(items)
    relations: dict[str, list] = {}
    for item, record in zip(items, records, strict=True):
        for name, slugs, lookup in (
            ("made_by", record.made_by, vocabulary.actor),
            ("addressed_to", record.addressed_to, vocabulary.actor),
            ("themes", record.themes, vocabulary.theme),
        ):
            through = getattr(Item, name).through
            target = "theme" if name == "themes" else "actor"
            relations.setdefault(name, []).extend(
                through(item=item, **{target: lookup(slug)}) for slug in dict.fromkeys(slugs)
            )
    for name, rows in relations.items():
        getattr(Item, name).through.objects.bulk_create(rows)
    citations = []
    for item, record in zip(items, records, strict=True):
        for position, citation_record in enumerate(record.citations):
            citation = Citation(
                item=item,
                document=document,
                position=position,
                start=citation_record.start,
                end=citation_record.end,
                quote=citation_record.quote,
                section=_section_at(sections, citation_record.section_number, citation_record.start),
            )
            citation.check_quote(boilerplate)  # bulk_create skips save(), where the invariants are enforced
            citations.append(citation)
    Citation.objects.bulk_create(citations)
    Citation.history.bulk_history_create(citations, default_change_reason=CHANGE_REASON)
    versions = Item.history.bulk_history_create(items, default_change_reason=CHANGE_REASON)
    _bulk_m2m_history(versions, relations)
    return items


def _bulk_m2m_history(versions, relations: dict[str, list]) -> None:
    """The actors and themes of each new item's first history version (what simple_history stores per m2m)."""
    version_of = {version.id: version for version in versions}
    for name, rows in relations.items():
        model = apps.get_model("tracker", f"HistoricalItem_{name}")
        target = "theme_id" if name == "themes" else "actor_id"
        model.objects.bulk_create(
            model(id=row.pk, history=version_of[row.item_id], item_id=row.item_id, **{target: getattr(row, target)})
            for row in rows
        )


def _save_citation(citation: Citation, record, section, boilerplate) -> None:
    citation.start, citation.end, citation.quote = record.start, record.end, record.quote
    citation.section = section
    citation._change_reason = CHANGE_REASON
    citation.save(boilerplate=boilerplate)


def _refresh_item(item: Item, record: ItemRecord, sections, boilerplate) -> bool:
    """Bring the importer-owned parts (citation offsets, section, orphan flag) up to date; True if changed."""
    changed = False
    citations = sorted(item.citations.all(), key=lambda c: (c.position, c.id))
    for position, citation_record in enumerate(record.citations):
        section = _section_at(sections, citation_record.section_number, citation_record.start)
        current = citations[position] if position < len(citations) else None
        if current is None:
            new = Citation(item=item, document=item.document, position=position)
            _save_citation(new, citation_record, section, boilerplate)
            changed = True
        elif (current.start, current.end, current.quote, current.section_id) != (
            citation_record.start,
            citation_record.end,
            citation_record.quote,
            section.pk if section else None,
        ):
            _save_citation(current, citation_record, section, boilerplate)
            changed = True
    for extra in citations[len(record.citations) :]:
        extra.delete()
        changed = True
    section = _section_at(sections, record.section_number, record.citations[0].start)
    if item.section_id != (section.pk if section else None) or item.is_orphaned:
        item.section = section
        item.is_orphaned = False
        item._change_reason = CHANGE_REASON
        item.save(update_fields=["section", "is_orphaned", "updated_at"])
        changed = True
    return changed


def _relocate_citations(item: Item, text: str, boilerplate) -> int:
    """An orphaned item keeps the citations whose quote is still in the text (moved); the rest must go."""
    dropped = 0
    for citation in item.citations.all():
        if text[citation.start : citation.end] == citation.quote:
            continue
        found = text.find(citation.quote)
        if found >= 0:
            citation.start, citation.end = found, found + len(citation.quote)
            citation._change_reason = CHANGE_REASON
            citation.save(boilerplate=boilerplate)
        else:
            citation._change_reason = f"{CHANGE_REASON}: quote no longer in the document"
            citation.delete()
            dropped += 1
    return dropped
