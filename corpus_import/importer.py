"""Write extracted documents into the tracker, idempotently, in one transaction.

What the importer owns and what reviewers own:
- Documents, sections, boilerplate spans and citation offsets follow the source text on every
  import.
- An item's title, actors, themes, strength, review state, status history and links are set
  when the item is created and belong to reviewers afterwards: a re-import never touches them.
- Items are matched by (document, key), the key being derived from the text, so a re-run on
  unchanged input changes nothing, and an edit elsewhere in a document leaves other items alone.
- An item whose sentence changed slightly (a word, punctuation, whitespace) is re-anchored: it
  keeps its id and everything reviewers own, and its citations move to the edited passage
  (corpus_import.anchoring, fuzzy matching by quote and context). Only an item whose text is
  really gone is orphaned: flagged, never deleted, its review state untouched (a rejected item
  stays rejected; a restored sentence brings the item back as it was).
- A slug that already belongs to a document imported from another file is refused unless the
  run is told to replace it.
"""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction

from corpus_import import anchoring, extract, fingerprint, gazetteer, segment
from corpus_import.errors import ImportInputError
from corpus_import.records import ExtractedDocument, ItemRecord
from tracker import taxonomy
from tracker.models import Actor, BoilerplateSpan, Citation, Document, Item, Section, SourceFile, Theme

CHANGE_REASON = "import_corpus"


def _code_fingerprint() -> str:
    """Changes whenever any extraction module or vocabulary changes, so a new extractor re-imports."""
    return fingerprint.code_fingerprint()


@dataclass
class DocumentReport:
    slug: str
    status: str = "unchanged"  # new | changed | unchanged
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)
    # Items kept through an edit of their passage: found again by fuzzy matching, citations moved.
    reanchored: list[str] = field(default_factory=list)
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
    def reanchored(self) -> int:
        return sum(len(d.reanchored) for d in self.documents)

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
    replace: bool = False,
) -> ImportReport:
    """Import (meta, text) pairs. All or nothing: any error rolls the whole run back.

    `sources` may be a lazy iterable so that a large corpus is read one document at a time.
    `on_document(index, report)` is called after each document (progress output).
    `replace`: let a document's slug be given to another file (otherwise refused, both files named).
    """
    report = ImportReport(dry_run=dry_run)
    code_fingerprint = _code_fingerprint()
    try:
        with transaction.atomic():
            vocabulary = _Vocabulary()
            for index, entry in enumerate(sources, start=1):
                # (meta, text) or (meta, text, SourceText): the file as read, kept beside the text.
                meta, text, source = entry if len(entry) == 3 else (*entry, None)
                document_report = _import_document(meta, text, code_fingerprint, vocabulary, replace=replace)
                if source is not None:
                    _keep_original(meta.slug, source)
                report.documents.append(document_report)
                if on_document:
                    on_document(index, document_report)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return report


class _Vocabulary:
    """Actors and themes by slug, created from the gazetteer and taxonomy when first needed."""

    def __init__(self):
        self.actors = {actor.slug: actor for actor in Actor.objects.all()}
        self.themes = {theme.slug: theme for theme in Theme.objects.all()}

    def actor(self, slug: str) -> Actor:
        if slug not in self.actors:
            spec = gazetteer.ACTORS_BY_SLUG[slug]
            parent = self.actor(spec.parent) if spec.parent else None
            actor = Actor(
                slug=spec.slug,
                name=spec.name,
                kind=spec.kind,
                iso_code=spec.iso_code,
                aliases=list(spec.aliases),
                parent=parent,
            )
            actor._change_reason = CHANGE_REASON
            actor.save()
            self.actors[slug] = actor
        return self.actors[slug]

    def theme(self, slug: str) -> Theme:
        if slug not in self.themes:
            spec = taxonomy.THEMES_BY_SLUG[slug]
            parent = self.theme(spec.parent) if spec.parent else None
            theme = Theme(slug=spec.slug, name=spec.name, description=spec.description, code=spec.code, parent=parent)
            theme._change_reason = CHANGE_REASON
            theme.save()
            self.themes[slug] = theme
        return self.themes[slug]


def _import_document(
    meta, text: str, code_fingerprint: str, vocabulary: _Vocabulary, *, replace: bool = False
) -> DocumentReport:
    report = DocumentReport(slug=meta.slug)
    text_sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    fingerprint = hashlib.sha256(f"{text_sha}:{code_fingerprint}".encode()).hexdigest()
    document = Document.objects.filter(slug=meta.slug).first()
    if document is not None and not replace:
        _refuse_other_file(document, meta)
    # The fingerprint says what was imported; the stored text must still be it (not edited since, e.g. by hand).
    if (
        document is not None
        and document.import_fingerprint == fingerprint
        and document.sha256 == text_sha
        and document.text == text
        and _meta_unchanged(document, meta)
    ):
        report.unchanged = document.items.count()
        return report

    extracted = extract.extract_document(meta, text)
    report.status = "new" if document is None else "changed"
    old_text = document.text if document is not None else ""
    document = _save_document(document, meta, text, text_sha, fingerprint)
    sections = _sync_sections(document, extracted)
    _replace_boilerplate(document, extracted)
    _sync_items(meta, document, extracted, sections, vocabulary, report, old_text)
    _reanchor_evidence(document, old_text)
    return report


