"""The actors the extraction can name, and a matcher that finds them (with their aliases) in text.

States take their canonical names and ISO 3166-1 codes from pycountry; Kosovo is not in ISO 3166
and uses the user-assigned code "XK". Aliases written all in lower case match case-insensitively
("the alliance", "countries in the region"); any other alias matches case-sensitively, so "Rice"
the Secretary of State is found but "rice" the crop is not.

Two aliases are resolved per document rather than fixed: "NATO Chief"/"NATO Secretary General"
stand for the Secretary General the document names (plus NATO), and "both parties"/"both sides"
for the two states the document pairs most often ("between Kosovo and Serbia"); so does "both governments".
"""

import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from functools import lru_cache

import pycountry
from rapidfuzz import fuzz
from rapidfuzz.distance import DamerauLevenshtein

from . import vocabulary
from .records import ActorSpec

NATO_CHIEF = "@nato-chief"
PARTIES = "@parties"
# Slugs the tracker already uses for states whose short name slugifies differently.
_STATE_SLUGS = {"US": "usa"}


_UNDECOMPOSED = str.maketrans(
    {"Đ": "D", "đ": "d", "Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "ß": "ss", "Æ": "Ae", "æ": "ae"}
)


def slugify(value: str) -> str:
    """ASCII slug of a name ("Marta Kovač" -> "marta-kovac"), as the tracker's slugs are written."""
    # Letters NFKD does not decompose would be dropped ("Đurić" -> "uric"): their usual Latin spelling first.
    value = value.translate(_UNDECOMPOSED)
    ascii_value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_value.lower()).strip("-")[:100]


def _states() -> tuple[ActorSpec, ...]:
    """Every ISO 3166-1 entry (pycountry), named as texts name them, plus Kosovo ("XK", not in ISO 3166)."""
    data = vocabulary.states()
    specs = []
    entries = [(country.alpha_2, country) for country in pycountry.countries] + [("XK", None)]
    for code, country in entries:
        if country is None:
            canonical, formal = "Kosovo", ()
        else:
            canonical = data["short_names"].get(code) or getattr(country, "common_name", None) or country.name
            formal = tuple(sorted({country.name, getattr(country, "official_name", "") or country.name} - {canonical}))
        aliases = (canonical, *formal, *data["aliases"].get(code, ()))
        slug = _STATE_SLUGS.get(code) or slugify(canonical)
        specs.append(ActorSpec(slug, canonical, "state", code, tuple(dict.fromkeys(aliases))))
    return tuple(specs)


STATES = _states()
_STATE_BY_CODE = {spec.iso_code: spec.slug for spec in STATES}
# Capital -> state slug. A capital stands for its government only where it acts (see DocumentContext).
CAPITALS: dict[str, str] = {
    name: _STATE_BY_CODE[code]
    for code, capital in vocabulary.states()["capitals"].items()
    for name in (capital, *vocabulary.states().get("capital_aliases", {}).get(code, ()))
}


def _demonyms() -> dict[str, str]:
    """Adjective -> state slug: the regular forms of one-word names (Serbia -> Serbian, Hungary -> Hungarian,
    Ukraine -> Ukrainian) and the irregular ones in states.toml (Greek, Montenegrin, Kosovar)."""
    result: dict[str, str] = {}
    for spec in STATES:
        for name in spec.aliases:
            if not name.isalpha() or not name[:1].isupper() or name.isupper():
                continue
            if name.endswith("a"):
                result.setdefault(name + "n", spec.slug)
            elif name.endswith(("y", "e")):
                result.setdefault(name[:-1] + "ian", spec.slug)
    for code, words in vocabulary.states().get("demonyms", {}).items():
        for word in words:
            result[word] = _STATE_BY_CODE[code]
    return result


DEMONYMS = _demonyms()
_CAPITALISED_WORD_RE = re.compile(r"\b[A-Z][a-z]+\b")

