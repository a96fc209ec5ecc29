"""Stage 4 of the extraction: who made an item, who must act, its themes, strength and title.

Every choice comes with its reason (``Attribution.reasons``), which the importer stores on the item
and ``import_corpus --explain`` prints. Pure Python.

- made_by: the publisher for its own document (a strategy's recommendations, a declaration's "We",
  "the Council", a resolution's operative clauses; several signatories for a joint statement); in
  reported speech the speaker and the body they speak for.
- addressed_to: a list's lead-in ("To the governments of the region:"); the subject of a modal or the
  agents after it; the actors a call names after its verb ("calls on Serbia and Kosovo to"); the
  maker itself for a pledge of its own action (with the third party of a pledge of support); national
  governments for laws, strategies and state policies; countries of the region by default for a
  recommendation, or the group a themed section's heading names ("NGO Networks"); target groups (Roma,
  minorities, youth) whenever the item, or the heading of its themed section, is about them.
- themes: the section's theme inside a themed section (a strategy's section 4); elsewhere the themes
  whose descriptors the item's own words match (never a neighbour's), and at least one.
"""

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from . import vocabulary
from .classify import Decision
from .gazetteer import NATO_CHIEF, PARTIES, TARGET_GROUPS, DocumentContext
from .records import SectionRecord
from .segment import SectionIndex
from .units import Unit

DEFAULT_ADDRESSEE = "countries-of-the-region"
FALLBACK_THEME = "conflict-prevention"  # ANNOTATION.md: peace and stability in general
TITLE_MAX = 100
THEME_TEXT_MAX = 2_000  # characters of an item its themes are taken from
TITLE_MIN = 40  # a clause boundary closer to the start than this makes too short a title

_CALL_VERBS_RE = re.compile(
    r"^(?:calls?|called|urg|invit|request|ask|encourag|task|instruct|demand|appeal|recommend)", re.IGNORECASE
)
# "reiterated the necessity for both parties to": a call, though the verb alone is not one.
_CALL_OBJECT_RE = re.compile(r"\s+(?:the\s+)?(?:necessity|need|importance)\s+(?:for|of)\b", re.IGNORECASE)
_RELATIVE_RE = re.compile(r",\s*(?:which|who|whose|where)\b", re.IGNORECASE)
_PRONOUN_BEFORE_RE = re.compile(r"\b(?:he|she|they|we)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
_WE_RE = re.compile(r"\bwe\b", re.IGNORECASE)
_WE_SUBJECT_RE = re.compile(r"\bwe\s+(?:\w+\s+)?$", re.IGNORECASE)  # "we must", "we really must"
_SUBJECT_GAP_RE = re.compile(r"^[^,;:]{0,40}$")
_RELATIVE_GAP_RE = re.compile(r"\b(?:that|which|who|where|of|for|with|to|in)\b", re.IGNORECASE)
# Who does what the modal asks: "promoted by", "the duty of", "a priority for" (the task of, a responsibility for).
_AGENT_BEFORE_RE = re.compile(
    r"\b(?:by|from|(?:concern|duty|role|task|responsibility) of|(?:priority|task|responsibility) for)"
    r"\s+(?:all\s+|the\s+)*$",
    re.IGNORECASE,
)
# The words between two agents joined as one ("X and Y", "X, but also of Y", "X in this area and the Y").
_COORDINATED_AGENT_RE = re.compile(
    r"(?:\s+(?:in|of)\s+(?:this|the)\s+\w+)?\s*,?\s*(?:and|or|as well as|but also|and also)\s+(?:of\s+)?(?:the\s+)?$",
    re.IGNORECASE,
)
# The negotiation itself as what an item asks for or supports ("calling for negotiations to continue").
# Accession talks are between a candidate and the EU: not a dialogue of two sides.
_PROCESS_RE = re.compile(r"(?<!accession )(?<!membership )\b(?:talks|negotiations|dialogue)\b", re.IGNORECASE)
_PROPER_NOUN_AFTER_RE = re.compile(r" (?!(?:Commission|Summit|Council|Secretary|Chief)\b)[A-Z][a-z]")
_REPORTING_RE = re.compile(
    r"^\s*(?:\w+\s+)?(?:reiterates|emphasi[sz]es|believes|underlines|stresses|considers"
    r"|says|said|told|states|stated|notes|insists)\b"
)
_LEADIN_ADDRESSEE_RE = re.compile(r"^\s*(?:to|for)\s+", re.IGNORECASE)
_PUNCTUATION_BOUNDARY_RE = re.compile(r"[,;:–—]\s+|\s+\(")
_WORD_BOUNDARY_RE = re.compile(r"\s+(?=(?:which|that|including|so that|in order to|while|where|as well as|and to)\s)")
_NORMALISE_RE = re.compile(r"\s+")
_TITLE_NUMBER_RE = re.compile(r"^\d{1,3}[.)]\s+")


@dataclass(slots=True)
class Attribution:
    made_by: tuple[str, ...]
    addressed_to: tuple[str, ...]
    themes: tuple[str, ...]
    strength: str
    title: str
    reasons: dict = field(default_factory=dict)


@dataclass
class SpeakerState:
    """What a sentence needs from the sentences before it: the last person quoted."""

    last_speaker: str | None = None


# --- themes -----------------------------------------------------------------------------------


def _descriptor_pattern(words) -> re.Pattern[str] | None:
    parts = [re.escape(w.strip()).replace(r"\*", r"[\w-]*").replace(r"\ ", r"\s+") for w in words if w.strip()]
    if not parts:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(sorted(parts, key=len, reverse=True)) + r")(?![\w-])", re.IGNORECASE)


