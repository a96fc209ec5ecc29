"""Layout analysis of a plain text: lines, boilerplate, headings/sections, bullets, sentences.

Everything works on offsets into the original string (never on a cleaned copy), so a span found
here can be cited verbatim. The patterns are generic (web boilerplate, numbered and unnumbered
headings, bullet markers), not tuned to offsets of the seed corpus.
"""

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from operator import add, le

from .records import BoilerplateSpan, SectionRecord

# Web boilerplate is only looked for on short lines, so article prose that happens to mention
# cookies or copyright is never dropped.
BOILERPLATE_MAX_LINE = 300
BOILERPLATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(pattern, re.IGNORECASE))
    for label, pattern in (
        ("donation banner", r"\b(make a (charitable )?donation|donate (now|today)|support (us|our work))\b"),
        ("banner", r"^\s*\[\s*[^\]\n]{1,60}\s*\]\s*$"),
        ("copyright", r"^\s*(copyright\b|\(c\)\s*\d{4}|©)"),
        ("mailing list", r"\b(join|subscribe to|sign up for)\b.{0,60}\b(mailing list|newsletter)\b"),
        (
            "cookie notice",
            r"\b(uses? cookies|we use cookies|cookie (policy|settings|consent|preferences)"
            r"|accept (all )?cookies)\b",
        ),
        ("comments", r"^\s*(\d+\s+comments?|no comments?|leave a (comment|reply)|comments?)\s*$"),
        ("comments", r"^\s*\d{1,5}\s*$"),
        (
            "related links",
            r"^\s*(you may also like|related (posts|articles|stories)|read more|recommended for you)\s*$",
        ),
        ("share buttons", r"^\s*(share( this)?|tweet|print|email|facebook|twitter)(\s*[|/]\s*\w+)*\s*$"),
        ("byline", r"^\s*by\s+[A-Z][\w.'’-]+(\s+[A-Z][\w.'’-]+){0,3}\s*$"),
    )
)
# The byline pattern is case-sensitive on the name; compiled separately so "by the way" is kept.
_BYLINE_RE = re.compile(r"^\s*[Bb]y\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}\s*$")

_NUMBERED_HEADING_RE = re.compile(r"^[ \t]*(\d{1,2}(?:\.\d{1,2}){0,4})\.?[ \t]+([A-Z][^\n]{1,118}?)[ \t]*$")
_CAPS_HEADING_RE = re.compile(r"^[ \t]*([A-Z][A-Z ,&'-]{3,60}[A-Z])[ \t]*$")
_EXEC_SUMMARY_RE = re.compile(r"^executive summary$", re.IGNORECASE)
_BULLET_RE = re.compile(r"^[ \t]*(?:[-–—•·*▪◦]|\(?[a-z]\)|\d{1,2}\))[ \t]*(?=\S)", re.MULTILINE)
_TABLE_RE = re.compile(r"\|.*\|")
_NUMBERED_CLAUSE_RE = re.compile(r"[ \t]*\(?\d{1,3}[.)][ \t]+(?=\S)")
# A Markdown-style separator row: "---|---", "| :--- | ---: |".
_TABLE_SEPARATOR_RE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$")
TABLE_MIN_ALIGNED_ROWS = 3  # without a separator row, this many consecutive rows with equal cell counts
_TERMINAL_PUNCT = ".!?:;,"
# Closing quotation marks and brackets after a line's last punctuation: 'X said: "We will ...."' ends a sentence.
_CLOSERS = "\"”’')]"

# Sentence boundary: terminal punctuation, optional closing quotes/brackets, then either
# whitespace or (for the "region.During" typo) directly a capitalised word.
_BOUNDARY_RE = re.compile(r"[.!?][\"”’')\]]*(?=\s|[A-Z“\"][a-z]|$)")
_ABBREVIATIONS = frozenset(
    (
        *("mr", "mrs", "ms", "dr", "prof", "st", "no", "nos", "vs", "etc", "e.g", "i.e", "inc", "ltd", "co"),
        *("ave", "gen", "col", "lt", "sen", "rep", "gov", "jr", "sr", "fig", "art"),
        *("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"),
        *("a.o", "u.s", "u.k", "u.n", "n.w", "n.e", "s.w", "s.e"),
    )
)
_WORD_BEFORE_RE = re.compile(r"([A-Za-z][A-Za-z.]*)")


