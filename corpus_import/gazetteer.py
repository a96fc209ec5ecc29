"""The actors the extraction can name, and a matcher that finds them (with their aliases) in text.

States take their canonical names and ISO 3166-1 codes from pycountry; Kosovo is not in ISO 3166
and uses the user-assigned code "XK". Aliases written all in lower case match case-insensitively
("the alliance", "countries in the region"); any other alias matches case-sensitively, so "Rice"
the Secretary of State is found but "rice" the crop is not.

Two aliases are resolved per document rather than fixed: "NATO Chief"/"NATO Secretary General"
stand for the Secretary General the document names (plus NATO), and "both parties"/"both sides"
for the two states the document pairs most often ("between Kosovo and Serbia").
"""

import re
from bisect import bisect_left
from collections import Counter
from functools import lru_cache

import pycountry

from .records import ActorSpec

NATO_CHIEF = "@nato-chief"
PARTIES = "@parties"


def _state(slug: str, code: str, *aliases: str, name: str = "") -> ActorSpec:
    if code == "XK":
        canonical = name or "Kosovo"
    else:
        country = pycountry.countries.get(alpha_2=code)
        canonical = name or getattr(country, "common_name", None) or country.name
        extra = {country.name, getattr(country, "official_name", "") or country.name} - {canonical}
        aliases = (*aliases, *sorted(extra))
    return ActorSpec(slug, canonical, "state", code, (canonical, *aliases))


ACTORS: tuple[ActorSpec, ...] = (
    # States. Capitals stand for their governments in news style ("Belgrade rejects").
    _state("serbia", "RS", "Belgrade", "Serbian government"),
    # pycountry's name is the formal "Russian Federation"; the short name is what texts use.
    _state("russia", "RU", "Moscow", "Russian government", name="Russia"),
    _state("usa", "US", "United States of America", "U.S.", "US", "USA", "Washington"),
    _state("bosnia-and-herzegovina", "BA", "Bosnia-Herzegovina", "Bosnia"),
    _state("romania", "RO", "Bucharest"),
    _state("bulgaria", "BG", "Sofia"),
    _state("montenegro", "ME", "Podgorica"),
    _state("north-macedonia", "MK", "Macedonia", "FYROM", "Skopje"),
    _state("albania", "AL", "Tirana"),
    _state("croatia", "HR", "Zagreb"),
    _state("greece", "GR", "Athens"),
    _state("turkey", "TR", "Turkey", "Ankara"),
    _state("slovenia", "SI", "Ljubljana"),
    _state("hungary", "HU"),
    _state("moldova", "MD", "Republic of Moldova"),
    _state("ukraine", "UA", "Kyiv"),
    _state("kosovo", "XK", "Pristina", "Prishtina"),
    # International organisations and their bodies.
    ActorSpec(
        "nato",
        "NATO",
        "international_organisation",
        aliases=(
            "NATO",
            "North Atlantic Treaty Organization",
            "the alliance",
            "teh alliances",
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
        aliases=("European Commission", "EU Commission"),
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
    ActorSpec("civil-society", "Civil society", "group", aliases=("civil society",)),
    ActorSpec(
        "ngos",
        "Non-governmental organisations",
        "group",
        aliases=(
            "NGOs",
            "NGO",
            "non-governmental organisations",
            "non-governmental organizations",
            "non-governmental associations",
        ),
    ),
    ActorSpec("mass-media", "Mass media", "group", aliases=("mass media", "mass-media", "the media")),
    # Groups the strategy addresses.
    ActorSpec(
        "countries-of-the-region",
        "Countries of the region",
        "group",
        aliases=(
            "countries of the region",
            "countries in the region",
            "countries of the area",
            "countries in the area",
            "countries of see",
            "see countries",
            "countries of south eastern europe",
            "countries of southeast europe",
            "states in the area",
            "states in the region",
            "states of the region",
            "balkan states",
            "all countries",
            "countries concerned",
            "member states",
        ),
    ),
    ActorSpec(
        "national-governments",
        "National governments",
        "group",
        aliases=(
            "national governments",
            "governments in the region",
            "governments of the region",
            "see governments",
            "governments",
            "governmental institutions",
            "national authorities",
            "public authorities",
            "authorities",
        ),
    ),
    ActorSpec("international-community", "International community", "group", aliases=("international community",)),
    ActorSpec(
        "international-organisations",
        "International organisations",
        "group",
        aliases=("international organizations", "international organisations"),
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
    PARTIES: ("both parties", "both sides", "the two sides", "the parties"),
}
# "the International" must not swallow "the International Commission for ..." and the like.
_NOT_BEFORE_CAPITAL = frozenset({"the International", "the Union"})


@lru_cache(maxsize=1)
def _matchers() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    lookup: dict[str, str] = {}
    for actor in ACTORS:
        for alias in actor.aliases:
            lookup.setdefault(alias if not alias.islower() else alias.lower(), actor.slug)
    for slug, aliases in _CONTEXT_ALIASES.items():
        for alias in aliases:
            lookup[alias if not alias.islower() else alias.lower()] = slug

    def alternation(aliases: list[str]) -> str:
        parts = []
        for alias in sorted(aliases, key=len, reverse=True):
            part = re.escape(alias)
            if alias in _NOT_BEFORE_CAPITAL:
                part += r"(?!\s+[A-Z])"
            parts.append(part)
        return "|".join(parts)

    sensitive = [alias for alias in lookup if not alias.islower()]
    insensitive = [alias for alias in lookup if alias.islower()]
    # Word boundaries by lookaround, since aliases may start or end with "." ("U.S.").
    sensitive_re = re.compile(rf"(?<![\w.])(?:{alternation(sensitive)})(?![\w])")
    # Matched against a lower-cased copy of the text (much faster than re.IGNORECASE on a long alternation).
    insensitive_re = re.compile(rf"(?<![\w])(?:{alternation(insensitive)})(?![\w])")
    return sensitive_re, insensitive_re, lookup


def find_actors(text: str, start: int = 0, end: int | None = None) -> list[tuple[str, int, int]]:
    """(slug, start, end) of every actor mention in ``text[start:end]``, longest match first,
    non-overlapping, in text order. Context aliases come back as ``NATO_CHIEF`` or ``PARTIES``;
    ``resolve_context`` turns them into real slugs for a given document.
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
    return result


class DocumentContext:
    """Per-document resolution of the context aliases."""

    def __init__(self, text: str):
        mentions = find_actors(text)
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
                # "between Kosovo and Serbia" names the two sides of a negotiation outright.
                between = text[max(0, first[1] - 8) : first[1]].strip().lower().endswith("between")
                pairs[tuple(sorted((first[0], second[0])))] += 3 if between else 1
        present = {slug for slug, _, _ in mentions}
        if {"kosovo", "serbia"} <= present:
            # The region's standing negotiation: the default reading of "both parties" here.
            pairs[("kosovo", "serbia")] += 1.5
        self.parties: tuple[str, ...] = pairs.most_common(1)[0][0] if pairs else ()

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
