"""Extraction: one document's text in, an ``ExtractedDocument`` of cited items out. Pure Python.

A pipeline of named stages, each its own module with its own tests (as spaCy's components):

1. ``segment``: blocks (headings, bullets, paragraphs, tables, boilerplate), sections, sentences.
2. ``units``: sentences, bullets and clauses, one unit per distinct action, with list lead-ins.
3. ``classify``: recommendation, commitment or not an item, and the rule that decided.
4. ``attribute``: made_by, addressed_to, themes, strength and title, each with its reason.
5. ``merge``: the same item in two sections becomes one item with two citations.

The words every stage looks for are data in ``vocabulary/`` (and theme descriptors on each theme).
Each item carries ``explanation``: the rule that made it and why each actor and theme was given.
"""

import gc
import hashlib
import re

from tracker.taxonomy import THEMES

from . import segment, vocabulary
from .attribute import Attributor, make_title
from .classify import RECOMMENDING_KINDS, classify
from .gazetteer import ACTORS_BY_SLUG, DocumentContext, publisher_actors
from .merge import Candidate, merge_twins
from .records import CitationRecord, DocumentMeta, ExtractedDocument, ItemRecord, SectionRecord
from .segment import SectionIndex, blocks, find_boilerplate, find_sections
from .units import build_units

__all__ = ["extract_document", "make_title"]
_NORMALISE_RE = re.compile(r"\s+")


def extract_document(meta: DocumentMeta, text: str, themes=None) -> ExtractedDocument:
    """Extract the items of one document. Offsets are ``str`` indices into ``text``.

    ``themes``: the themes to match (objects with slug, name, description, code, parent, descriptors);
    the default taxonomy when None. The importer passes the database's themes.
    """
    # The stages make many small objects per unit and almost no reference cycles (the closure of
    # ``Attributor.addressed_to``, a few hundred bytes an item): the cyclic collector, run every few hundred
    # allocations over a heap that grows with the document, was a quarter of the time of a document of
    # 100,000 items. Reference counting frees the rest at once; the collector takes the closures after.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _extract(meta, text, themes)
    finally:
        segment.forget_text()  # the per-text caches: kept until the next document, they held the last one
        vocabulary.forget_lowered()
        if collecting:
            gc.enable()


def _extract(meta: DocumentMeta, text: str, themes) -> ExtractedDocument:
    themes = THEMES if themes is None else themes
    layout = blocks(text)
    sections = find_sections(text, layout)
    boilerplate = find_boilerplate(text)
    publisher, new_publishers = publisher_actors(meta.publisher, meta.author)
    specs = {spec.slug: spec for spec in new_publishers}
    context = DocumentContext(
        text, tuple(filter(None, (ACTORS_BY_SLUG.get(slug) or specs.get(slug) for slug in publisher)))
    )
    for spec in new_publishers:
        context.new_actors.setdefault(spec.slug, spec)
    attributor = Attributor(text, context, publisher, meta.kind, themes)
    index = SectionIndex(sections)
    background: dict[int, bool] = {}  # by id: hashing a section record hashes its five fields each time

    def is_background(section: SectionRecord | None) -> bool:
        known = background.get(id(section))
        if known is None:
            known = background[id(section)] = _is_background(section, index)
        return known

    units = build_units(text, layout, sections, is_background, index)

    candidates: list[Candidate] = []
    decisions: dict = {}  # classify's memo for this document: a repeated unit is classified once
    for unit in units:
        decision = classify(text, unit, meta.kind, decisions)
        if decision.is_item:
            attribution = attributor.attribute(unit, decision, index)
            kind = decision.kind
            if meta.kind not in RECOMMENDING_KINDS:
                kind = "commitment" if attribution.made_by else "proposal"
            candidates.append(
                Candidate(
                    unit.start,
                    unit.end,
                    kind,
                    attribution.strength,
                    attribution.made_by,
                    attribution.addressed_to,
                    attribution.themes,
                    unit.section,
                    unit.kind == "bullet",
                    attribution.title,
                    {
                        "rule": decision.rule,
                        "trigger": text[decision.trigger_start : decision.trigger_end],
                        "unit": unit.kind,
                        "cut": unit.cut,
                        **attribution.reasons,
                    },
                )
            )
        attributor.remember_speakers(unit.start, unit.end)

    candidates = merge_twins(text, candidates)
    items = _to_items(meta, text, candidates)
    used = {slug for item in items for slug in (*item.made_by, *item.addressed_to)}
    new_actors = _new_actors(context, used)
    return ExtractedDocument(meta, text, sections, boilerplate, tuple(items), new_actors)


def _new_actors(context: DocumentContext, used: set[str]):
    """The actors unknown to the gazetteer that items refer to (and the parents they need)."""
    result = {}
    for slug in sorted(used):
        spec = context.new_actors.get(slug)
        if spec is not None and slug not in ACTORS_BY_SLUG:
            result[slug] = spec
    return tuple(result.values())


def _is_background(section: SectionRecord | None, sections: SectionIndex) -> bool:
    top = _top_level(section, sections)
    return bool(top and vocabulary.frames().background_section.search(top.heading))


def _top_level(section: SectionRecord | None, sections: SectionIndex) -> SectionRecord | None:
    while section is not None and section.parent_number:
        parent = sections.parent(section, enclosing=True)
        if parent is None:
            break
        section = parent
    return section


def _normalise(text: str) -> str:
    # Single ASCII spaces are the only whitespace a printable text can hold (isprintable() is false for
    # every other isspace() character): then the substitution would change nothing.
    if text.isprintable() and "  " not in text:
        return text.strip().lower()
    return _NORMALISE_RE.sub(" ", text).strip().lower()


def _to_items(meta: DocumentMeta, text: str, candidates: list[Candidate]) -> list[ItemRecord]:
    items, seen_keys = [], {}
    for candidate in candidates:
        quote = text[candidate.start : candidate.end]
        base = hashlib.sha256(f"{meta.slug}\n{_normalise(quote)}".encode()).hexdigest()[:16]
        seen_keys[base] = seen_keys.get(base, 0) + 1
        key = base if seen_keys[base] == 1 else f"{base}-{seen_keys[base]}"
        section_number = candidate.section.number if candidate.section else None
        citations = [(candidate.start, candidate.end, section_number), *candidate.extra_citations]
        records = []
        for start, end, number in citations:
            record = CitationRecord(start, end, text[start:end], number)
            assert record.quote == text[record.start : record.end] and record.quote.strip() == record.quote
            records.append(record)
        items.append(
            ItemRecord(
                key=key,
                kind=candidate.kind,
                title=candidate.title,
                text=quote,
                strength=candidate.strength,
                made_by=tuple(candidate.made_by),
                addressed_to=tuple(candidate.addressed_to),
                themes=candidate.themes,
                citations=tuple(records),
                section_number=section_number,
                explanation=candidate.explanation,
            )
        )
    return items
