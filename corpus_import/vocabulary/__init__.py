"""The extraction's vocabularies, loaded from the TOML files beside this module: data in one place.

- ``speech_acts.toml``: operative clause openers, preambular openers, verbs that make a clause a
  non-item, commitment and call verbs with their strength, reporting verbs, imperative verbs.
- ``frames.toml``: the recommending modals and frames (regular expressions with a strength), the
  lead-ins and section headings that mark lists as items or background, acting subjects.
- ``addressees.toml``: the normalised groups of "who must act" with the words that name them, the
  target groups, and the words that make the implicit addressee national governments.
- ``states.toml``: what pycountry lacks about states: usual short names, aliases, capitals.
- ``speakers.toml``: words that open a sentence before a speaker's name, and offices named without one.

Theme descriptors are not here: they live on each theme (``tracker.taxonomy`` for the default
taxonomy, the ``Theme.descriptors`` field in the database), so a theme added in the admin is matched.
Pure Python: loading needs only ``tomllib`` and ``re``.
"""

import re
import re._constants as _sre
import re._parser as _sre_parse
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _load(name: str) -> dict:
    return tomllib.loads((HERE / name).read_text(encoding="utf-8"))


_ZERO_WIDTH = frozenset({_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT})


def _first_chars(items) -> set[str] | None:
    """The characters a match of the parsed sequence can start with, or None when that is not a small set."""
    for op, value in items:
        if op in _ZERO_WIDTH:
            continue  # \b, ^, lookarounds: they consume nothing, the next item decides
        if op is _sre.LITERAL:
            return {chr(value)}
        if op is _sre.IN:
            chars: set[str] = set()
            for item_op, item in value:
                if item_op is _sre.LITERAL:
                    chars.add(chr(item))
                elif item_op is _sre.RANGE and item[1] - item[0] <= 64:
                    chars.update(map(chr, range(item[0], item[1] + 1)))
                else:
                    return None  # a negated set, a category (\w, \s): anything
            return chars
        if op is _sre.SUBPATTERN:
            _, add_flags, del_flags, sub = value
            return _first_chars(sub.data) if not (add_flags or del_flags) else None
        if op is _sre.BRANCH:
            result: set[str] = set()
            for branch in value[1]:
                chars = _first_chars(branch.data)
                if chars is None:
                    return None
                result |= chars
            return result
        if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and value[0] >= 1:
            return _first_chars(value[2].data)
        return None
    return None  # the whole pattern can match the empty string


def _requirements(items) -> list[set[str]]:
    """Sets of lower-case strings such that every match of the parsed sequence contains one string of
    each set (a literal run is a set of one; a group or alternation its strings)."""
    found: list[set[str]] = []
    run: list[str] = []
    for op, value in items:
        if op is _sre.LITERAL:
            run.append(chr(value).lower())
            continue
        if run:
            found.append({"".join(run)})
        run = []
        nested = None
        if op is _sre.SUBPATTERN:
            nested = _required(value[3].data)
        elif op is _sre.BRANCH:
            branches = [_required(branch.data) for branch in value[1]]
            nested = set().union(*branches) if all(branches) else None
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and value[0] >= 1:
            nested = _required(value[2].data)
        if nested:
            found.append(nested)
        # Anything else (a class, a lookaround, an anchor) requires no literal: the run ends there.
    if run:
        found.append({"".join(run)})
    return found


def _required(items) -> set[str] | None:
    """The most telling (longest shortest string) of the sequence's requirements, or None."""
    found = _requirements(items)
    return max(found, key=lambda strings: min(map(len, strings))) if found else None


def required_words(pattern: re.Pattern[str]) -> tuple[tuple[tuple[str, ...], ...], ...] | None:
    """What any text the pattern matches contains: for one of the alternatives, one string of each of
    its tuples (lower case). None when nothing is known."""
    items = [item for item in _sre_parse.parse(pattern.pattern, pattern.flags).data if item[0] not in _ZERO_WIDTH]
    if len(items) == 1 and items[0][0] is _sre.BRANCH:
        alternatives = [_requirements(branch.data) for branch in items[0][1][1]]
    else:
        alternatives = [_requirements(items)]
    if not all(alternatives):
        return None
    # The longest strings first: they are the likeliest to be missing, so an alternative fails sooner.
    return tuple(
        tuple(sorted((tuple(sorted(strings)) for strings in needs), key=lambda words: -min(map(len, words))))
        for needs in alternatives
    )


_NEEDS: dict[int, tuple[re.Pattern[str], tuple]] = {}