_WORDS_RE = re.compile(r"[\w'’-]+")
_FALLBACK_WORD_RE = re.compile(r"[a-z]{5,}")
# Function words of the themes' names and descriptions ("between and within the countries", "against
# smuggling", "alone and through regional co-operation"), and "region(al)", which every theme of a regional
# taxonomy is: sharing one of them with a description says nothing of the theme.
_FALLBACK_STOPWORDS = frozenset(
    {"across", "against", "alone", "between", "including", "inside", "through", "under", "within", "region", "regional"}
)


_NO_MATCH = ((), 0)


class _PhraseIndex:
    """Descriptors looked up word by word (dictionary lookups, linear in the clause): exact phrases, phrases
    whose last word is a stem ("migra*"), and, for the rare descriptor with "*" elsewhere, a regex.

    What a single word matches, and whether a longer phrase can start at it, is worked out once per
    distinct word (documents repeat their words), so a clause costs about one dictionary lookup per word.
    """

    WORD_CACHE_MAX = 200_000

    def __init__(self):
        self.exact: dict[str, list[int]] = {}
        self.stems: dict[tuple[str, str], list[int]] = {}  # (words before, stem of the last word)
        self.stem_lengths: set[int] = set()
        self.longest = 1
        self.regexes: list[tuple[re.Pattern[str], int, str]] = []  # (pattern, owner, literal it needs)
        self._firsts: dict[str, int] | None = None  # first word of a longer phrase -> its most words
        self._initials: frozenset[str] = frozenset()  # the first letters of every descriptor
        self._stem_lengths: dict[str, set[int]] = {}
        self._words: dict[str, tuple[tuple[int, ...], int]] = {}

    def add(self, descriptor: str, owner: int) -> None:
        words = descriptor.lower().split()
        if not words:
            return
        self.longest = max(self.longest, len(words))
        self._firsts, self._words = None, {}
        if "*" not in descriptor:
            self.exact.setdefault(" ".join(words), []).append(owner)
        elif descriptor.count("*") == 1 and words[-1].endswith("*") and len(words[-1]) > 1:
            stem = words[-1][:-1]
            self.stems.setdefault((" ".join(words[:-1]), stem), []).append(owner)
            self.stem_lengths.add(len(stem))
        else:
            head = descriptor.lower().split("*", 1)[0].split()
            literal = head[-1] if head else ""  # a substring the clause must contain for the regex to match
            self.regexes.append((_descriptor_pattern([descriptor]), owner, literal))

    def _prepare(self) -> None:
        self._firsts = {}
        for phrase in self.exact:
            words = phrase.split()
            if len(words) > 1:
                self._firsts[words[0]] = max(self._firsts.get(words[0], 0), len(words))
        self._stem_lengths = {}
        for before, stem in self.stems:
            self._stem_lengths.setdefault(before, set()).add(len(stem))
            if before:
                first = before.split()[0]
                self._firsts[first] = max(self._firsts.get(first, 0), len(before.split()) + 1)
        self._initials = frozenset(key[0] for key in (*self.exact, *self._firsts, *(s for _, s in self.stems)))

    def _word(self, word: str) -> tuple[tuple[int, ...], int]:
        """(owners the word alone matches, the most words of a longer phrase starting with it)."""
        if word[0] not in self._initials:
            return _NO_MATCH  # no descriptor starts with its letter ("2026", a number of a list): nothing to keep
        owners = list(self.exact.get(word, ()))
        for length in self._stem_lengths.get("", ()):
            if length <= len(word):
                owners.extend(self.stems.get(("", word[:length]), ()))
        entry = (tuple(owners), self._firsts.get(word, 0))
        entry = _NO_MATCH if entry == _NO_MATCH else entry
        if len(self._words) < self.WORD_CACHE_MAX:
            self._words[word] = entry
        return entry

    def _phrase(self, words: list[str]) -> list[int]:
        before, last = " ".join(words[:-1]), words[-1]
        owners = list(self.exact.get(f"{before} {last}", ()))
        for length in self._stem_lengths.get(before, ()):
            if length <= len(last):
                owners.extend(self.stems.get((before, last[:length]), ()))
        return owners

    def find(self, clause: str, words: list[str]) -> dict[int, str]:
        """owner -> the first descriptor text that matched (the one ending first, the shorter first)."""
        if self._firsts is None:
            self._prepare()
        get, count = self._words.get, len(words)
        hits: list[tuple[int, int, int, str]] = []  # (last word's index, words, owner, phrase)
        for index, word in enumerate(words):
            entry = get(word)
            if entry is None:
                entry = self._word(word)
            if entry is _NO_MATCH:
                continue
            for owner in entry[0]:
                hits.append((index, 1, owner, word))
            for size in range(2, min(entry[1], count - index) + 1):
                phrase_words = words[index : index + size]
                for owner in self._phrase(phrase_words):
                    hits.append((index + size - 1, size, owner, " ".join(phrase_words)))
        found: dict[int, str] = {}
        for _, _, owner, phrase in sorted(hits, key=lambda hit: hit[:2]):
            found.setdefault(owner, phrase)
        if not found and not self.regexes:
            return found  # most clauses: no descriptor, nothing to filter
        if self.regexes:
            lowered = clause.lower()
            for pattern, owner, literal in self.regexes:
                if owner not in found and literal in lowered and (hit := pattern.search(clause)):
                    found[owner] = hit.group(0)
        # "border police" is not also "police": a descriptor inside a longer one that matched does not count.
        phrases = {phrase for phrase in found.values() if " " in phrase}
        return {
            owner: phrase
            for owner, phrase in found.items()
            if not any(phrase != longer and f" {phrase} " in f" {longer} " for longer in phrases)
        }


