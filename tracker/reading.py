"""The reading view's text, cut into segments: pure functions over offsets, no ORM, no HTML.

A document's text is cut at every boundary of every citation, boilerplate span and anchor, so
overlapping citations need no nesting: each segment knows every item that cites it. One sweep
over the sorted boundaries does it, so the work grows with the number of spans and segments, not
their product. tracker.reading_html escapes each segment's text; nothing here is marked safe.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple


# Named tuples: immutable values, and cheap to build by the tens of thousands (a long document's
# citations and segments); a frozen dataclass costs 3-4 times as much per instance.
class CitedSpan(NamedTuple):
    start: int
    end: int
    citation_id: int
    reference: str  # the citing item's reference


class LabelledSpan(NamedTuple):
    start: int
    end: int
    label: str


class Anchor(NamedTuple):
    position: int
    name: str  # an HTML id, e.g. "s12" for a section start


class Segment(NamedTuple):
    text: str
    # References of the items citing this stretch (document order of their citations), or None.
    item_refs: tuple[str, ...] | None = None
    # The boilerplate label when the stretch is boilerplate ("Cookie notice"), else "".
    boilerplate: str = ""
    # Citations whose span starts here: (citation id, item reference), for the anchor and the label.
    citation_starts: tuple[tuple[int, str], ...] = ()
    # Citation ids covering the stretch, so a reader (or a test) can find every part of one quote.
    citation_ids: tuple[int, ...] = ()
    anchors: tuple[str, ...] = ()

    @property
    def is_boilerplate(self) -> bool:
        return bool(self.boilerplate)

    @property
    def depth(self) -> int:
        """How many citations overlap here (0 for plain text)."""
        return len(self.citation_ids)


@dataclass
class Block:
    """A run of consecutive segments that are all boilerplate (one span) or all document proper."""

    boilerplate: str = ""
    segments: list[Segment] = field(default_factory=list)


def _clamp(value: int, length: int) -> int:
    return max(0, min(value, length))


def _boundaries(spans: list, length: int) -> tuple[dict[int, list], dict[int, list[int]]]:
    """(position -> [(key, span) opening there], position -> [keys closing there]), keys in list order."""
    opening: dict[int, list] = {}
    closing: dict[int, list[int]] = {}
    for key, span in enumerate(spans):
        start, end = span.start, span.end
        # Clamped inline: two calls per span were a tenth of the whole cut.
        start = 0 if start < 0 else length if start > length else start
        end = 0 if end < 0 else length if end > length else end
        opening.setdefault(start, []).append((key, span))
        closing.setdefault(end, []).append(key)
    return opening, closing


def segments(
    text: str,
    citations: Iterable[CitedSpan] = (),
    boilerplate: Iterable[LabelledSpan] = (),
    anchors: Iterable[Anchor] = (),
) -> list[Segment]:
    """Cut `text` at every span boundary. Concatenating the segments' text gives `text` back."""
    return list(iter_segments(text, citations, boilerplate, anchors))


def iter_segments(
    text: str,
    citations: Iterable[CitedSpan] = (),
    boilerplate: Iterable[LabelledSpan] = (),
    anchors: Iterable[Anchor] = (),
) -> Iterator[Segment]:
    """segments(), one at a time: a renderer that consumes them as they come keeps none of the tens of
    thousands alive (kept, they were a quarter of the time in garbage collection)."""
    length = len(text)
    citations = sorted(
        (c for c in citations if _clamp(c.start, length) < _clamp(c.end, length)),
        key=lambda c: (c.start, -c.end, c.citation_id),
    )
    boilerplate = sorted(
        (b for b in boilerplate if _clamp(b.start, length) < _clamp(b.end, length)), key=lambda b: b.start
    )
    anchors = [a for a in anchors if 0 <= a.position <= length]

    # One sweep over the boundaries in order: each span is opened where it starts and closed where it
    # ends, so the work is the number of spans plus the size of the segments themselves (it used to be
    # segments x spans: every segment scanned every citation, 10 s for 10,000 citations).
    cite_open, cite_close = _boundaries(citations, length)
    boiler_open, boiler_close = _boundaries(boilerplate, length)
    anchors_at: dict[int, list[str]] = {}
    for anchor in anchors:
        anchors_at.setdefault(anchor.position, []).append(anchor.name)
    bounds = sorted({0, length, *cite_open, *cite_close, *boiler_open, *boiler_close, *anchors_at})

    # The open spans of each kind in sorted order: a span opening at a boundary sorts after every span
    # already open (those started earlier), so appending keeps the order (dicts keep insertion order).
    open_citations: dict[int, CitedSpan] = {}
    open_boilerplate: dict[int, LabelledSpan] = {}
    label = ""
    make = Segment._make  # positional: a third of the cost of keyword arguments
    for start, end in zip(bounds, bounds[1:], strict=False):
        for key in cite_close.get(start, ()):
            del open_citations[key]
        opened = cite_open.get(start, ())
        open_citations.update(opened)
        if start in boiler_open or start in boiler_close:
            for key in boiler_close.get(start, ()):
                del open_boilerplate[key]
            open_boilerplate.update(boiler_open.get(start, ()))
            label = next(iter(open_boilerplate.values())).label if open_boilerplate else ""
        if len(open_citations) == 1:  # the common case, without the general case's three passes
            (only,) = open_citations.values()
            refs, ids = (only.reference,), (only.citation_id,)
        elif open_citations:
            covering = list(open_citations.values())
            refs = tuple(dict.fromkeys([c.reference for c in covering]))
            ids = tuple([c.citation_id for c in covering])
        else:
            refs, ids = None, ()
        starts = tuple([(c.citation_id, c.reference) for _, c in opened]) if opened else ()
        yield make((text[start:end], refs, label, starts, ids, tuple(anchors_at.get(start, ()))))
    # Anchors at the very end of the text (an empty trailing section) still need an element.
    trailing = tuple(a.name for a in anchors if a.position == length)
    if trailing and length:
        yield Segment(text="", anchors=trailing)


def blocks(parts: Iterable[Segment]) -> list[Block]:
    """Group consecutive segments so each boilerplate span becomes one box of its own."""
    grouped: list[Block] = []
    for segment in parts:
        if not grouped or grouped[-1].boilerplate != segment.boilerplate:
            grouped.append(Block(boilerplate=segment.boilerplate))
        grouped[-1].segments.append(segment)
    return grouped
