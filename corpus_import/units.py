"""Stage 2 of the extraction: the layout's blocks become units, one per candidate action.

A unit is a sentence of a paragraph, a bullet (its marker skipped) or a clause of either: a
sentence that joins separate actions ("... ; and to ...", "... and invites the Commission to ...",
"..., and we will ...") is cut into one unit per action. Each unit knows its section, the lead-in
of the list it belongs to ("To the governments of the region:") and the paragraph around it (for
quotation marks), and records which rule cut it. Pure Python.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from . import vocabulary
from .records import SectionRecord
from .segment import Block, SectionIndex, split_sentences

# 'saying: "...' starts a quoted sentence.
_SPEECH_SPLIT_RE = re.compile(r":\s*(?=[“\"])")
# "X should do A; to do B; and to do C".
_SEMICOLON_CLAUSE_RE = re.compile(r";\s+(?=(?:and\s+)?(?:to|that)\s)")
# A second action with its own verb: ", and we will ...", " and invites the Commission to ...".
_PRONOUNS = r"(?:we|they|he|she)"
MIN_CLAUSE_WORDS = 4
CACHED_PIECE_MAX = 2_000  # longer sentences and paragraphs are cut without being kept in the caches


@dataclass(frozen=True, slots=True)
class LeadIn:
    """The sentence that introduces a list ("We propose the following measures:")."""

    start: int
    end: int
    text: str
    announces_items: bool
    background: bool


@dataclass(frozen=True, slots=True)
class Unit:
    start: int
    end: int
    kind: str  # sentence | bullet
    cut: str  # the rule that made it: sentence, bullet, semicolon-clause, coordinated-action, quoted-speech
    block_start: int  # the paragraph or bullet it comes from
    block_end: int
    section: SectionRecord | None
    lead_in: LeadIn | None = None
    numbered: bool = False  # a numbered clause ("1. Calls upon ...")
    background: bool = False  # in a background section: never an item, but speakers are remembered
    sentence_start: int = -1  # the sentence a clause was cut from (its trigger may be in an earlier clause)


def _coordinated_re() -> re.Pattern[str]:
    verbs = sorted(
        {
            phrase
            for phrase in vocabulary.speech_acts().commitment_strength
            if phrase not in ("will", "would") and not phrase.startswith(("is ", "are ", "was ", "were "))
        }
        | set(vocabulary.speech_acts().operative_strength),
        key=len,
        reverse=True,
    )
    body = "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in verbs)
    return re.compile(
        rf"(?:,\s*|\s+)and\s+(?=(?:{_PRONOUNS}\s+(?:will|would|also|remain|commit|call|agree|support|undertake)\b)"
        rf"|(?:{body})\b)",
        re.IGNORECASE,
    )


_COORDINATED_RE = None


def split_clauses(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """(start, end, rule) of the actions in ``text[start:end]``: one piece unless it joins several."""
    # The cuts depend on ``text[start:end]`` alone (the patterns look neither before ``start`` nor past
    # ``end``): a repeated sentence is cut once, by its offsets relative to its start.
    piece = text[start:end]
    if ";" not in piece and not vocabulary.may_match(_coordinated(), piece):
        return [(start, end, None)] if end > start else []  # neither cut can be there: one piece, as cut below
    cuts = _split_clauses(piece) if len(piece) <= CACHED_PIECE_MAX else _split_clauses_at(piece, 0, len(piece))
    return [(start + s, start + e, r) for s, e, r in cuts]


@lru_cache(maxsize=4096)
def _split_clauses(piece: str) -> tuple[tuple[int, int, str], ...]:
    return tuple(_split_clauses_at(piece, 0, len(piece)))


def _coordinated() -> re.Pattern[str]:
    global _COORDINATED_RE
    if _COORDINATED_RE is None:
        _COORDINATED_RE = _coordinated_re()
    return _COORDINATED_RE


def _split_clauses_at(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    _coordinated()
    pieces, cut, rule = [], start, None
    # Neither search can match without its words (";", "and"): most sentences skip both.
    cuts = []
    if ";" in text[start:end]:
        cuts += [(m.start(), m.end(), "semicolon-clause") for m in _SEMICOLON_CLAUSE_RE.finditer(text, start, end)]
    if vocabulary.may_match(_COORDINATED_RE, text[start:end]):
        cuts += [(m.start(), m.end(), "coordinated-action") for m in _COORDINATED_RE.finditer(text, start, end)]
    for cut_start, cut_end, cut_rule in sorted(cuts):
        if cut_start < cut:
            continue
        # Bounded windows: counting the words of the whole rest at every cut would be quadratic.
        before = text[max(cut, cut_start - 200) : cut_start]
        after = text[cut_end : min(end, cut_end + 200)]
        if len(before.split()) >= MIN_CLAUSE_WORDS and len(after.split()) >= MIN_CLAUSE_WORDS:
            pieces.append((cut, cut_start, rule))
            cut, rule = cut_end, cut_rule
    pieces.append((cut, end, rule))
    return [(s, e, r) for s, e, r in pieces if e > s]


def _sentences(text: str, block: Block) -> list[tuple[int, int, str]]:
    # Like the clauses, a block's sentences depend on its own text only: a repeated paragraph once.
    offset, piece = block.content_start, text[block.content_start : block.end]
    sentences = _block_sentences(piece) if len(piece) <= CACHED_PIECE_MAX else _block_sentences_at(piece)
    return [(offset + s, offset + e, r) for s, e, r in sentences]


@lru_cache(maxsize=4096)
def _block_sentences(text: str) -> tuple[tuple[int, int, str], ...]:
    return _block_sentences_at(text)


def _block_sentences_at(text: str) -> tuple[tuple[int, int, str], ...]:
    units = []
    for start, end in split_sentences(text, 0, len(text)):
        cut, rule = start, "sentence"
        for match in _SPEECH_SPLIT_RE.finditer(text, start, end):
            units.append((cut, match.start() + 1, rule))
            cut, rule = match.end(), "quoted-speech"
        units.append((cut, end, rule))
    return tuple((s, e, r) for s, e, r in units if e > s)


def build_units(
    text: str,
    layout: list[Block],
    sections: tuple[SectionRecord, ...],
    is_background,
    index: SectionIndex | None = None,
) -> list[Unit]:
    """Units in text order. ``is_background(section)`` tells sections whose content is never an item.
    ``index``: the sections' ``SectionIndex`` when the caller has one (built once for 200,000 sections)."""
    frames = vocabulary.frames()
    units: list[Unit] = []
    lead_in: LeadIn | None = None
    index_of_sections = SectionIndex(sections) if index is None or index.sections is not tuple(sections) else index
    for index, block in enumerate(layout):
        if block.kind == "heading":
            lead_in = None
            continue
        if block.kind in ("boilerplate", "table"):
            continue
        section = index_of_sections.at(block.start)
        background = is_background(section)
        if block.kind == "bullet":
            numbered = text[block.start : block.content_start].strip()[:1].isdigit()
            for start, end, rule in split_clauses(text, block.content_start, block.end):
                units.append(
                    Unit(
                        start,
                        end,
                        "bullet",
                        rule or "bullet",
                        block.start,
                        block.end,
                        section,
                        lead_in,
                        numbered,
                        background,
                        block.content_start,
                    )
                )
            continue
        next_is_list = index + 1 < len(layout) and layout[index + 1].kind in ("bullet", "table")
        sentences = _sentences(text, block)
        lead_in = None
        for position, (start, end, rule) in enumerate(sentences):
            if position == len(sentences) - 1 and next_is_list and text[end - 1] == ":":
                sentence = text[start:end]
                background_list = bool(frames.leadin_background.search(sentence))
                lead_in = LeadIn(
                    start,
                    end,
                    sentence,
                    announces_items=not background_list and bool(frames.leadin_items.search(sentence)),
                    background=background_list,
                )
                continue
            for clause_start, clause_end, clause_rule in split_clauses(text, start, end):
                units.append(
                    Unit(
                        clause_start,
                        clause_end,
                        "sentence",
                        clause_rule or rule,
                        block.content_start,
                        block.end,
                        section,
                        None,
                        False,
                        background,
                        start,
                    )
                )
    return units
