"""What an item list's filters say, for people: removable chips and one summary sentence.

Plain functions over the query parameters and the names the view already has (actors and themes
from tracker.reference_cache, documents from the facet rows): no queries of their own.
"""

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.utils.formats import date_format

from tracker.enums import ItemKind, ReviewState, Status, Strength
from tracker.filtersets import split_values

# The one actor control's role choice (item list form): "actor" is either role.
ACTOR_ROLES = (("actor", "Made by or addressed to"), ("made_by", "Made by"), ("addressed_to", "Addressed to"))

# Parameters that move through the list rather than filter it.
NOT_FILTERS = ("after", "before", "page", "ordering")

KIND_PLURALS = {
    ItemKind.RECOMMENDATION: ("recommendation", "recommendations"),
    ItemKind.COMMITMENT: ("commitment", "commitments"),
    ItemKind.PROPOSAL: ("author proposal", "author proposals"),
}

CHIP_LABELS = {
    "q": "Text",
    "made_by": "Made by",
    "addressed_to": "Addressed to",
    "actor": "Made by or addressed to",
    "theme": "Theme",
    "status": "Status",
    "as_of": "Status as of",
    "kind": "Kind",
    "document": "Document",
    "section": "Section",
    "review_state": "Review state",
    "strength": "Strength",
    "date_after": "Document dated from",
    "date_before": "Document dated to",
}


@dataclass(frozen=True)
class Chip:
    name: str  # the parameter
    value: str  # one of its values
    label: str  # "Made by: NATO"
    remove_query: str  # the list's query string without this value


def with_role(params):
    """The query parameters with the form's `role` applied: `actor=nato&role=made_by` becomes
    `made_by=nato`, in place, so the list's URL is the one the API and the feed understand.
    Returns None when there is no `role` parameter (nothing to rewrite)."""
    if "role" not in params:
        return None
    role = params.get("role", "")
    target = role if role in ("made_by", "addressed_to") else "actor"
    pairs = []
    for key, values in params.lists():
        if key == "role":
            continue
        pairs.extend((target if key == "actor" else key, value) for value in values if value != "")
    return urlencode(pairs)


def _query_without(params, name: str, value: str) -> str:
    pairs = []
    for key, values in params.lists():
        if key in ("after", "before", "page"):
            continue
        if key == name:
            values = [part for part in split_values(values) if part != value]
        pairs.extend((key, part) for part in values if part != "")
    return urlencode(pairs)


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def display_date(value: str) -> str:
    parsed = _parse_date(value)
    return date_format(parsed, "j F Y") if parsed else value


def chips(params, names: dict[str, dict[str, str]]) -> list[Chip]:
    """One chip per filter value, in the order of CHIP_LABELS. `names`: per parameter, value -> name."""
    choice_labels = {
        "status": dict(Status.choices),
        "kind": dict(ItemKind.choices),
        "review_state": dict(ReviewState.choices),
        "strength": dict(Strength.choices),
    }
    result = []
    for name, title in CHIP_LABELS.items():
        if name in ("q", "as_of", "date_after", "date_before"):
            value = params.get(name, "").strip()
            values = [value] if value else []
        else:
            values = split_values(params.getlist(name))
        for value in values:
            if name in choice_labels:
                shown = choice_labels[name].get(value, value)
            elif name in ("as_of", "date_after", "date_before"):
                shown = display_date(value)
            elif name == "q":
                shown = f"“{value}”"
            else:
                shown = names.get(name, {}).get(value, value)
            result.append(Chip(name, value, f"{title}: {shown}", _query_without(params, name, value)))
    return result


def _either(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]


def sentence(params, names: dict[str, dict[str, str]], total: int) -> str:
    """ "15 commitments by NATO on Kosovo status and dialogue, status as of 31 December 2024."""

    def values(name):
        return split_values(params.getlist(name))

    def named(name):
        return [names.get(name, {}).get(value, value) for value in values(name)]

    kinds = [value for value in values("kind") if value in KIND_PLURALS]
    if kinds:
        nouns = [KIND_PLURALS[kind][0 if total == 1 else 1] for kind in kinds]
        noun = " and ".join([", ".join(nouns[:-1]), nouns[-1]]) if len(nouns) > 1 else nouns[0]
    else:
        noun = "item" if total == 1 else "items"
    statuses = [dict(Status.choices).get(v, v).lower() for v in values("status")]
    parts = [f"{total:,}", noun]
    if statuses:
        parts.append(f"with status {_either(statuses)}")
    if values("made_by"):
        parts.append(f"by {_either(named('made_by'))}")
    if values("addressed_to"):
        parts.append(f"addressed to {_either(named('addressed_to'))}")
    if values("actor"):
        parts.append(f"by or addressed to {_either(named('actor'))}")
    if values("theme"):
        parts.append(f"on {_either(named('theme'))}")
    if values("document"):
        parts.append(f"from {_either(['“' + title + '”' for title in named('document')])}")
    if values("section"):
        parts.append(f"in section {_either(named('section'))}")
    if values("strength"):
        parts.append(f"phrased as {_either([dict(Strength.choices).get(v, v).lower() for v in values('strength')])}")
    if values("review_state"):
        states = [dict(ReviewState.choices).get(v, v).lower() for v in values("review_state")]
        parts.append(f"in review state {_either(states)}")
    after, before = params.get("date_after", "").strip(), params.get("date_before", "").strip()
    if after and before:
        parts.append(f"in documents dated {display_date(after)} to {display_date(before)}")
    elif after:
        parts.append(f"in documents dated from {display_date(after)}")
    elif before:
        parts.append(f"in documents dated up to {display_date(before)}")
    if params.get("q", "").strip():
        parts.append(f"matching “{params.get('q').strip()}”")
    text = " ".join(parts)
    as_of = params.get("as_of", "").strip()
    if as_of:
        text += f", status as of {display_date(as_of)}"
    return text + "."
