"""The reading view's text, cut into segments: pure functions over offsets, no ORM, no HTML.

A document's text is cut at every boundary of every citation, boilerplate span and anchor, so
overlapping citations need no nesting: each segment knows every item that cites it. The template
escapes each segment's text; nothing here is marked safe.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CitedSpan:
    start: int
    end: int
    citation_id: int
    reference: str  # the citing item's reference


@dataclass(frozen=True)
class LabelledSpan:
    start: int
    end: int
    label: str


@dataclass(frozen=True)
class Anchor:
    position: int
    name: str  # an HTML id, e.g. "s12" for a section start


@dataclass(frozen=True)
class Segment:
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


def segments(
    text: str,
    citations: Iterable[CitedSpan] = (),
    boilerplate: Iterable[LabelledSpan] = (),
    anchors: Iterable[Anchor] = (),
) -> list[Segment]:
    """Cut `text` at every span boundary. Concatenating the segments' text gives `text` back."""
    length = len(text)
    citations = sorted(
        (c for c in citations if _clamp(c.start, length) < _clamp(c.end, length)),
        key=lambda c: (c.start, -c.end, c.citation_id),
    )
    boilerplate = sorted(
        (b for b in boilerplate if _clamp(b.start, length) < _clamp(b.end, length)), key=lambda b: b.start
    )
    anchors = [a for a in anchors if 0 <= a.position <= length]

    cuts = {0, length}
    for span in (*citations, *boilerplate):
        cuts.add(_clamp(span.start, length))
        cuts.add(_clamp(span.end, length))
    cuts.update(a.position for a in anchors)
    bounds = sorted(cuts)

    result = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        covering = [c for c in citations if c.start <= start and end <= c.end]
        label = next((b.label for b in boilerplate if b.start <= start and end <= b.end), "")
        refs = tuple(dict.fromkeys(c.reference for c in covering))
        result.append(
            Segment(
                text=text[start:end],
                item_refs=refs or None,
                boilerplate=label,
                citation_starts=tuple((c.citation_id, c.reference) for c in covering if c.start == start),
                citation_ids=tuple(c.citation_id for c in covering),
                anchors=tuple(a.name for a in anchors if a.position == start),
            )
        )
    # Anchors at the very end of the text (an empty trailing section) still need an element.
    trailing = tuple(a.name for a in anchors if a.position == length)
    if trailing and length:
        result.append(Segment(text="", anchors=trailing))
    return result


def blocks(parts: Iterable[Segment]) -> list[Block]:
    """Group consecutive segments so each boilerplate span becomes one box of its own."""
    grouped: list[Block] = []
    for segment in parts:
        if not grouped or grouped[-1].boilerplate != segment.boilerplate:
            grouped.append(Block(boilerplate=segment.boilerplate))
        grouped[-1].segments.append(segment)
    return grouped