class ThemeMatcher:
    """Themes from the descriptors stored on each theme (any objects with slug, code, parent and
    descriptors; the default taxonomy or the Theme rows of the database)."""

    FALLBACK_CACHE_MAX = 50_000  # distinct sets of theme words remembered per document

    def __init__(self, themes):
        self.by_code = {theme.code: theme.slug for theme in themes if theme.code}
        self.parent = {theme.slug: theme.parent for theme in themes}
        self.slugs = [theme.slug for theme in themes]
        self.descriptors = _PhraseIndex()
        self.contexts = _PhraseIndex()
        self.needs_context: set[int] = set()
        self.words: dict[str, set[str]] = {}
        for position, theme in enumerate(themes):
            for descriptor in theme.descriptors:
                if descriptor.startswith("+"):
                    self.contexts.add(descriptor[1:], position)
                    self.needs_context.add(position)
                else:
                    self.descriptors.add(descriptor, position)
            words = set(_FALLBACK_WORD_RE.findall(f"{theme.name} {theme.description}".lower()))
            self.words[theme.slug] = words - _FALLBACK_STOPWORDS
        self.word_themes: dict[str, list[str]] = {}
        for slug, theme_words in self.words.items():
            for word in theme_words:
                self.word_themes.setdefault(word, []).append(slug)
        self.theme_words = frozenset(self.word_themes)  # a set: "set & dict.keys()" copies the keys each time
        self._fallbacks: dict[frozenset[str], tuple[str, str]] = {}

    def section_theme(self, section: SectionRecord | None, sections) -> str | None:
        """``sections``: a ``SectionIndex`` (or the document's sections, indexed here)."""
        index = sections if isinstance(sections, SectionIndex) else SectionIndex(sections)
        current = section
        while current is not None:
            if current.number in self.by_code:
                return self.by_code[current.number]
            current = index.parent(current) if current.parent_number else None
        return None

    def match(self, clause: str) -> dict[str, str]:
        """theme slug -> the descriptor that matched, in taxonomy order."""
        words = _WORDS_RE.findall(clause.lower())
        hits = self.descriptors.find(clause, words)
        if not hits:
            return {}
        context = self.contexts.find(clause, words) if self.needs_context & set(hits) else {}
        found = {
            self.slugs[owner]: text
            for owner, text in sorted(hits.items())
            if owner not in self.needs_context or owner in context
        }
        # A theme whose sub-theme matched too is implied by it: keep the specific one.
        for slug in list(found):
            parent = self.parent.get(slug)
            while parent:
                found.pop(parent, None)
                parent = self.parent.get(parent)
        return found

    def fallback(self, clause: str) -> tuple[str, str]:
        """The theme whose name and description share most words with the clause; else the broadest."""
        # Only the words of some theme count (the reason names words of the best theme's description):
        # the same of them in another clause give the same answer, worked out once.
        words = frozenset(_FALLBACK_WORD_RE.findall(clause.lower())) & self.theme_words
        known = self._fallbacks.get(words)
        if known is None:
            known = self._fallback(words)
            if len(self._fallbacks) < self.FALLBACK_CACHE_MAX:
                self._fallbacks[words] = known
        return known

    def _fallback(self, words: frozenset[str]) -> tuple[str, str]:
        counts: dict[str, int] = {}
        for word in words:  # an inverted index: no pass over every theme
            for slug in self.word_themes[word]:
                counts[slug] = counts.get(slug, 0) + 1
        if counts:
            most = max(counts.values())
            best = next(slug for slug in self.words if counts.get(slug) == most)  # the first in taxonomy order
            return best, f"fallback: shares {sorted(self.words[best] & words)[:3]} with its description"
        return FALLBACK_THEME, "fallback: no descriptor matched"