@dataclass(frozen=True, slots=True)
class Block:
    """One layout unit: a heading, a bullet, a paragraph, a table row or a boilerplate line.

    ``start``/``end`` cover the whole line(s); ``content_start`` skips a bullet marker.
    """

    kind: str  # heading | bullet | paragraph | table | boilerplate
    start: int
    end: int
    content_start: int


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, end excluding the newline."""
    return _lines(text)[0]


# The line boundaries of str.splitlines() other than "\n": without them, splitting on "\n" gives the same lines.
_OTHER_LINE_BREAKS_RE = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _lines(text: str) -> tuple[list[tuple[int, int]], list[str]]:
    """The spans of ``line_spans`` and the lines' texts (``text[start:end]``)."""
    if _OTHER_LINE_BREAKS_RE.search(text) is None:
        # Only "\n" ends a line: the lines and their offsets without a Python step per line (a document of
        # short lines has a million of them).
        lines = text.split("\n")
        if not lines[-1]:
            lines.pop()  # the text ends with a newline (or is empty): splitlines() gives no line after it
        lengths = list(map(len, lines))
        starts = list(accumulate(map((1).__add__, lengths), initial=0))
        starts.pop()
        return list(zip(starts, map(add, starts, lengths), strict=True)), lines
    spans, pos = [], 0
    for line in text.splitlines(keepends=True):
        stripped = line.rstrip("\r\n")
        spans.append((pos, pos + len(stripped)))
        pos += len(line)
    return spans, [text[start:end] for start, end in spans]


# All labels' patterns in one, so that a line is scanned once (named groups tell which matched).
_BOILERPLATE_LABELS = [label for label, _ in BOILERPLATE_PATTERNS if label != "byline"]
_BOILERPLATE_RE = re.compile(
    "|".join(
        f"(?P<b{index}>{pattern.pattern})"
        for index, pattern in enumerate(p for label, p in BOILERPLATE_PATTERNS if label != "byline")
    ),
    re.IGNORECASE,
)


# Words without which no unanchored label ("donation banner", "mailing list", "cookie notice") can match.
_UNANCHORED_WORDS = ("donat", "support", "mailing list", "newsletter", "cookie")


def boilerplate_label(line: str) -> str | None:
    """The boilerplate label of a single line, or None for ordinary content."""
    if not line.strip() or len(line) > BOILERPLATE_MAX_LINE:
        return None
    if _BYLINE_RE.match(line):
        return "byline"
    # The labels anchored at the line start can only match at 0, where match() tries every label in order
    # (what search() would find there); past 0 only the unanchored ones can, and each needs one of a few
    # words: scanning every position with every label was most of the time of a document of short lines.
    match = _BOILERPLATE_RE.match(line)
    if match is None:
        folded = line.casefold()
        for word in _UNANCHORED_WORDS:  # a loop: the generator of any() cost more than the tests
            if word in folded:
                match = _BOILERPLATE_RE.search(line, 1)
                break
    return _BOILERPLATE_LABELS[int(match.lastgroup[1:])] if match else None


@lru_cache(maxsize=1)  # the document being extracted
def _line_table(text: str) -> tuple[tuple[tuple[int, int], ...], tuple[str | None, ...], tuple[str, ...]]:
    """The lines of ``text``, their boilerplate labels and their texts, worked out once for ``blocks`` and
    ``find_boilerplate`` (each went over every line), a repeated line's label once."""
    spans, lines = _lines(text)
    known = {line: boilerplate_label(line) for line in dict.fromkeys(lines)}
    return tuple(spans), tuple(map(known.__getitem__, lines)), tuple(lines)