ACTORS: tuple[ActorSpec, ...] = (
    *STATES,
    # International organisations and their bodies.
    ActorSpec(
        "nato",
        "NATO",
        "international_organisation",
        aliases=(
            "NATO",
            "North Atlantic Treaty Organization",
            "the alliance",
            "the atlantic alliance",
        ),
    ),
    ActorSpec(
        "kfor",
        "Kosovo Force (KFOR)",
        "international_organisation",
        aliases=("KFOR", "Kosovo Force"),
        parent="nato",
    ),
    ActorSpec(
        "eu",
        "European Union",
        "international_organisation",
        aliases=(
            "EU",
            "European Union",
            "the Union",
            "the bloc",
        ),
    ),
    ActorSpec(
        "european-commission",
        "European Commission",
        "international_organisation",
        # "The Council invites the Commission to" (ANNOTATION.md's conclusions): the EU's; not "the Commission
        # for ..." or "the Commission on ...", named in full.
        aliases=("European Commission", "EU Commission", "the Commission"),
        parent="eu",
    ),
    ActorSpec("un", "United Nations", "international_organisation", aliases=("UN", "U.N.", "United Nations")),
    ActorSpec(
        "un-security-council",
        "UN Security Council",
        "international_organisation",
        aliases=("UN Security Council", "U.N. Security Council", "Security Council"),
        parent="un",
    ),
    ActorSpec(
        "osce",
        "Organization for Security and Co-operation in Europe",
        "international_organisation",
        aliases=("OSCE",),
    ),
    ActorSpec(
        "icty",
        "International Criminal Tribunal for the former Yugoslavia",
        "international_organisation",
        aliases=("ICTY",),
        parent="un",
    ),
    # Outside ANNOTATION.md's named bodies: addressed as the group it belongs to as well (its parent).
    ActorSpec(
        "bsec",
        "Organization of the Black Sea Economic Cooperation",
        "international_organisation",
        aliases=("BSEC", "Black Sea Economic Cooperation", "Organization of the Black Sea Economic Cooperation"),
        parent="international-organisations",
    ),
    ActorSpec(
        "seci-center",
        "SECI Regional Center for Combating Transborder Crime",
        "regional_initiative",
        aliases=(
            "SECI Center",
            "Regional Center for Combating Transborder Organized Crime",
            "Regional Center for Combating Transborder Crime",
        ),
    ),
    # Civil society.
    ActorSpec("ata", "Atlantic Treaty Association", "civil_society", aliases=("Atlantic Treaty Association", "ATA")),
    ActorSpec(
        "socialist-international",
        "Socialist International",
        "civil_society",
        aliases=("Socialist International", "the International"),
    ),
    # The groups of "who must act", from vocabulary/addressees.toml.
    *(ActorSpec(group.slug, group.name, "group", aliases=group.aliases) for group in vocabulary.groups()),
    ActorSpec("europol", "Europol", "international_organisation", aliases=("Europol",), parent="eu"),
    ActorSpec(
        "stability-pact",
        "Stability Pact for South Eastern Europe",
        "regional_initiative",
        aliases=("Stability Pact", "Stability Pact for South Eastern Europe"),
    ),
    ActorSpec(
        "regional-cooperation-council",
        "Regional Cooperation Council",
        "regional_initiative",
        aliases=("Regional Cooperation Council", "RCC"),
    ),
    ActorSpec(
        "republika-srpska",
        "Republika Srpska",
        "government_body",
        aliases=("Republika Srpska",),
        parent="bosnia-and-herzegovina",
    ),
    # People, each linked to the organisation or state they speak for.
    ActorSpec("mark-rutte", "Mark Rutte", "person", aliases=("Mark Rutte", "Rutte"), parent="nato"),
    ActorSpec(
        "jens-stoltenberg",
        "Jens Stoltenberg",
        "person",
        aliases=("Jens Stoltenberg", "Stoltenberg"),
        parent="nato",
    ),
    ActorSpec(
        "jaap-de-hoop-scheffer",
        "Jaap de Hoop Scheffer",
        "person",
        aliases=("Jaap de Hoop Scheffer", "de Hoop Scheffer"),
        parent="nato",
    ),
    ActorSpec("vitaly-churkin", "Vitaly Churkin", "person", aliases=("Vitaly Churkin", "Churkin"), parent="russia"),
    ActorSpec("sergei-lavrov", "Sergei Lavrov", "person", aliases=("Sergei Lavrov", "Lavrov"), parent="russia"),
    ActorSpec("condoleezza-rice", "Condoleezza Rice", "person", aliases=("Condoleezza Rice", "Rice"), parent="usa"),
    ActorSpec(
        "milorad-dodik",
        "Milorad Dodik",
        "person",
        aliases=("Milorad Dodik", "Dodik"),
        parent="republika-srpska",
    ),
    ActorSpec(
        "martti-ahtisaari",
        "Martti Ahtisaari",
        "person",
        aliases=("Martti Ahtisaari", "Ahtisaari"),
        parent="un",
    ),
    ActorSpec("ban-ki-moon", "Ban Ki-moon", "person", aliases=("Ban Ki-moon",), parent="un"),
)

ACTORS_BY_SLUG = {actor.slug: actor for actor in ACTORS}
TARGET_GROUPS = frozenset(group.slug for group in vocabulary.groups() if group.target)

