"""Finding a curated quote again in a changed text: pure functions, no ORM.

Web annotation tools (Hypothesis, the W3C TextQuoteSelector) anchor a highlight by its exact
quote plus a little text before and after it, and fall back to fuzzy matching when the quote was
edited. The importer does the same for items whose sentence changed slightly between two imports
of a document: a fixed word, punctuation or whitespace leaves a close match, which keeps the
item; a sentence that is really gone leaves none, and the item is orphaned.

Scores are rapidfuzz's 0-100 similarity of whitespace-normalised, lower-cased strings.
"""

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

# A quote that scores at least this against a span of the new text is the same passage, edited.
# Measured on the 254 bundled items: one word of an item replaced scores 87.8 at the least (median
# 97.2); an item against the closest other item scores under 83, but for one near-duplicate pair
# of the strategy (87.4), which pairing one-to-one, best pairs first, keeps apart.
MIN_SCORE = 85.0
CONTEXT = 40  # characters of context kept on each side of a quote
_SPACE_RE = re.compile(r"\s+")
_EDGE = 12  # how far the fuzzy span's ends are moved to find the best boundaries


def normalise(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip().lower()


def similarity(a: str, b: str) -> float:
    return fuzz.ratio(normalise(a), normalise(b))


@dataclass(frozen=True)
class Quote:
    """What is known of a passage: its text, what came before and after it, and where it was."""

    exact: str
    prefix: str = ""
    suffix: str = ""
    position: int | None = None

    @classmethod
    def in_text(cls, text: str, start: int, end: int) -> "Quote":
        return cls(text[start:end], text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT], start)


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    score: float  # 100 for an exact match


def _context_score(quote: Quote, text: str, start: int, end: int) -> float:
    score = 0.0
    if quote.prefix:
        score += fuzz.ratio(quote.prefix, text[max(0, start - len(quote.prefix)) : start])
    if quote.suffix:
        score += fuzz.ratio(quote.suffix, text[end : end + len(quote.suffix)])
    return score


def locate(quote: Quote, text: str, *, min_score: float = MIN_SCORE) -> Anchor | None:
    """Where the quote is in `text`: exactly (the occurrence whose context fits best), else the
    closest fuzzy match scoring at least `min_score`, else None."""
    exact = quote.exact
    if not exact.strip():
        return None
    starts = []
    found = text.find(exact)
    while found >= 0:
        starts.append(found)
        found = text.find(exact, found + 1)
    if starts:

        def fit(start: int) -> tuple[float, int]:
            distance = abs(start - quote.position) if quote.position is not None else 0
            return (_context_score(quote, text, start, start + len(exact)), -distance)

        best = max(starts, key=fit)
        return Anchor(best, best + len(exact), 100.0)
    alignment = fuzz.partial_ratio_alignment(exact, text, score_cutoff=min_score)
    if alignment is None:
        return None
    start, end = _best_boundaries(exact, text, alignment.dest_start, alignment.dest_end)
    score = fuzz.ratio(exact, text[start:end])
    if score < min_score:
        return None
    return Anchor(start, end, score)


def _best_boundaries(exact: str, text: str, start: int, end: int) -> tuple[int, int]:
    """partial_ratio aligns a window of the quote's length; the edited passage may be a little
    longer or shorter, so each end is moved to where the whole quote matches best, then trimmed."""
    best = (fuzz.ratio(exact, text[start:end]), start, end)
    for new_start in range(max(0, start - _EDGE), min(end, start + _EDGE) + 1):
        for new_end in range(max(new_start + 1, end - _EDGE), min(len(text), end + _EDGE) + 1):
            score = fuzz.ratio(exact, text[new_start:new_end])
            if score > best[0]:
                best = (score, new_start, new_end)
    _, start, end = best
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def pair_up(old: list[str], new: list[str], *, min_score: float = MIN_SCORE) -> list[tuple[int, int, float]]:
    """Match old passages to new ones one-to-one, best pairs first: (old index, new index, score)."""
    if not old or not new:
        return []
    choices = [normalise(s) for s in new]
    candidates = sorted(
        (
            (score, i, j)
            for i, passage in enumerate(old)
            for _, score, j in process.extract(
                normalise(passage), choices, scorer=fuzz.ratio, score_cutoff=min_score, limit=None
            )
        ),
        reverse=True,
    )
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    pairs = []
    for score, i, j in candidates:
        if i in taken_old or j in taken_new:
            continue
        taken_old.add(i)
        taken_new.add(j)
        pairs.append((i, j, score))
    return pairs