@lru_cache(maxsize=1)  # the document being extracted
def _headings(text: str) -> dict[str, tuple[str | None, str] | None]:
    """``heading_of`` of the lines of ``text`` asked so far: ``blocks`` and ``find_sections`` ask it of the
    same lines, and a repeated line is worked out once."""
    return {}


def forget_text() -> None:
    """Drop the line table and headings kept for the last text (``extract_document`` calls it when done: a
    document of a million short lines keeps some 150 MB there)."""
    _line_table.cache_clear()
    _headings.cache_clear()


def find_boilerplate(text: str) -> tuple[BoilerplateSpan, ...]:
    spans = []
    lines, labels, _ = _line_table(text)
    for (start, end), label in zip(lines, labels, strict=True):
        if label:
            start, end = _trim(text, start, end)
            spans.append(BoilerplateSpan(start, end, label))
    return tuple(spans)


def heading_of(line: str) -> tuple[str | None, str] | None:
    """(number or None, heading text) when ``line`` is a heading, else None.

    Numbered: "4.1.1. Building Trust"; upper case: "EXECUTIVE SUMMARY" (number "ES");
    unnumbered: a short title-like line with no closing punctuation ("To Wrap It Up").
    """
    stripped = line.strip()
    if not stripped or _BULLET_RE.match(line) or _TABLE_RE.search(line):
        return None
    # The punctuation that ends a sentence may sit inside its closing quotes; a line of closers alone keeps its own.
    last = (stripped.rstrip(_CLOSERS) or stripped)[-1]
    match = _NUMBERED_HEADING_RE.match(line)
    if match and last not in _TERMINAL_PUNCT and len(match.group(2).split()) <= 14:
        return match.group(1), match.group(2).strip()
    if _CAPS_HEADING_RE.match(line):
        return ("ES" if _EXEC_SUMMARY_RE.match(stripped) else None), stripped
    words = stripped.split()
    if (
        len(stripped) <= 110
        and 2 <= len(words) <= 16
        and last not in _TERMINAL_PUNCT
        and (stripped[0].isupper() or stripped[0] in '"“')
    ):
        return None, stripped
    return None


def table_lines(text: str, spans: list[tuple[int, int]] | None = None) -> set[int]:
    """Indices (into ``line_spans``) of the lines that form pipe tables.

    A table is recognised by its structure, not by a "|" in a line: a run of consecutive lines that
    each hold a "|" is a table when it has a separator row ("---|---") and at least two rows, or
    at least TABLE_MIN_ALIGNED_ROWS rows with the same number of "|". A prose line that happens to
    contain two "|" stays prose.
    """
    found: set[int] = set()
    if "|" not in text:
        return found  # no line holds one: one scan of the text instead of a test per line
    spans = line_spans(text) if spans is None else spans
    run: list[int] = []

    def close() -> None:
        lines = [text[spans[i][0] : spans[i][1]] for i in run]
        separator = any(_TABLE_SEPARATOR_RE.match(line) for line in lines)
        if (separator and len(run) >= 2) or _aligned(lines):
            found.update(run)
        run.clear()

    for index, (start, end) in enumerate(spans):
        if "|" in text[start:end]:
            run.append(index)
        elif run:
            close()
    if run:
        close()
    return found


def _aligned(lines: list[str]) -> bool:
    """TABLE_MIN_ALIGNED_ROWS consecutive lines with the same (non-zero) count of cell separators."""
    streak, previous = 0, None
    for line in lines:
        count = line.strip().strip("|").count("|")
        streak = streak + 1 if count and count == previous else 1
        previous = count
        if count and streak >= TABLE_MIN_ALIGNED_ROWS:
            return True
    return False


_SINGLE_WORD_RE = re.compile(r"[A-Z][a-z]{3,24}")


def _single_word_heading(lines: Sequence[str], index: int) -> bool:
    """A one-word title line ("Proposals", "Conclusion") set apart by a blank line after it."""
    if not _SINGLE_WORD_RE.fullmatch(lines[index].strip()):
        return False
    return index + 1 >= len(lines) or not lines[index + 1].strip()