# Aliases that stand for someone different in each document.
_CONTEXT_ALIASES = {
    NATO_CHIEF: (
        "NATO Chief",
        "NATO chief",
        "NATO Secretary General",
        "NATO Secretary-General",
        "the alliance's chief",
        "the alliance’s chief",
        "the chief",
    ),
    PARTIES: ("both parties", "both sides", "the two sides", "the parties", "both governments", "the two governments"),
}
# "the International" must not swallow "the International Commission for ..." and the like, nor "the Commission"
# "the Commission for Missing Persons" (a name in full: capitalised, or "for / on / of" and a capital).
_NOT_BEFORE_CAPITAL = frozenset({"the International", "the Union", "the Commission"})
# A state or capital after these words is where something happens, not who acts ("a meeting in Tirana").
_PLACE_BEFORE_RE = re.compile(
    r"(?:\b(?:in|at|near|outside|via|across|throughout|inside)\s+(?:the\s+)?"
    r"|\b(?:visit|visits|visited|trip|stop|travelled|traveled|arrived|returned)\s+(?:to\s+|in\s+)?)$",
    re.IGNORECASE,
)
_CAPITAL_PLACE_BEFORE_RE = re.compile(r"\b(?:from|to|of|for)\s+$", re.IGNORECASE)
# Fuzzy matching of misspelt names: only words of at least this length, at least this similar (rapidfuzz
# ratio, 0-100) or one Damerau-Levenshtein edit away with the same first letter.
FUZZY_MIN_LENGTH = 5
FUZZY_MIN_RATIO = 88


def _trie_pattern(node: dict) -> str:
    """Regex for a character trie; longer matches first (a branch before the end of an alias)."""
    branches = []
    for char in sorted(key for key in node if key):
        branches.append(re.escape(char) + _trie_pattern(node[char]))
    if "" in node:
        end = r"(?!\s+(?:(?:for|on|of)\s+(?:the\s+)?)?[A-Z])" if node[""] in _NOT_BEFORE_CAPITAL else ""
        adjectives, function_words = vocabulary.adjective_aliases()
        if node[""] in adjectives:  # "the public" but not "the public sector": no noun may follow
            words = "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in function_words)
            end = rf"(?!\s+(?!(?:{words})\b)[a-z])"
        branches.append(end)  # the alias ends here: tried after every longer continuation
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


@lru_cache(maxsize=1)
def _matchers() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    lookup: dict[str, str] = {}
    for actor in ACTORS:
        for alias in actor.aliases:
            lookup.setdefault(alias if not alias.islower() else alias.lower(), actor.slug)
    for capital, slug in CAPITALS.items():
        lookup.setdefault(capital, slug)
    for slug, aliases in _CONTEXT_ALIASES.items():
        for alias in aliases:
            lookup[alias if not alias.islower() else alias.lower()] = slug

    def alternation(aliases: list[str]) -> str:
        # A trie of the aliases as one pattern: Python's re tries a flat alternation of ~1,500 aliases one
        # by one at every position; the trie shares their prefixes (several times faster on long texts).
        trie: dict = {}
        for alias in aliases:
            node = trie
            for char in alias:
                node = node.setdefault(char, {})
            node[""] = alias
        return _trie_pattern(trie)

    sensitive = [alias for alias in lookup if not alias.islower()]
    insensitive = [alias for alias in lookup if alias.islower()]
    # Word boundaries by lookaround, since aliases may start or end with "." ("U.S.").
    sensitive_re = re.compile(rf"(?<![\w.])(?:{alternation(sensitive)})(?![\w])")
    # Matched against a lower-cased copy of the text (much faster than re.IGNORECASE on a long alternation).
    insensitive_re = re.compile(rf"(?<![\w])(?:{alternation(insensitive)})(?![\w])")
    return sensitive_re, insensitive_re, lookup


@lru_cache(maxsize=1)
def _fuzzy_index() -> dict[str, list[tuple[str, str, int, bool]]]:
    """Aliases by the first three letters of their last word: (alias lowered, slug, words, case-sensitive)."""
    _, _, lookup = _matchers()
    index: dict[str, list[tuple[str, str, int, bool]]] = {}
    for alias, slug in lookup.items():
        words = alias.split()
        last = words[-1].lower()
        if slug.startswith("@") or len(last) < FUZZY_MIN_LENGTH or alias.isupper() or not last.isalpha():
            continue
        index.setdefault(last[:3], []).append((alias.lower(), slug, len(words), not alias.islower()))
    return index


_DERIVED_SUFFIXES = frozenset({"n", "an", "ian", "ns", "ans", "ians", "ese", "i", "is", "ish", "ic", "ics", "ern"})
_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")