def _gate(needs):
    """(strings one of which any match contains: each alternative's first set, without the strings that
    contain another of them, since those add nothing to an "any of" test; ``needs``)."""
    if needs is None:
        return (), None
    words = {word for alternative in needs for word in alternative[0]}
    return tuple(sorted(w for w in words if not any(o != w and o in w for o in words))), needs


def may_match(pattern: re.Pattern[str], text: str) -> bool:
    """False only when ``pattern`` cannot match in ``text``: no alternative's required strings are there.

    A cheap test before a long alternation's search. Only for ASCII text, where ``lower()`` agrees with
    the patterns' IGNORECASE (case folding elsewhere maps some characters to ASCII letters, as "K").
    """
    known = _NEEDS.get(id(pattern))  # by id: hashing a pattern hashes its whole source each time
    if known is None or known[0] is not pattern:
        known = _NEEDS[id(pattern)] = (pattern, _gate(required_words(pattern)))  # kept: its id stays its own
    gate, needs = known[1]
    if needs is None or not text.isascii():
        return True
    lowered = text.lower()
    for word in gate:
        if word in lowered:
            break
    else:
        return False  # not even one alternative's first requirement
    for alternative in needs:  # plain loops: generators cost more than the tests
        for strings in alternative:
            for word in strings:
                if word in lowered:
                    break
            else:
                break  # none of this set: not this alternative
        else:
            return True
    return False


def _caseless(items) -> bool:
    """True when the parsed sequence, case-insensitive on an ASCII text, matches exactly what it matches
    case-sensitively on the text lower-cased: no upper-case or non-ASCII cased letter in it, no flags
    changed inside, no back-reference."""

    def plain(char: str) -> bool:
        return char == char.lower() and (char.isascii() or char == char.upper())

    for op, value in items:
        if op in (_sre.LITERAL, _sre.NOT_LITERAL):
            if not plain(chr(value)):
                return False
        elif op is _sre.IN:
            for item_op, item in value:
                if item_op is _sre.LITERAL and not plain(chr(item)):
                    return False
                if item_op is _sre.RANGE and not all(plain(chr(c)) for c in range(item[0], item[1] + 1)):
                    return False
                if item_op not in (_sre.LITERAL, _sre.RANGE, _sre.CATEGORY, _sre.NEGATE):
                    return False
        elif op is _sre.SUBPATTERN:
            if value[1] or value[2] or not _caseless(value[3].data):
                return False
        elif op is _sre.BRANCH:
            if not all(_caseless(branch.data) for branch in value[1]):
                return False
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            if not _caseless(value[2].data):
                return False
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
            if not _caseless(value[1].data):
                return False
        elif op not in (_sre.AT, _sre.ANY):
            return False
    return True


_CASELESS: dict[int, tuple[re.Pattern[str], re.Pattern[str] | None]] = {}
_LOWERED: tuple[str, str] = ("", "")  # the last long text lower-cased and its copy: one tuple, read and replaced whole
LOWERED_KEPT_MIN = 4096  # characters of a text whose lower-case copy is kept