def blocks(text: str) -> list[Block]:
    """Classify every non-empty line; hard-wrapped paragraph lines are joined into one block."""
    result: list[Block] = []
    spans, labels, lines = _line_table(text)
    headings = _headings(text)
    tables = table_lines(text, spans)
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        start = spans[index][0]
        bullet = _BULLET_RE.match(text, start)  # before trimming: the pattern anchors at the line start
        # What _trim gives (str.strip removes the characters isspace() is true of), from the strings.
        start += len(line) - len(line.lstrip())
        end = start + len(stripped)
        if labels[index]:
            result.append(Block("boilerplate", start, end, start))
            continue
        if index in tables:
            result.append(Block("table", start, end, start))
            continue
        if bullet:
            result.append(Block("bullet", start, end, bullet.end()))
            continue
        heading = headings.get(line, False)
        if heading is False:
            heading = headings[line] = heading_of(line)
        if heading or _single_word_heading(lines, index):
            result.append(Block("heading", start, end, start))
            continue
        numbered = _NUMBERED_CLAUSE_RE.match(text, start)
        if numbered:
            # "3. Requests the Secretariat to ...;": a numbered clause (not a heading: it ends in punctuation
            # or runs long), kept whole like a bullet so its number never ends a sentence.
            result.append(Block("bullet", start, end, numbered.end()))
            continue
        previous = result[-1] if result else None
        if (
            previous is not None
            and previous.kind in ("paragraph", "bullet")
            and text[previous.end - 1] not in '.!?:;"”'
            and line.lstrip()[:1].islower()
            and text.count("\n", previous.end, start) == 1
        ):
            # A hard-wrapped line continues the paragraph (or bullet) above it.
            result[-1] = Block(previous.kind, previous.start, end, previous.content_start)
            continue
        result.append(Block("paragraph", start, end, start))
    return result


def find_sections(text: str, layout: list[Block] | None = None) -> tuple[SectionRecord, ...]:
    """Sections from headings. Numbered documents use their numbers (duplicates such as a second
    "2.5" are kept as they are, with distinct spans); an upper-case "EXECUTIVE SUMMARY" becomes "ES";
    documents without numbered headings number their unnumbered headings "1", "2", ...
    """
    layout = blocks(text) if layout is None else layout
    known = _headings(text)
    headings = []
    for block in layout:
        if block.kind != "heading":
            continue
        line = text[block.start : block.end]
        found = known.get(line, False)
        if found is False:
            found = known[line] = heading_of(line)
        number, heading = found or (None, line.strip())
        headings.append((block.start, number, heading))
    numbered = any(number and number != "ES" for _, number, _ in headings)
    entries = []
    counter = 0
    for start, number, heading in headings:
        if number is None:
            if numbered:
                continue  # a sub-heading inside a numbered section, not a section of its own
            counter += 1
            number = str(counter)
        entries.append((start, number, heading))
    # A section ends where the first later heading of the same or a higher level starts: one pass with a
    # stack of the open sections (scanning the later headings for each was quadratic in their number).
    ends = [len(text)] * len(entries)
    open_sections: list[tuple[int, int]] = []  # (depth, index)
    for index, (start, number, _) in enumerate(entries):
        depth = _depth(number)
        while open_sections and open_sections[-1][0] >= depth:
            ends[open_sections.pop()[1]] = start
        open_sections.append((depth, index))
    sections = []
    for (start, number, heading), end in zip(entries, ends, strict=True):
        end = _trim(text, start, end)[1]
        parent = number.rsplit(".", 1)[0] if "." in number else None
        sections.append(SectionRecord(number, heading, start, end, parent))
    return tuple(sections)