@lru_cache(maxsize=20_000)
def _fuzzy_lookup(phrase: str, capitalised: bool) -> str | None:
    lowered = phrase.lower()
    last = lowered.split()[-1]
    best, best_score = None, 0.0
    for alias, slug, _, sensitive in _fuzzy_index().get(last[:3], ()):
        if sensitive and not capitalised:
            continue
        alias_last = alias.split()[-1]
        if len(alias.split()) != len(lowered.split()) or alias_last.startswith(last):
            continue
        if last.startswith(alias_last) and last[len(alias_last) :] in _DERIVED_SUFFIXES:
            continue  # "Serbian" is not a typo of "Serbia"
        if not sensitive and last.startswith(alias_last.rstrip("s")) and last[len(alias_last) :] not in ("", "s", "es"):
            continue  # an ordinary word grown by a suffix is another word: "partnership", "governmental"
        score = fuzz.ratio(lowered, alias)
        # One edit in a short name is a typo ("Sarbia"); in an ordinary word (a lower-case alias) it is as often
        # another word ("policy" for "police"): those need the whole ratio.
        if score < FUZZY_MIN_RATIO and not (
            sensitive and len(last) >= 6 and alias[0] == lowered[0] and DamerauLevenshtein.distance(lowered, alias) <= 1
        ):
            continue
        if score > best_score:
            best, best_score = slug, score
    return best