def _reanchor_evidence(document: Document, old_text: str) -> None:
    """Status updates quoting this document as evidence keep their passage through edits; a passage
    that is gone is kept in the update's note (the assessment itself is history and stays)."""
    for update in document.evidence_for.all():
        if document.text[update.evidence_start : update.evidence_end] == update.evidence_quote:
            continue
        if old_text[update.evidence_start : update.evidence_end] == update.evidence_quote:
            quote = anchoring.Quote.in_text(old_text, update.evidence_start, update.evidence_end)
        else:
            quote = anchoring.Quote(update.evidence_quote, position=update.evidence_start)
        anchor = anchoring.locate(quote, document.text)
        if anchor is not None:
            update.evidence_start, update.evidence_end = anchor.start, anchor.end
            update.evidence_quote = document.text[anchor.start : anchor.end]
        else:
            update.note += f"\n\n[Evidence passage no longer in “{document.title}”: “{update.evidence_quote}”]"
            update.evidence_document = update.evidence_start = update.evidence_end = None
            update.evidence_quote = ""
        update._change_reason = f"{CHANGE_REASON}: evidence passage re-anchored"
        update.save()


def _keep_original(slug: str, source) -> None:
    """Store the file a document was read from, when it is new or its bytes changed."""
    document = Document.objects.only("id").get(slug=slug)
    stored = SourceFile.objects.filter(document=document).values_list("sha256", flat=True).first()
    if stored == source.sha256:
        return
    SourceFile.objects.update_or_create(
        document=document,
        defaults={
            "name": source.name[:300],
            "media_type": source.media_type,
            "sha256": source.sha256,
            "content": source.original,
            "page_starts": list(source.page_starts),
        },
    )


def _refuse_other_file(document: Document, meta) -> None:
    """The same slug from another file is more often a clash of names than a new version."""
    if document.source_file and document.source_file != meta.path.name:
        raise ImportInputError(
            meta.path,
            f"slug {meta.slug!r} already belongs to the document imported from {document.source_file!r}; "
            f"{meta.path.name!r} is another file. Give it another slug, or pass --replace to import it "
            "in that document's place (its items are kept and re-anchored where their text is found)",
            field="slug",
        )


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
        "archived_url": meta.archived_url,
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
    try:
        # Refuses a prefix taken by another document, or a value longer than its column (which SQLite
        # would store and PostgreSQL refuse), pointing at the manifest or front matter line.
        document.full_clean(exclude=["text"])
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        raise meta.error(" ".join(messages), _META_FIELD.get(name, name)) from None
    document.save()
    return document


# Document columns that are not written as such in a manifest, and the manifest field they come from.
_META_FIELD = {"source_file": "file", "date_precision": "published", "sha256": "file", "__all__": None}


def _check_references(meta, document: Document, items: list[Item]) -> None:
    """New references must not be taken by another document's items: prefix "PCX" with section 1 and prefix
    "PCX-1" both make "PCX-1-01". Said here, with both documents named, rather than by the unique index."""
    taken = (
        Item.objects.filter(reference__in=[item.reference for item in items])
        .exclude(document=document)
        .select_related("document", "section")
        .order_by("reference")
        .first()
    )
    if taken is not None:
        other = taken.document
        section = f", section {taken.section.number}" if taken.section_id else ""
        raise meta.error(
            f"its item reference {taken.reference!r} is already taken by document {other.slug!r} "
            f"({other.source_file}, prefix {other.reference_prefix!r}{section}); give one of the two documents "
            "a prefix that does not begin with the other's",
            "reference_prefix",
        )


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