# --- actors -----------------------------------------------------------------------------------


_QUOTE_RE = re.compile(r"[“”\"]")
_NO_QUOTES = ((), ())


@lru_cache(maxsize=64)
def _quote_ranges(text: str, start: int, end: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Quoted stretches of a paragraph (curly pairs, and straight quotes toggling), as sorted starts/ends."""
    piece = text[start:end]
    if '"' not in piece and "“" not in piece and "”" not in piece:
        return _NO_QUOTES  # most paragraphs: three substring tests instead of a scan with a match per quote
    starts, ends, opened = [], [], None
    for match in _QUOTE_RE.finditer(piece):
        index, char = start + match.start(), match.group(0)
        if char == "“" or (char == '"' and opened is None):
            opened = index
        elif opened is not None:
            starts.append(opened)
            ends.append(index + 1)
            opened = None
    if opened is not None:
        starts.append(opened)
        ends.append(end)
    return tuple(starts), tuple(ends)


def _last_relative(text: str, start: int, end: int) -> int | None:
    """Where the last relative clause (", which ...", ", who ...") before ``end`` begins, if no comma follows it."""
    found = None
    for match in _RELATIVE_RE.finditer(text, start, end):
        found = match.start()
    if found is None or "," in text[found + 1 : end]:
        return None
    return found


def _inside(position: int, quotes) -> bool:
    starts, ends = quotes
    index = bisect_left(starts, position) - 1  # ranges do not overlap: only the last one starting before counts
    return index >= 0 and starts[index] < position < ends[index]


class Attributor:
    def __init__(self, text: str, context: DocumentContext, publisher: tuple[str, ...], document_kind: str, themes):
        self.text = text
        self.context = context
        self.publisher = publisher
        self.document_kind = document_kind
        self.theme_matcher = ThemeMatcher(themes)
        self.state = SpeakerState()
        self._sections: SectionIndex | None = None
        self._heading_groups: dict[int, tuple[str, ...]] = {}  # section start -> groups its heading names
        self._section_themes: tuple = (None, {})  # (the index, section id -> its theme or None)
        self._resolved: dict[str, tuple[str, ...] | None] = {}  # slug -> its actors, or None (not all known)
        self._resolved_with = -1  # how many new actors the context had when those were worked out
        # The resolved mentions of the spans asked lately (a unit's speaker and addressees, a list's lead-in
        # for each of its bullets), and the state of the context they were resolved in.
        self._spans: dict[tuple[int, int], tuple] = {}
        self._spans_with: tuple = ()
        self._people: tuple[list, list] | None = None  # the people's mentions and their starts
        self._people_with = -1

    def _kind(self, slug: str) -> str:
        actor = self.context.actor(slug)
        return actor.kind if actor else ""

    SPAN_CACHE_MAX = 256

    def _mentions(self, start: int, end: int) -> tuple:
        """(actors, start, end) of the mentions in ``[start, end)`` whose actors are all known."""
        known = self._spans.get((start, end))
        state = (len(self.context.new_actors), self.context.nato_chief, self.context.parties)
        if known is not None and state == self._spans_with:
            return known
        if state != self._spans_with or len(self._spans) >= self.SPAN_CACHE_MAX:
            self._spans.clear()
            self._spans_with = state
        result = []
        for slug, s, e in self.context.between(start, end):
            resolved = self._resolve(slug)
            if resolved:
                result.append((resolved, s, e))
        known = self._spans[(start, end)] = tuple(result)
        return known

    def _resolve(self, slug: str) -> tuple[str, ...] | None:
        """The slug's actors when all are known (once per slug: the same actors are mentioned again and
        again; the two placeholders, which follow the document's state, each time)."""
        if slug in (NATO_CHIEF, PARTIES):
            resolved = self.context.resolve(slug)
            return resolved if resolved and all(self.context.actor(r) for r in resolved) else None
        if self._resolved_with != len(self.context.new_actors):  # an actor added: known ones may change
            self._resolved.clear()
            self._resolved_with = len(self.context.new_actors)
        if slug not in self._resolved:
            resolved = self.context.resolve(slug)
            self._resolved[slug] = resolved if resolved and all(self.context.actor(r) for r in resolved) else None
        return self._resolved[slug]

    def remember_speakers(self, start: int, end: int) -> None:
        """The last person mentioned in ``[start, end)`` becomes the last speaker."""
        # Looked up among the people's mentions only (a document of 100,000 items mentions other actors in
        # each, and people in a few): the same last person as a pass over all the span's mentions.
        if self._people is None or self._people_with != len(self.context.new_actors):
            people = [hit for hit in self.context.mentions if self._kind(hit[0]) == "person"]
            self._people = (people, [hit[1] for hit in people])
            self._people_with = len(self.context.new_actors)
        people, starts = self._people
        index = bisect_left(starts, end) - 1
        while index >= 0 and starts[index] >= start:
            if people[index][2] <= end:
                self.state.last_speaker = people[index][0]
                return
            index -= 1

    # made_by ------------------------------------------------------------------------------------

    def made_by(self, unit: Unit, decision: Decision) -> tuple[tuple[str, ...], str]:
        if self.document_kind in ("strategy", "report"):
            return self.publisher, "the publisher: a strategy or report speaks for it"
        if decision.rule == "operative-clause":
            return self.publisher, "the issuing body: operative clause"
        quotes = _quote_ranges(self.text, unit.block_start, unit.block_end)
        speaker = self._speaker(unit, decision, quotes)
        if speaker:
            return speaker, "the speaker of the clause"
        if self.document_kind in ("statement", "communique"):
            return self.publisher, "the publisher: its statement speaks for it"
        return (), "no named speaker: the article's own proposal"

    def _speaker(self, unit: Unit, decision: Decision, quotes) -> tuple[str, ...]:
        text, start, end, trigger_at = self.text, unit.start, unit.end, decision.trigger_start
        mentions = list(self._mentions(unit.block_start if unit.cut == "coordinated-action" else start, end))
        outside = [m for m in mentions if not _inside(m[1], quotes)] if quotes[0] else mentions  # no quotes: all
        persons = [m for m in outside if m[2] <= trigger_at and self._kind(m[0][0]) == "person" and m[1] >= start]
        if _inside(trigger_at, quotes):
            speakers = [m for m in outside if self._kind(m[0][0]) == "person" and m[1] >= start]
            if speakers:
                return self.context.with_parents(speakers[0][0])
            return self.context.with_parents((self.state.last_speaker,)) if self.state.last_speaker else ()
        before = [m for m in outside if m[2] <= trigger_at and m[1] >= start]
        makers: list[str] = []
        if before:
            nearest = before[-1]
            gap = text[nearest[2] : trigger_at]
            if decision.commitment and _SUBJECT_GAP_RE.match(gap) and not _RELATIVE_GAP_RE.search(gap):
                makers.extend(nearest[0])
                # Coordinated subjects: "the European Union and the United States have reiterated".
                for earlier, later in zip(reversed(before[:-1]), reversed(before[1:]), strict=False):
                    joint = text[earlier[2] : later[1]].strip().lower()
                    if joint in ("and", "and the", "as well as", "as well as the", ","):
                        makers.extend(earlier[0])
                    else:
                        break
        # "he said", "she added": the last person quoted; "we" only inside a quotation (else the publisher).
        # The cheap tests first: the searches only when there is a last speaker to give (same answer).
        if (
            not makers
            and self.state.last_speaker
            and _PRONOUN_BEFORE_RE.search(text[start:trigger_at])
            and not (_WE_RE.search(text[start:trigger_at]) and not _inside(start, quotes))
        ):
            makers.append(self.state.last_speaker)
        if (
            not makers
            and before
            and before[0][1] - start <= 4
            and (decision.commitment or _REPORTING_RE.match(text[before[0][2] : end]))
        ):
            makers.extend(before[0][0])  # the sentence's own subject: "The International sends ... and expresses"
        if not makers:
            return ()
        makers = [slug for slug in makers if self._kind(slug) not in ("group", "")]
        for person in persons:
            makers.insert(0, person[0][0])
        return self.context.with_parents(makers)

    # addressed_to -------------------------------------------------------------------------------

    def addressed_to(self, unit: Unit, decision: Decision, made_by: tuple[str, ...]) -> dict[str, str]:
        text, start, end = self.text, unit.start, unit.end
        chosen: dict[str, str] = {}
        excluded = set(made_by)

        def add(slugs, reason: str, allow_maker: bool = False) -> None:
            for slug in slugs:
                actor = self.context.actor(slug)
                if actor is None or slug in chosen or (slug in excluded and not allow_maker):
                    continue
                if actor.kind == "person":
                    if actor.parent and actor.parent not in excluded:
                        add((actor.parent,), reason)
                    elif not actor.parent and allow_maker and slug in excluded:
                        chosen[slug] = reason  # a maker who speaks for no known body acts in person
                    continue
                chosen[slug] = reason
                parent = self.context.actor(actor.parent) if actor.parent else None
                if parent is not None and parent.kind == "group":
                    add((parent.slug,), f"{reason}: {actor.name} is one of the {parent.name.lower()}")

        mentions = self._mentions(start, end)
        quotes = _quote_ranges(text, unit.block_start, unit.block_end)
        if unit.lead_in is not None and _LEADIN_ADDRESSEE_RE.match(unit.lead_in.text):
            for slugs, _, _ in self._mentions(unit.lead_in.start, unit.lead_in.end):
                add(slugs, "named in the list's lead-in")
        if decision.commitment and not chosen:
            verb = text[decision.trigger_start : decision.trigger_end]
            # A relative clause after the verb describes ("agreements, which include ... municipalities"): its
            # actors are not addressed.
            relative = _RELATIVE_RE.search(text, decision.trigger_end, end)
            stop = relative.start() if relative else end
            for slugs, s, _ in mentions:
                if decision.trigger_end <= s < stop or (_inside(s, quotes) and _inside(decision.trigger_start, quotes)):
                    add(slugs, f"named after {verb!r}")
            # A pledge of the maker's own action is addressed to the maker; a pledge of support or commitment
            # to a third party lists both; a call ("urges", "reiterated the necessity for X") only its addressees.
            call = _CALL_VERBS_RE.match(verb) or _CALL_OBJECT_RE.match(text, decision.trigger_end)
            if not call:
                owner = [slug for slug in made_by if self._kind(slug) != "person"] or list(made_by)
                add(owner, "the maker's own pledge", allow_maker=True)
                for pattern, slug in vocabulary.pledge_third_parties():
                    if hit := pattern.search(text, decision.trigger_end, end):
                        add((slug,), f"the third party of the pledge, {hit.group(0)!r}")
        elif not chosen:
            self._recommendation_addressees(unit, decision, mentions, add)
            if (
                not chosen
                and _WE_SUBJECT_RE.search(text, start, decision.trigger_start)
                and _inside(decision.trigger_start, quotes)
            ):
                # A quoted "We must ...": the speaker's own body is to act, as in a pledge of its own action.
                owner = [slug for slug in made_by if self._kind(slug) != "person"] or list(made_by)
                add(owner, "'we' in its speaker's quotation", allow_maker=True)
        parties = self.context.parties
        # Only asked when the document has parties: the search is for nothing otherwise.
        about_talks = parties and vocabulary.search_caseless(_PROCESS_RE, text, max(start, decision.trigger_end), end)
        if parties and about_talks and not set(parties) & set(chosen):
            # A call for, or a pledge about, the talks: their two sides act in them (ANNOTATION.md: "both
            # parties" in the dialogue -> the two states), as when the item names them.
            add(parties, "the sides of the negotiation it is about")
        # Target groups come on top of who must act, they never replace it (nor does one named as the subject).
        named = bool(set(chosen) - TARGET_GROUPS)
        for slugs, _, _ in mentions:
            add([slug for slug in slugs if slug in TARGET_GROUPS], "a target group the item is about")
        if not named and (implicit := self._implicit_addressee(start, end)):
            add((implicit[0],), f"implicit addressee of {implicit[1]!r}")
        # A themed section about a group ("NGO Networks", "The Issue of Minorities"): with no subject named,
        # the group it names acts (ANNOTATION.md: the default only when no better addressee follows); a
        # target group it names is what its items are about.
        heading = self._groups_in_heading(unit.section)
        if not (set(chosen) - TARGET_GROUPS):
            add([slug for slug in heading if slug not in TARGET_GROUPS], "named in the heading of its section")
        add([slug for slug in heading if slug in TARGET_GROUPS], "a target group its section is about")
        if not (set(chosen) - TARGET_GROUPS) and (decision.kind == "recommendation" or decision.commitment):
            add((DEFAULT_ADDRESSEE,), "default: no addressee named", allow_maker=True)
        return chosen

    def _implicit_addressee(self, start: int, end: int) -> tuple[str, str] | None:
        """(slug, word) for an item about a law, a national strategy or a state policy made (ANNOTATION.md:
        national governments); a common or regional one ("a coordinated strategy") is not one state's."""
        text, clause = self.text, self.text[start:end]
        made = None  # whether the item has a word of making, asked only for policy words
        candidates = [(p, s, False) for p, s in vocabulary.implicit_addressees()]
        candidates += [(p, s, True) for p, s in vocabulary.implicit_when_made()]
        for pattern, slug, needs_making in candidates:
            if not vocabulary.may_match(pattern, clause):
                continue
            if needs_making:
                made = made if made is not None else bool(vocabulary.making().search(text, start, end))
                if not made:
                    continue
            for hit in pattern.finditer(text, start, end):
                if not vocabulary.shared_before().search(text, max(start, hit.start() - 40), hit.start()):
                    return slug, hit.group(0)
        return None

    def _recommendation_addressees(self, unit: Unit, decision: Decision, mentions, add) -> None:
        text, start, trigger_at = self.text, unit.start, decision.trigger_start
        # The subject just before the modal (after the last comma, and not a modifier as in "UN Millennium
        # Development Goals"), or agents after it ("promoted by national governments").
        subject_from = max(
            start,
            text.rfind(",", start, trigger_at),
            text.rfind(";", start, trigger_at),
            text.rfind("(", start, trigger_at),
            text.rfind(")", start, trigger_at),
        )
        subject_to = trigger_at
        # "The media, which must be seen as partners, should give": the subject stands before its relative clause.
        if not text[subject_from:trigger_at].strip(" ,") and (
            relative := _last_relative(text, max(start, subject_from - 200), subject_from)
        ):
            subject_to = relative
            subject_from = max(start, *(text.rfind(mark, start, relative) for mark in ",;()"))
        agent_end = None  # where the last agent after the modal ended: agents joined to it are agents too
        for slugs, s, e in mentions:
            modifier = _PROPER_NOUN_AFTER_RE.match(text, e)
            if subject_from <= s < subject_to and not modifier:
                # The maker as the subject ("Rutte told reporters that NATO must"): its own action, for it to do.
                add(slugs, "the subject of the modal", allow_maker=True)
            elif s >= trigger_at and _AGENT_BEFORE_RE.search(text[max(start, s - 30) : s]):
                add(slugs, "the agent after the modal")
                agent_end = e
            elif agent_end is not None and _COORDINATED_AGENT_RE.match(text[agent_end:s]):
                # "the concern of all SEE governments, but also of European Union", "by governments in
                # this area and the international community"
                add(slugs, "coordinated with the agent after the modal")
                agent_end = e
            else:
                agent_end = None
        following = [m for m in mentions if text[max(start, m[1] - 5) : m[1]].strip().lower().endswith("that")]
        for slugs, _, _ in following:
            add(slugs, "the subject after 'that'")

    def _groups_in_heading(self, section: SectionRecord | None) -> tuple[str, ...]:
        """The groups the heading line of a themed section (a strategy's section 4) names; once per section."""
        if section is None or self._sections is None:
            return ()
        if section.start not in self._heading_groups:
            groups: list[str] = []
            if self.theme_matcher.section_theme(section, self._sections):
                line_end = self.text.find("\n", section.start, section.end)
                for slugs, _, _ in self._mentions(section.start, section.end if line_end == -1 else line_end):
                    groups.extend(slug for slug in slugs if self._kind(slug) == "group")
            self._heading_groups[section.start] = tuple(groups)
        return self._heading_groups[section.start]

    # themes -------------------------------------------------------------------------------------

    def _index(self, sections) -> SectionIndex:
        """``sections``: the document's ``SectionIndex``, or its sections (indexed here, once per document)."""
        index = sections if isinstance(sections, SectionIndex) else None
        if index is None:
            if self._sections is not None and self._sections.sections is sections:
                return self._sections
            index = SectionIndex(sections)
        if index is not self._sections:
            self._sections = index
            self._heading_groups = {}
        return index

    def themes(self, unit: Unit, sections) -> dict[str, str]:
        index = self._index(sections)
        if self._section_themes[0] is not index:
            self._section_themes = (index, {})
        # A section's theme looked up once, not for each of its items (by id, the section kept with it: hashing a
        # record hashes its five fields).
        known = self._section_themes[1].get(id(unit.section))
        if known is None or known[0] is not unit.section:
            known = (unit.section, self.theme_matcher.section_theme(unit.section, index))
            self._section_themes[1][id(unit.section)] = known
        section_theme = known[1]
        if section_theme:
            return {section_theme: f"the theme of section {unit.section.number}"}
        # An item is a sentence or a clause; a "sentence" of megabytes (no full stops) is themed by its start.
        clause = self.text[unit.start : min(unit.end, unit.start + THEME_TEXT_MAX)]
        found = {slug: f"descriptor {word!r}" for slug, word in self.theme_matcher.match(clause).items()}
        if not found:
            slug, reason = self.theme_matcher.fallback(clause)
            found[slug] = reason
        return found

    def attribute(self, unit: Unit, decision: Decision, sections) -> Attribution:
        made_by, maker_reason = self.made_by(unit, decision)
        self._index(sections)
        addressed = self.addressed_to(unit, decision, made_by)
        themes = self.themes(unit, sections)
        return Attribution(
            made_by=made_by,
            addressed_to=tuple(addressed),
            themes=tuple(themes),
            strength=decision.strength,
            title=make_title(self.text[unit.start : unit.end]),
            reasons={
                "made_by": dict.fromkeys(made_by, maker_reason),
                "addressed_to": addressed,
                "themes": themes,
            },
        )


# --- titles -----------------------------------------------------------------------------------


def make_title(sentence: str, limit: int = TITLE_MAX) -> str:
    """A title that names the action: discourse fillers and frames ("It is essential to", "The Council
    calls on X to") stripped, then cut at a clause boundary (or a word boundary, marked "…") within
    ``limit`` characters."""
    frames = vocabulary.frames()
    start = sentence[: limit * 10]  # the start is enough
    # As extract._normalise: a printable text without double spaces has nothing to normalise.
    title = start if start.isprintable() and "  " not in start else _NORMALISE_RE.sub(" ", start)
    title = title.strip().strip("“”\"'")
    title = _TITLE_NUMBER_RE.sub("", title)
    # The filler pattern is anchored at the start: its one possible match is there (sub() tried every position).
    filler = frames.leading_filler.match(title)
    if filler:
        title = title[filler.end() :]
    if ":" in title[:60] and len(title) > limit:
        head = title.split(":", 1)[0]
        if len(head.split()) <= 4 and not re.search(r"\b(?:to|that)$", head):
            title = head  # "Diplomatic Engagement: Facilitating ..." -> its label
    for _ in range(2):
        for pattern in frames.titles:
            # A frame that can start with any letter ("the ... council calls on") tries its words at once: the
            # test for the words it needs is cheaper, and refuses only where it cannot match.
            if not pattern.pattern.startswith("(?=[") and not vocabulary.may_match(pattern, title):
                continue
            match = pattern.match(title)
            if match and len(title) - match.end() >= 12:
                who = match.groupdict().get("who")
                rest = title[match.end() :]
                title = f"{who[:1].upper()}{who[1:]}: {rest}" if who else rest
                break
        else:
            break  # no frame matched: a second pass over the same title would find none either
    title = title.rstrip(" .;,:")
    if len(title) > limit:
        cuts = [m.start() for m in _PUNCTUATION_BOUNDARY_RE.finditer(title, 0, limit + 1) if m.start() >= TITLE_MIN]
        cuts = cuts or [m.start() for m in _WORD_BOUNDARY_RE.finditer(title, 0, limit + 1) if m.start() >= TITLE_MIN]
        if cuts:
            title = title[: cuts[-1]].rstrip(" ,;:-–—")
        else:
            cut = title[:limit].rsplit(" ", 1)[0].rstrip(" ,;:-–—")
            title = cut + "…"
    title = title[:1].upper() + title[1:]
    return title or sentence.strip()[:limit] or "Untitled item"