def lowered_search(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """``pattern`` (case-insensitive) compiled case-sensitively, for ``lowered(text)``; None when the two could
    differ (``_caseless``). Case-insensitive matching costs several times more per character."""
    known = _CASELESS.get(id(pattern))  # by id, as may_match: its id stays its own, the pattern is kept
    if known is None or known[0] is not pattern:
        flags = pattern.flags & ~re.IGNORECASE
        safe = bool(pattern.flags & re.IGNORECASE) and _caseless(_sre_parse.parse(pattern.pattern, pattern.flags).data)
        known = _CASELESS[id(pattern)] = (pattern, re.compile(pattern.pattern, flags) if safe else None)
    return known[1]


def lowered(text: str) -> str | None:
    """``text.lower()`` when ``text`` is ASCII (the same offsets, and IGNORECASE agrees with ``lower()`` there),
    else None. The last text's copy is kept: the extraction asks it of the document for every unit."""
    global _LOWERED
    kept = _LOWERED  # one read: another thread may replace it meanwhile, never half of it
    if text is kept[0]:
        return kept[1]
    if not text.isascii():
        return None
    if len(text) < LOWERED_KEPT_MIN:
        return text.lower()  # a short text is lowered again each time: the document's copy stays kept
    kept = _LOWERED = (text, text.lower())
    return kept[1]


def forget_lowered() -> None:
    """Drop the kept lower-case copy (``extract_document`` calls it when done with a document)."""
    global _LOWERED
    _LOWERED = ("", "")


def finditer_caseless(pattern: re.Pattern[str], text: str, start: int, end: int):
    """``pattern.finditer(text, start, end)``, case-sensitively on the lower-cased text when that gives the same
    matches. The matches' offsets and groups are the same; their strings are lower case (slice ``text`` for
    the words)."""
    folded = lowered(text)
    sensitive = lowered_search(pattern) if folded is not None else None
    if sensitive is None:
        return pattern.finditer(text, start, end)
    return sensitive.finditer(folded, start, end)


def search_caseless(pattern: re.Pattern[str], text: str, start: int, end: int) -> re.Match[str] | None:
    """``pattern.search(text, start, end)``, as ``finditer_caseless`` (the match's strings lower case)."""
    folded = lowered(text)
    sensitive = lowered_search(pattern) if folded is not None else None
    if sensitive is None:
        return pattern.search(text, start, end)
    return sensitive.search(folded, start, end)


def compile_fast(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile``, plus a lookahead for the characters a match can start with when they are a small set.

    It changes no match (the lookahead only repeats what the pattern requires), but lets the engine skip
    to those characters instead of trying every alternative at every position of the text: the
    vocabularies' long alternations cost several times less per character.
    """
    chars = _first_chars(_sre_parse.parse(pattern, flags).data)
    if chars:
        try:
            return re.compile("(?=[" + "".join(map(re.escape, sorted(chars))) + "])" + pattern, flags)
        except re.error:  # global inline flags must stay at the start
            pass
    return re.compile(pattern, flags)


def phrase_pattern(phrases, *, at_start: bool = False) -> re.Pattern[str]:
    """One case-insensitive alternation of whole-word phrases, longest first."""
    body = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(set(phrases), key=len, reverse=True))
    if at_start:  # for Pattern.match, which anchors at pos
        # compile_fast cannot see past the leading spaces: the lookahead for the phrases' first letters goes after
        # them (no phrase starts with a space, so this refuses only where the phrases would all fail).
        chars = _first_chars(_sre_parse.parse(f"(?:{body})", re.IGNORECASE).data)
        ahead = "(?=[" + "".join(map(re.escape, sorted(chars))) + "])" if chars else ""
        return re.compile(rf"\s*{ahead}(?:{body})(?![\w-])", re.IGNORECASE)
    return compile_fast(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class SpeechActs:
    operative: re.Pattern[str]  # at the start of a clause
    operative_strength: dict[str, str]
    preambular: re.Pattern[str]  # at the start of a clause
    not_items: re.Pattern[str]
    commitments: re.Pattern[str]
    commitment_strength: dict[str, str]
    reporting: re.Pattern[str]
    predictions: re.Pattern[str]
    hedges: re.Pattern[str]  # at the start of what follows "will"
    wishes: re.Pattern[str]
    noncommittal: re.Pattern[str]  # at the start of what follows "will"
    refusals: re.Pattern[str]  # at the start of what follows "will"
    third_persons: frozenset[str]
    calls_with_complement: frozenset[str]
    call_complement: re.Pattern[str]
    question_words: re.Pattern[str]  # at the start of what follows the call
    imperatives: frozenset[str]

    def strength_of(self, phrase: str, table: dict[str, str]) -> str:
        return table.get(re.sub(r"\s+", " ", phrase.lower()), "should")


@dataclass(frozen=True)
class Frames:
    modals: tuple[tuple[re.Pattern[str], str], ...]  # (pattern, strength)
    modal: re.Pattern[str]  # all modals in one pattern; group m<i> tells which
    author_view: re.Pattern[str]
    not_a_recommendation: re.Pattern[str]
    leadin_background: re.Pattern[str]
    leadin_items: re.Pattern[str]
    background_section: re.Pattern[str]
    recommendation_section: re.Pattern[str]
    leading_filler: re.Pattern[str]
    possessive_commitment: re.Pattern[str]
    acting_subject: re.Pattern[str]
    event_subject: re.Pattern[str]
    titles: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Group:
    slug: str
    name: str
    aliases: tuple[str, ...]
    target: bool


@cache
def speech_acts() -> SpeechActs:
    data = _load("speech_acts.toml")
    return SpeechActs(
        operative=phrase_pattern(data["operative"], at_start=True),
        operative_strength=dict(data["operative"]),
        preambular=phrase_pattern(data["lists"]["preambular"], at_start=True),
        not_items=phrase_pattern(data["lists"]["not_items"]),
        commitments=phrase_pattern(data["commitments"]),
        commitment_strength=dict(data["commitments"]),
        reporting=phrase_pattern(data["lists"]["reporting"]),
        predictions=phrase_pattern(data["lists"]["predictions"]),
        hedges=phrase_pattern(data["lists"]["hedges"], at_start=True),
        wishes=phrase_pattern(data["lists"]["wishes"]),
        noncommittal=phrase_pattern(data["lists"]["noncommittal"], at_start=True),
        refusals=phrase_pattern(data["lists"]["refusals"], at_start=True),
        third_persons=frozenset(data["lists"]["third_persons"]),
        calls_with_complement=frozenset(data["lists"]["calls_with_complement"]),
        call_complement=phrase_pattern(data["lists"]["call_complement"]),
        question_words=phrase_pattern(data["lists"]["question_words"], at_start=True),
        imperatives=frozenset(data["lists"]["imperatives"]),
    )


@cache
def frames() -> Frames:
    data = _load("frames.toml")
    modals = tuple((re.compile(m["pattern"], re.IGNORECASE), m["strength"]) for m in data["modals"])
    combined = compile_fast("|".join(f"(?P<m{i}>{m['pattern']})" for i, m in enumerate(data["modals"])), re.IGNORECASE)
    patterns = {name: compile_fast(value, re.IGNORECASE) for name, value in data["patterns"].items()}
    return Frames(
        modals=modals,
        modal=combined,
        acting_subject=phrase_pattern(data["subjects"]["acting"]),
        event_subject=phrase_pattern(data["subjects"]["events"]),
        titles=tuple(compile_fast(t["pattern"], re.IGNORECASE) for t in data["titles"]),
        **patterns,
    )


@cache
def groups() -> tuple[Group, ...]:
    data = _load("addressees.toml")["groups"]
    return tuple(
        Group(slug, entry["name"], tuple(entry["aliases"]), entry.get("target", False)) for slug, entry in data.items()
    )


@cache
def implicit_addressees() -> tuple[tuple[re.Pattern[str], str], ...]:
    data = _load("addressees.toml")["implicit"]
    return tuple((phrase_pattern(words), slug) for slug, words in data.items())


@cache
def adjective_aliases() -> tuple[frozenset[str], tuple[str, ...]]:
    """(aliases that name their group only where no noun follows, the words that may follow them)."""
    data = _load("addressees.toml")["adjective_aliases"]
    return frozenset(data["aliases"]), tuple(data["function_words"])


@cache
def implicit_when_made() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Policy words: an implicit addressee only where the item also has a word of making (``making()``)."""
    data = _load("addressees.toml")["implicit_when_made"]
    return tuple((phrase_pattern(words), slug) for slug, words in data.items())


@cache
def pledge_third_parties() -> tuple[tuple[re.Pattern[str], str], ...]:
    data = _load("addressees.toml")["pledge_third_party"]
    return tuple((phrase_pattern(words), slug) for slug, words in data.items())


@cache
def making() -> re.Pattern[str]:
    return phrase_pattern(_load("addressees.toml")["implicit_making"]["words"])


@cache
def shared_before() -> re.Pattern[str]:
    """A shared qualifier just before an implicit word ("a common policy"): several countries', not one state's."""
    words = "|".join(map(re.escape, _load("addressees.toml")["implicit_shared"]["words"]))
    return re.compile(rf"\b(?:{words})\s+(?:[\w-]+\s+)?$", re.IGNORECASE)


@cache
def states() -> dict:
    return _load("states.toml")


@cache
def speakers() -> dict:
    return _load("speakers.toml")


# Cheap substring tests that rule most text out before a long alternation runs over it.
_MODAL_HINTS = (
    "must",
    "shall",
    "have to",
    "has to",
    "need",
    "imperative",
    "compulsory",
    "it is ",
    "necessary",
    "is to be",
    "duty",
    "should",
    "ought",
    "recommend",
    "solution",
    "importance",
    "could",
    "can ",
    "would",
    "expected",
)


@cache
def modal_hints() -> tuple[str, ...]:
    return _MODAL_HINTS


@cache
def commitment_hints() -> tuple[str, ...]:
    """The first four letters of every commitment phrase (lower case)."""
    return tuple(sorted({phrase.lower()[:4] for phrase in speech_acts().commitment_strength}))


def has_hint(text: str, start: int, end: int, hints: tuple[str, ...]) -> bool:
    lowered = text[start:end].lower()
    for hint in hints:  # noqa: SIM110 (a loop: the generator of any() costs more than the tests)
        if hint in lowered:
            return True
    return False