def _sync_items(meta, document, extracted, sections, vocabulary, report: DocumentReport, old_text: str = "") -> None:
    items = list(document.items.prefetch_related("citations"))
    existing = {item.source_key: item for item in items if item.source_key}
    references = {item.reference for item in items}
    # Checking a changed citation needs its document's text and boilerplate: this document, already in hand.
    boilerplate = list(document.boilerplate_spans.values_list("start", "end", "label"))
    for item in items:
        for citation in item.citations.all():
            if citation.document_id == document.pk:
                citation.document = document
    # Extraction keys of items a reviewer merged into another: their sentences belong to that item now.
    absorbed = {key: item for item in items for key in item.absorbed_keys}
    seen: set[str] = set()
    new_records: list[ItemRecord] = []
    for record in extracted.items:
        seen.add(record.key)
        item = existing.get(record.key)
        if item is None and record.key not in absorbed:
            new_records.append(record)
        elif item is None or item.citations_curated:
            pass  # citations placed by a reviewer: followed through edits below, never reset
        elif _refresh_item(item, record, sections, boilerplate):
            report.updated.append(item.reference)
        else:
            report.unchanged += 1
    # Items the extraction did not give back by key: an edited sentence extracted again (paired
    # with its new record), a passage still in the text (reviewers' own items, or sentences the
    # extractor no longer takes), or text that is gone (orphaned). Items whose citations a reviewer
    # placed are followed by their quotes.
    unmatched = [item for item in items if not item.source_key or item.source_key not in seen or item.citations_curated]
    extracted_unmatched = [item for item in unmatched if item.source_key and item.source_key not in seen]
    pairs = anchoring.pair_up([_anchor_text(item) for item in extracted_unmatched], [r.text for r in new_records])
    paired_records: set[int] = set()
    for old_index, new_index, _score in pairs:
        item, record = extracted_unmatched[old_index], new_records[new_index]
        paired_records.add(new_index)
        if item.citations_curated:
            # The edited sentence is this item's (no twin is created); its citations are followed below.
            item.source_key = record.key
            item._change_reason = f"{CHANGE_REASON}: re-anchored to its edited passage"
            item.save(update_fields=["source_key", "updated_at"])
            continue
        _reanchor_to_record(item, record, sections, boilerplate)
        report.reanchored.append(item.reference)
        unmatched.remove(item)
    remaining = [record for index, record in enumerate(new_records) if index not in paired_records]
    created = _create_items(meta, document, remaining, sections, vocabulary, references, boilerplate)
    report.created.extend(item.reference for item in created)
    for item in unmatched:
        how, dropped, kept = _relocate_citations(item, document, old_text, sections, boilerplate)
        report.dropped_citations += dropped
        if kept:
            if item.is_orphaned:
                item.is_orphaned = False
                item._change_reason = f"{CHANGE_REASON}: text found again"
                item.save(update_fields=["is_orphaned", "updated_at"])
                how = "reanchored"
            if how == "reanchored":
                report.reanchored.append(item.reference)
            elif how == "moved":
                report.updated.append(item.reference)
        elif not item.is_orphaned:
            # The review state is the reviewers': a rejected item stays rejected, a confirmed one
            # comes back confirmed if its text returns. The flag puts it in the review queue.
            item.is_orphaned = True
            item._change_reason = f"{CHANGE_REASON}: text no longer in the document"
            item.save(update_fields=["is_orphaned", "updated_at"])
            report.orphaned.append(item.reference)


def _anchor_text(item: Item) -> str:
    citations = sorted(item.citations.all(), key=lambda c: (c.position, c.id))
    return citations[0].quote if citations else item.text


def _reanchor_to_record(item: Item, record: ItemRecord, sections, boilerplate) -> None:
    """An item whose sentence was edited takes the edited sentence's identity and citations."""
    item.source_key = record.key
    item.text = record.text
    item._change_reason = f"{CHANGE_REASON}: re-anchored to its edited passage"
    item.save(update_fields=["source_key", "text", "updated_at"])
    _refresh_item(item, record, sections, boilerplate)


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
    meta, document, records: list[ItemRecord], sections, vocabulary: _Vocabulary, references, boilerplate
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
        )
        for record in records
    ]
    if not items:
        return items
    _check_references(meta, document, items)
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


def _relocate_citations(item: Item, document: Document, old_text: str, sections, boilerplate) -> tuple[str, int, int]:
    """Find each citation's passage in the new text, exactly or fuzzily (by its quote and the text
    around it in the previous version); a citation whose passage is gone is removed. An item with
    no citation left (orphaned earlier) is looked for by its own text.

    Returns (how, dropped, kept): how is "" (nothing moved), "moved" (found verbatim elsewhere) or
    "reanchored" (found as an edited passage, or found again after being gone)."""
    text = document.text
    moved, dropped = "", 0
    citations = list(item.citations.all())
    for citation in citations:
        if citation.document_id != document.pk or text[citation.start : citation.end] == citation.quote:
            continue  # a citation into another document follows that document's imports
        if old_text[citation.start : citation.end] == citation.quote:
            quote = anchoring.Quote.in_text(old_text, citation.start, citation.end)
        else:
            quote = anchoring.Quote(citation.quote, position=citation.start)
        anchor = anchoring.locate(quote, text)
        if anchor is not None and _place_citation(citation, anchor, text, sections, boilerplate):
            moved = "reanchored" if anchor.score < 100 or moved == "reanchored" else "moved"
        else:
            citation._change_reason = f"{CHANGE_REASON}: quote no longer in the document"
            citation.delete()
            dropped += 1
    if not citations and item.text:
        anchor = anchoring.locate(anchoring.Quote(item.text), text)
        if anchor is not None:
            citation = Citation(item=item, document=document, position=0)
            placed = _place_citation(citation, anchor, text, sections, boilerplate)
            return ("reanchored" if placed else ""), dropped, int(placed)
    return moved, dropped, len(citations) - dropped


def _place_citation(citation: Citation, anchor: anchoring.Anchor, text: str, sections, boilerplate) -> bool:
    if any(start < anchor.end and anchor.start < end for start, end, _ in boilerplate):
        return False
    citation.start, citation.end, citation.quote = anchor.start, anchor.end, text[anchor.start : anchor.end]
    citation.section = _section_at(sections, None, anchor.start)
    citation._change_reason = f"{CHANGE_REASON}: re-anchored" if anchor.score < 100 else CHANGE_REASON
    citation.save(boilerplate=boilerplate)
    return True