def _fuzzy_hits(text: str, start: int, end: int, taken: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Misspelt aliases ("teh allianceS", "Kosvo") in the words no exact alias covers.

    Linear in the text: the distinct words are compared once each (C-speed rapidfuzz) with the aliases
    sharing their first three letters; only the few words that come close are then looked up where
    they occur, with the words before them for aliases of several words.
    """
    index = _fuzzy_index()
    exact_last = _exact_last_words()
    close: set[str] = set()
    for word in set(_WORD_RE.findall(text, start, end)):
        lowered = word.lower()
        if len(word) < FUZZY_MIN_LENGTH or lowered in exact_last:
            continue
        for alias, _, _, _ in index.get(lowered[:3], ()):
            alias_last = alias.rsplit(" ", 1)[-1]
            if fuzz.ratio(lowered, alias_last) >= FUZZY_MIN_RATIO - 10:
                close.add(word)
                break
    if not close:
        return []
    taken_starts = [hit[1] for hit in taken]
    found: list[tuple[str, int, int]] = []
    pattern = re.compile(
        r"(?<![\w'’-])(?:" + "|".join(map(re.escape, sorted(close, key=len, reverse=True))) + r")(?![\w'’-])"
    )
    for match in pattern.finditer(text, start, end):
        word_start, word_end = match.span()
        position = bisect_left(taken_starts, word_start + 1) - 1
        if position >= 0 and taken[position][2] > word_start:
            continue  # inside an exact mention
        before = _WORD_RE.findall(text, max(start, word_start - 60), word_start)
        for words in sorted({c[2] for c in index.get(match.group(0)[:3].lower(), ())}, reverse=True):
            if words - 1 > len(before):
                continue
            phrase_words = [*before[len(before) - (words - 1) :], match.group(0)] if words > 1 else [match.group(0)]
            phrase_start = (
                word_start if words == 1 else text.rfind(phrase_words[0], max(start, word_start - 60), word_start)
            )
            if phrase_start < 0 or (found and phrase_start < found[-1][2]):
                continue
            slug = _fuzzy_lookup(" ".join(phrase_words), phrase_words[0][:1].isupper())
            if slug:
                found.append((slug, phrase_start, word_end))
                break
    return found


@lru_cache(maxsize=1)
def _exact_last_words() -> frozenset[str]:
    """Words that are themselves the last word of an alias: never a typo of one."""
    _, _, lookup = _matchers()
    return frozenset(alias.rsplit(" ", 1)[-1].lower() for alias in lookup)


def find_actors(text: str, start: int = 0, end: int | None = None) -> list[tuple[str, int, int]]:
    """(slug, start, end) of every actor mention in ``text[start:end]``, longest match first,
    non-overlapping, in text order; misspelt aliases are found by fuzzy matching. Context aliases
    come back as ``NATO_CHIEF`` or ``PARTIES``; ``DocumentContext.resolve`` turns them into real slugs.
    """
    end = len(text) if end is None else end
    sensitive_re, insensitive_re, lookup = _matchers()
    found: list[tuple[str, int, int]] = []
    for match in sensitive_re.finditer(text, start, end):
        found.append((lookup[match.group(0)], match.start(), match.end()))
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters grow when lower-cased; offsets would drift
        lowered = "".join(char.lower() if len(char.lower()) == 1 else char for char in text)
    for match in insensitive_re.finditer(lowered, start, end):
        found.append((lookup[match.group(0)], match.start(), match.end()))
    found.sort(key=lambda hit: (hit[1], -(hit[2] - hit[1])))
    result: list[tuple[str, int, int]] = []
    for hit in found:
        if result and hit[1] < result[-1][2]:
            continue  # overlaps a longer or earlier mention
        result.append(hit)
    fuzzy = _fuzzy_hits(text, start, end, result)
    if fuzzy:
        result = sorted(result + fuzzy, key=lambda hit: hit[1])
    return result


def is_place(text: str, start: int, end: int) -> bool:
    """A state or capital named as where something happens ("talks in Brussels", "a visit to Tirana")."""
    before = text[max(0, start - 30) : start]
    if _PLACE_BEFORE_RE.search(before):
        return True
    return text[start:end] in CAPITALS and bool(_CAPITAL_PLACE_BEFORE_RE.search(before))


# A person not in the gazetteer, named in apposition ("Serbia's chief negotiator, Dragan Petković,") or
# before a reporting verb ("Marta Kovač said").
_NAME = r"[A-ZÀ-Ž][a-zà-ž'’]+(?:-[A-ZÀ-Ž][a-zà-ž'’]+)?"
# Lower-case particles inside a surname ("Ursula von der Leyen").
_PARTICLES = r"(?:(?:von|van|der|den|de|da|di|del|du|la|le|ter) ){1,2}"
_FULL_NAME = rf"(?:{_NAME} ){{1,2}}{_NAME}|{_NAME} {_PARTICLES}{_NAME}|{_NAME} {_NAME}"
_REPORTING_AFTER = r" said| says| told| urged| added| stated| announced| called| warned| insisted"
_PERSON_RE = re.compile(
    rf"(?:, |\b(?:Minister|President|Secretary|Representative|negotiator|envoy|spokesperson|Ambassador"
    rf"|Commissioner|Chancellor|Director|chief|head|leader|official|spokesman|spokeswoman|Mayor|General) )"
    rf"({_FULL_NAME})(?=,|{_REPORTING_AFTER})"
)
# ... or as the subject that opens a sentence, right before its reporting verb ("Marta Kovač told reporters:")
# or before an apposition and then the verb ("Marta Kovač, Croatia's Interior Minister, said:"; group 2).
# A time adverbial may open the sentence before the name ("Yesterday Ivana Horvat said"): never part of it.
_OPENERS = vocabulary.speakers()["openers"]
_OPENER = "(?:(?:{}) )?(?:{})(?: (?:{}))?,? ".format(
    *("|".join(map(re.escape, sorted(_OPENERS[key], key=len, reverse=True))) for key in ("before", "times", "after"))
)
_OPENER_WORDS = frozenset(word for key in ("before", "times") for phrase in _OPENERS[key] for word in phrase.split())
_SPEAKER_OPENING_RE = re.compile(
    rf"(?:^[ \t]*|(?<=[.!?] ))(?:{_OPENER})?"
    rf"({_FULL_NAME})(?={_REPORTING_AFTER}|(, [^,.;:!?\"“”\n]{{1,80}},)(?:{_REPORTING_AFTER}))",
    re.MULTILINE,
)


def _person_matches(text: str) -> list[re.Match[str]]:
    """The matches of both patterns in text order, one per name."""
    found = {m.start(1): m for m in _PERSON_RE.finditer(text)}
    for match in _SPEAKER_OPENING_RE.finditer(text):
        found.setdefault(match.start(1), match)
    return [found[start] for start in sorted(found)]


_INSTITUTION_WORDS = frozenset(
    {
        "Council",
        "Commission",
        "Assembly",
        "Union",
        "Affairs",
        "Ministry",
        "Government",
        "Parliament",
        "Office",
        "Agency",
        "Forum",
        "Summit",
        "Centre",
        "Center",
        "Institute",
        "Network",
        "Bank",
        "Court",
        "Committee",
        "Department",
        "Organisation",
        "Organization",
        "Process",
        "Initiative",
        "Conference",
        "Secretariat",
    }
)
_NOT_A_NAME = frozenset(
    {
        "The",
        "In",
        "On",
        "At",
        "But",
        "And",
        "However",
        "Meanwhile",
        "Analysts",
        "Residents",
        "General",
        "Deputy",
        "Prime",
    }
)

_NOT_A_FIRST_NAME = _NOT_A_NAME | _OPENER_WORDS

# An office that speaks with no name after it ("The Serbian Prime Minister said", "the Minister of Defence of
# Serbia told"): group 1 the office with its adjective, 2 the adjective, 3 the words after "of".
_OFFICES = vocabulary.speakers()["offices"]
_OFFICE_RE = re.compile(
    r"\b(?:[Tt]he|[Ii]ts|[Tt]heir|[Hh]is|[Hh]er|[Oo]ur) ((?:({}) )?(?:{}))".format(
        "|".join(sorted(map(re.escape, DEMONYMS), key=len, reverse=True)),
        "|".join(sorted(map(re.escape, _OFFICES["names"]), key=len, reverse=True)),
    )
    + r"(?: of (?:the )?([A-Z][\w'’-]*(?: (?:of |and )?[A-Z][\w'’-]*){0,4}))?"
    + rf"(?=(?:{_REPORTING_AFTER})\b)"
)
_OFFICE_HINTS = tuple({name.lower().split()[-1][:5] for name in _OFFICES["names"]})
_BODY_KINDS = frozenset(_OFFICES["publisher_kinds"])


# Words of a negotiation: a pair of states in such a sentence are its sides ("both parties").
_NEGOTIATION_RE = re.compile(
    r"\b(?:talks|negotiat\w*|dialogue|status|parties|sides|agreements?|normali[sz]\w*|disputes?|settlement)\b",
    re.IGNORECASE,
)
SENTENCE_WINDOW = 300  # characters searched each way for a sentence's ends (bounded: linear on any input)


def _sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding ``text[start:end]``, at most SENTENCE_WINDOW characters each way."""
    low, high = max(0, start - SENTENCE_WINDOW), min(len(text), end + SENTENCE_WINDOW)
    before = max(text.rfind(". ", low, start), text.rfind("\n", low, start))
    after = [i for i in (text.find(". ", end, high), text.find("\n", end, high)) if i >= 0]
    return text[before + 1 if before >= 0 else low : min(after) if after else high]


def _demonym_state(text: str, sentence_start: int, match: re.Match[str], apposition) -> str | None:
    """The state a speaker's title names by its adjective ("the Croatian Interior Minister Ivana Horvat",
    "Ivana Horvat, the Serbian envoy, said"): the last such word before the name, else in the apposition."""
    spans = [(sentence_start, match.start(1))]
    if apposition and apposition[0] >= 0:
        spans.append(apposition)
    for start, end in spans:
        found = [
            DEMONYMS[w.group(0)] for w in _CAPITALISED_WORD_RE.finditer(text, start, end) if w.group(0) in DEMONYMS
        ]
        if found:
            return found[-1]
    return None


class DocumentContext:
    """Per-document resolution: context aliases, places, and people the gazetteer does not know."""

    def __init__(self, text: str, publishers: tuple[ActorSpec, ...] = ()):
        self.new_actors: dict[str, ActorSpec] = {}
        self.offices: set[str] = set()  # new "people" that are an office of a known body: made_by gives the body
        found = find_actors(text)
        mentions = [
            m for m in found if ACTORS_BY_SLUG.get(m[0], _NO_ACTOR).kind != "state" or not is_place(text, m[1], m[2])
        ]
        mentions = self._with_new_people(text, mentions)
        mentions = self._with_offices(text, mentions, publishers)
        self.mentions = mentions
        self._starts = [start for _, start, _ in mentions]
        self.nato_chief = next(
            (
                slug
                for slug, _, _ in mentions
                if ACTORS_BY_SLUG.get(slug, _NO_ACTOR).kind == "person" and ACTORS_BY_SLUG[slug].parent == "nato"
            ),
            None,
        )
        pairs: Counter[tuple[str, str]] = Counter()  # weighted counts
        for first, second in zip(mentions, mentions[1:], strict=False):
            gap = text[first[2] : second[1]]
            if (
                ACTORS_BY_SLUG.get(first[0], _NO_ACTOR).kind == "state"
                and ACTORS_BY_SLUG.get(second[0], _NO_ACTOR).kind == "state"
                and first[0] != second[0]
                and gap.strip() in ("and", "-", "–", ",")
            ):
                # "between Kosovo and Serbia" names the two sides of a negotiation outright; any other pair
                # counts only in a sentence about a negotiation ("the accession of Bulgaria and Romania"
                # names no sides).
                between = text[max(0, first[1] - 8) : first[1]].strip().lower().endswith("between")
                if between or _NEGOTIATION_RE.search(_sentence_around(text, first[1], second[2])):
                    pairs[tuple(sorted((first[0], second[0])))] += 3 if between else 1
        present = {slug for slug, _, _ in found}  # places too: "instability in Serbia" still names Serbia
        if {"kosovo", "serbia"} <= present:
            # The region's standing negotiation: the default reading of "both parties" here.
            pairs[("kosovo", "serbia")] += 1.5
        self.parties: tuple[str, ...] = pairs.most_common(1)[0][0] if pairs else ()

    def _with_new_people(self, text: str, mentions: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
        """Add people named as speakers but unknown to the gazetteer, each linked to the body before the name."""
        known_spans = [(s, e) for _, s, e in mentions]
        starts = [s for s, _ in known_spans]
        people: dict[str, str] = {}  # surname or full name -> slug
        for match in _person_matches(text):
            name = match.group(1)
            if (
                name.split()[0] in _NOT_A_FIRST_NAME
                or name in CAPITALS
                or _INSTITUTION_WORDS.intersection(name.split())
            ):
                continue  # "General Affairs Council, Brussels" names a body, not a person
            position = bisect_left(starts, match.start(1))
            if position < len(known_spans) and known_spans[position][0] < match.end(1):
                continue  # already a known actor
            slug = slugify(name)
            if slug in ACTORS_BY_SLUG:
                continue
            sentence_start = max(text.rfind(". ", 0, match.start()), text.rfind("\n", 0, match.start())) + 1
            bodies = [
                m
                for m in mentions
                if sentence_start <= m[1] < match.start(1)
                and ACTORS_BY_SLUG.get(m[0], _NO_ACTOR).kind not in ("person", "group", "")
            ]
            apposition = match.re is _SPEAKER_OPENING_RE and match.span(2)
            if not bodies and apposition and apposition[0] >= 0:
                bodies = [
                    m
                    for m in mentions
                    if apposition[0] <= m[1] < apposition[1]
                    and ACTORS_BY_SLUG.get(m[0], _NO_ACTOR).kind not in ("person", "group", "")
                ]
            parent = bodies[-1][0] if bodies else _demonym_state(text, sentence_start, match, apposition)
            self.new_actors.setdefault(slug, ActorSpec(slug, name, "person", parent=parent))
            people[name] = slug
            people.setdefault(name.split()[-1], slug)
        if not people:
            return mentions
        pattern = re.compile(
            r"(?<![\w])(?:" + "|".join(re.escape(n) for n in sorted(people, key=len, reverse=True)) + r")(?![\w])"
        )
        extra = []
        for match in pattern.finditer(text):
            position = bisect_left(starts, match.start() + 1) - 1
            if position >= 0 and known_spans[position][1] > match.start():
                continue
            extra.append((people[match.group(0)], match.start(), match.end()))
        return sorted(mentions + extra, key=lambda hit: hit[1])

    def _with_offices(self, text: str, mentions, publishers) -> list[tuple[str, int, int]]:
        """Add the offices that speak with no name ("The Prime Minister said"), each a speaker of the body the
        text says it belongs to (see vocabulary/speakers.toml), else a new actor of its own."""
        lowered = text.lower()
        if not any(hint in lowered for hint in _OFFICE_HINTS):
            return mentions
        starts = [start for _, start, _ in mentions]
        publisher = next((spec for spec in publishers if spec.kind in _BODY_KINDS), None)
        names = {publisher.slug: publisher.name} if publisher else {}
        extra: list[tuple[str, int, int]] = []
        dropped: set[int] = set()  # indices of the mentions inside an office
        for match in _OFFICE_RE.finditer(text):
            start = match.start(1)
            position = bisect_left(starts, start)
            last = bisect_left(starts, match.end(), position)
            inside = [m for m in mentions[position:last] if m[2] <= match.end()]
            if any(ACTORS_BY_SLUG.get(m[0], _NO_ACTOR).kind == "person" or m[0] == NATO_CHIEF for m in inside):
                continue  # a known person or office ("NATO Secretary General")
            before = mentions[position - 1] if position else None
            if before and self._kind(before[0]) == "person" and text[before[2] : match.start()].strip() == ",":
                continue  # the title of the person just named ("Ivana Horvat, the Montenegrin envoy, said")
            body = DEMONYMS.get(match.group(2) or "")
            if body is None and match.group(3):
                body = next((m[0] for m in inside if m[1] >= match.start(3) and self._is_body(m[0])), None)
            if body is None:
                # The state or body of the sentence before the office, or of the sentence before that one.
                low = max(0, start - SENTENCE_WINDOW)
                sentence = max(text.rfind(". ", low, start), text.rfind("\n", low, start))
                previous = max(text.rfind(". ", low, max(low, sentence)), text.rfind("\n", low, max(low, sentence)))
                first = bisect_left(starts, previous + 1 if previous >= 0 else low)
                bodies = {m[0] for m in mentions[first:position] if self._is_body(m[0])}
                # Two bodies there ("Serbia and Albania signed ...") do not say whose office it is.
                body = bodies.pop() if len(bodies) == 1 else (publisher.slug if publisher and not bodies else None)
            office = match.group(1)
            if body is not None:
                title = office.removeprefix(f"{match.group(2)} ") if match.group(2) else office
                name = f"{title} of {names.get(body) or self.actor(body).name}"
                slug = slugify(name)
                self.offices.add(slug)
            else:
                name, slug = office, slugify(office)
            if slug in ACTORS_BY_SLUG:
                continue
            self.new_actors.setdefault(slug, ActorSpec(slug, name, "person", parent=body))
            extra.append((slug, start, match.end()))
            dropped.update(range(position, last))  # "Serbian" inside "the Serbian Prime Minister"
        if not extra:
            return mentions
        kept = [m for index, m in enumerate(mentions) if index not in dropped]
        return sorted(kept + extra, key=lambda hit: hit[1])

    def _kind(self, slug: str) -> str:
        actor = self.actor(slug)
        return actor.kind if actor is not None else ""

    def _is_body(self, slug: str) -> bool:
        return self._kind(slug) not in ("person", "group", "")

    def actor(self, slug: str) -> ActorSpec | None:
        return ACTORS_BY_SLUG.get(slug) or self.new_actors.get(slug)

    def between(self, start: int, end: int) -> list[tuple[str, int, int]]:
        """The document's mentions inside ``[start, end)``, found once for the whole text."""
        first = bisect_left(self._starts, start)
        last = bisect_left(self._starts, end)
        return [hit for hit in self.mentions[first:last] if hit[2] <= end]

    def resolve(self, slug: str) -> tuple[str, ...]:
        if slug == NATO_CHIEF:
            return (self.nato_chief, "nato") if self.nato_chief else ("nato",)
        if slug == PARTIES:
            return self.parties
        return (slug,)

    def with_parents(self, slugs) -> tuple[str, ...]:
        """The slugs plus, for people, the organisation or state they speak for; order kept, no repeats."""
        result: list[str] = []
        for slug in slugs:
            if slug not in result and slug not in self.offices:  # an office of a known body: the body speaks
                result.append(slug)
            actor = self.actor(slug)
            if actor and actor.kind == "person" and actor.parent and actor.parent not in result:
                result.append(actor.parent)
        return tuple(result)


_NO_ACTOR = ActorSpec("", "", "")


def with_parents(slugs: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The slugs plus, for people, the organisation or state they speak for; order kept, no repeats."""
    result: list[str] = []
    for slug in slugs:
        if slug not in result:
            result.append(slug)
        actor = ACTORS_BY_SLUG.get(slug)
        if actor and actor.kind == "person" and actor.parent and actor.parent not in result:
            result.append(actor.parent)
    return tuple(result)


# Words in an unknown organisation's name that tell its kind.
_KIND_WORDS = (
    (
        "government_body",
        r"\b(?:council of the european union|ministr|government|parliament|assembly|council|cabinet"
        r"|presidency|commission)\w*",
    ),
    ("regional_initiative", r"\b(?:process|initiative|pact|forum|summit|cooperation council)\b"),
    ("international_organisation", r"\b(?:organi[sz]ation|agency|union|office|programme|nations)\b"),
    (
        "civil_society",
        r"\b(?:centre|center|institute|network|association|foundation|society|group|party|league"
        r"|movement|wire|news|times|post|radio|press|agency)\b",
    ),
)


def guess_kind(name: str) -> str:
    for kind, pattern in _KIND_WORDS:
        if re.search(pattern, name, re.IGNORECASE):
            return kind
    return "civil_society"


def publisher_actors(publisher: str, author: str = "") -> tuple[tuple[str, ...], tuple[ActorSpec, ...]]:
    """The actors a document's publisher field names (several signatories separated by ";"), and the
    new actors (unknown names, to be flagged for review) among them. An unknown publisher becomes a new
    actor of a guessed kind, never a generic group."""
    slugs: list[str] = []
    new: list[ActorSpec] = []
    for part in [p.strip() for p in re.split(r";|\n", publisher) if p.strip()]:
        hits = [slug for slug, s, e in find_actors(part) if slug in ACTORS_BY_SLUG and e - s >= len(part) * 0.6]
        if hits:
            slugs.append(hits[0])
            continue
        slug = slugify(part)
        if slug and slug not in ACTORS_BY_SLUG:
            new.append(ActorSpec(slug, part[:200], guess_kind(part), aliases=(part,)))
        if slug:
            slugs.append(slug)
    if not slugs and author:
        hits = [slug for slug, _, _ in find_actors(author) if slug in ACTORS_BY_SLUG]
        slugs.extend(hits[:1])
    return tuple(dict.fromkeys(slugs)), tuple(new)