class SectionIndex:
    """A document's sections looked up by offset and by parent without a pass over all of them (the
    extraction asks for every block and item: a scan each time was quadratic in a document of many
    short sections). Same answers as ``section_at`` and the first-match parent searches."""

    def __init__(self, sections: Sequence[SectionRecord]):
        self.sections = tuple(sections)
        starts = [section.start for section in self.sections]
        if all(map(le, starts, starts[1:])):  # find_sections gives them in text order: nothing to sort
            self._ordered = list(self.sections)
        else:
            order = sorted(range(len(self.sections)), key=starts.__getitem__)  # stable
            self._ordered = [self.sections[index] for index in order]
        self._starts = [section.start for section in self._ordered]
        self._by_number: dict[str, list[SectionRecord]] = {}
        for section in self.sections:
            self._by_number.setdefault(section.number, []).append(section)

    def at(self, offset: int) -> SectionRecord | None:
        """The deepest section containing ``offset``: the containing one that starts last."""
        index = bisect_right(self._starts, offset) - 1
        while index >= 0:  # walks back over sections that ended before offset: usually none
            section = self._ordered[index]
            if offset < section.end:
                return section
            index -= 1
        return None

    def parent(self, section: SectionRecord, *, enclosing: bool = False) -> SectionRecord | None:
        """The first section numbered ``section.parent_number`` that starts before it (and, with
        ``enclosing``, ends after it)."""
        for candidate in self._by_number.get(section.parent_number or "", ()):
            if candidate.start <= section.start and (not enclosing or section.end <= candidate.end):
                return candidate
        return None


def section_at(sections: Sequence[SectionRecord], offset: int) -> SectionRecord | None:
    """The deepest section containing ``offset`` (records, or any rows with ``start`` and ``end``)."""
    best = None
    for section in sections:
        if section.start <= offset < section.end and (best is None or section.start >= best.start):
            best = section
    return best


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside ``text[start:end]``, trimmed of surrounding whitespace.

    Handles a missing space after a full stop ("region.During"), closing quotes after the stop,
    and common abbreviations ("U.S.", "a.o.", "Mr.") that do not end a sentence.
    """
    spans = []
    sentence_start = start
    for match in _BOUNDARY_RE.finditer(text, start, end):
        stop = match.start()
        if text[stop] == "." and _is_abbreviation(text, sentence_start, stop, match.end(), end):
            continue
        spans.append((sentence_start, match.end()))
        sentence_start = match.end()
    spans.append((sentence_start, end))
    return [trimmed for s, e in spans if (trimmed := _trim(text, s, e))[1] > trimmed[0]]


def _is_abbreviation(text: str, sentence_start: int, stop: int, after: int, end: int) -> bool:
    # Only the last word matters: walk back over it (a regex search anchored at "$" would rescan the whole
    # sentence at every stop, and "Mr. " repeated never ends one).
    word_start = stop
    while (
        word_start > sentence_start
        and stop - word_start < 30
        and (text[word_start - 1].isascii() and (text[word_start - 1].isalpha() or text[word_start - 1] == "."))
    ):
        word_start -= 1
    while word_start < stop and not text[word_start].isalpha():
        word_start += 1
    word_match = _WORD_BEFORE_RE.match(text, word_start, stop) if word_start < stop else None
    if not word_match:
        return stop > sentence_start and text[stop - 1].isdigit() and _next_is_lower(text, after, end)
    word = word_match.group(1)
    lowered = word.lower()
    if lowered in _ABBREVIATIONS or (len(word) == 1 and word.isupper()):
        # "a.o. Coordination" still ends a sentence when a capitalised word follows a list ender.
        return lowered not in ("a.o", "etc") or _next_is_lower(text, after, end)
    if "." in word and all(len(part) <= 2 for part in word.split(".") if part):
        return True  # initialisms such as "U.S" or "N.W"
    # No space after the stop: only a sentence boundary when the word before is a real word.
    return after < end and not text[after].isspace() and len(word) < 2


def _next_is_lower(text: str, after: int, end: int) -> bool:
    index = after
    while index < end and text[index].isspace():
        index += 1
    return index < end and text[index].islower()


def _depth(number: str) -> int:
    # The executive summary ranks with the top-level chapters: it ends where "1." begins.
    return 1 if not number[0].isdigit() else number.count(".") + 1


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
