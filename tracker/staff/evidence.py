"""Evidence from later documents: passages and items that likely bear on an item, ranked.

The score of a passage is its text similarity to the item (TF-IDF cosine over words, computed
here so it ranks the same on SQLite and PostgreSQL) plus a bonus for each of the item's actors it
names and for the themes it shares with the items that cite it. Candidates are the sentences of
documents published after the item's own (all other documents when its date is unknown).
"""

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from tracker.models import Actor, Citation, Document, Item

_WORD_RE = re.compile(r"[^\W\d_][\w'’-]+", re.UNICODE)
_SENTENCE_RE = re.compile(r"[^\n.!?]+(?:[.!?]+[\"”’)]*|$)")
STOPWORDS = frozenset(
    re.findall(
        r"\w+",
        """a about after all also an and any are as at be been being between both but by can could did do does
        for from had has have he her his i if in into is it its itself may more most must no not of on or other
        our out over own said says shall she should so some such than that the their them then there these they
        this those through to too under until up very was we were what when where which while who will with
        would you your""",
    )
)
ACTOR_BONUS = 0.15
THEME_BONUS = 0.1
MIN_SCORE = 0.08


STEM = 6  # words are compared by their first letters: "peacekeepers" and "peacekeeping" are one word here


def words(text: str) -> list[str]:
    lowered = (m.group(0).lower().strip("'’-") for m in _WORD_RE.finditer(text))
    return [word[:STEM] for word in lowered if word not in STOPWORDS]


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence-like stretch, whitespace at the ends left out."""
    spans = []
    for match in _SENTENCE_RE.finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end - start >= 20:
            spans.append((start, end))
    return spans


class _Vectors:
    """TF-IDF over one set of texts; cosine similarity of any two."""

    def __init__(self, texts: list[list[str]]):
        frequency = Counter(word for text in texts for word in set(text))
        self.count = len(texts)
        self.idf = {word: math.log((1 + self.count) / (1 + n)) + 1 for word, n in frequency.items()}

    def vector(self, tokens: list[str]) -> dict[str, float]:
        counts = Counter(tokens)
        vector = {word: n * self.idf.get(word, math.log(1 + self.count) + 1) for word, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        return {word: v / norm for word, v in vector.items()}

    @staticmethod
    def cosine(a: dict, b: dict) -> float:
        if len(a) > len(b):
            a, b = b, a
        return sum(value * b.get(word, 0.0) for word, value in a.items())


@dataclass
class PassageSuggestion:
    document: Document
    start: int
    end: int
    quote: str
    score: float
    similarity: float
    shared_actors: list[str] = field(default_factory=list)
    shared_themes: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)  # items of that document citing the passage


@dataclass
class LinkSuggestion:
    item: Item
    score: float
    kind: str
    shared_actors: list[str] = field(default_factory=list)
    shared_themes: list[str] = field(default_factory=list)


def later_documents(item: Item):
    documents = Document.objects.exclude(pk=item.document_id)
    if item.document.published is not None:
        documents = documents.filter(published__gt=item.document.published)
    return documents.order_by("published", "slug")


def _actor_names(actors) -> dict[str, list[str]]:
    """Each actor's lower-cased names (name and aliases), to find it mentioned in a passage."""
    return {actor.name: [n.lower() for n in (actor.name, *actor.aliases) if len(n) >= 3] for actor in actors}


def _mentions(text: str, names: dict[str, list[str]]) -> list[str]:
    lowered = text.lower()
    return [name for name, forms in names.items() if any(re.search(rf"\b{re.escape(f)}\b", lowered) for f in forms)]


def suggest_passages(item: Item, limit: int = 10) -> list[PassageSuggestion]:
    documents = list(later_documents(item))
    if not documents:
        return []
    actors = list({actor.pk: actor for actor in [*item.made_by.all(), *item.addressed_to.all()]}.values())
    names = _actor_names(actors)
    theme_ids = set(item.themes.values_list("id", flat=True))
    citations = list(
        Citation.objects.filter(document__in=documents)
        .select_related("item")
        .prefetch_related("item__themes")
        .defer("item__search_vector")
    )
    candidates = []
    for document in documents:
        boilerplate = list(document.boilerplate_spans.values_list("start", "end"))
        for start, end in sentences(document.text):
            if any(b_start < end and start < b_end for b_start, b_end in boilerplate):
                continue
            candidates.append((document, start, end))
    tokens = [words(document.text[start:end]) for document, start, end in candidates]
    vectors = _Vectors([*tokens, words(item.text)])
    target = vectors.vector(words(item.text))
    suggestions = []
    for (document, start, end), passage_tokens in zip(candidates, tokens, strict=True):
        similarity = vectors.cosine(target, vectors.vector(passage_tokens))
        if similarity <= 0:
            continue
        quote = document.text[start:end]
        covering = [c.item for c in citations if c.document_id == document.pk and c.start < end and start < c.end]
        shared_themes = sorted(
            {theme.name for other in covering for theme in other.themes.all() if theme.pk in theme_ids}
        )
        shared_actors = _mentions(quote, names)
        score = similarity + ACTOR_BONUS * len(shared_actors) + THEME_BONUS * len(shared_themes)
        if score < MIN_SCORE:
            continue
        suggestions.append(
            PassageSuggestion(
                document=document,
                start=start,
                end=end,
                quote=quote,
                score=round(score, 3),
                similarity=round(similarity, 3),
                shared_actors=shared_actors,
                shared_themes=shared_themes,
                items=list({other.pk: other for other in covering}.values()),
            )
        )
    suggestions.sort(key=lambda s: (-s.score, s.document.slug, s.start))
    return suggestions[:limit]


def suggest_links(item: Item, limit: int = 8) -> list[LinkSuggestion]:
    """Items of other documents that likely bear on this one (the kind is a guess the reviewer can change)."""
    actors_of = Actor.objects.only("id", "name")
    others = list(
        Item.objects.exclude(document=item.document)
        .exclude(Q(links_in__source=item) | Q(links_out__target=item))
        .select_related("document")
        .prefetch_related(
            Prefetch("made_by", queryset=actors_of), Prefetch("addressed_to", queryset=actors_of), "themes"
        )
        .defer("document__text")
    )
    if not others:
        return []
    mine_actors = {a.pk: a.name for a in [*item.made_by.all(), *item.addressed_to.all()]}
    mine_themes = {t.pk: t.name for t in item.themes.all()}
    tokens = [words(other.text) for other in others]
    vectors = _Vectors([*tokens, words(item.text)])
    target = vectors.vector(words(item.text))
    suggestions = []
    for other, other_tokens in zip(others, tokens, strict=True):
        similarity = vectors.cosine(target, vectors.vector(other_tokens))
        shared_actors = sorted(
            {mine_actors[a.pk] for a in [*other.made_by.all(), *other.addressed_to.all()] if a.pk in mine_actors}
        )
        shared_themes = sorted({mine_themes[t.pk] for t in other.themes.all() if t.pk in mine_themes})
        score = similarity + ACTOR_BONUS * len(shared_actors) + THEME_BONUS * len(shared_themes)
        if similarity <= 0 or score < MIN_SCORE:
            continue
        later = (
            item.document.published is not None
            and other.document.published is not None
            and other.document.published > item.document.published
        )
        kind = "restates" if similarity >= 0.8 else "follows_up" if later else "restates"
        suggestions.append(LinkSuggestion(other, round(score, 3), kind, shared_actors, shared_themes))
    suggestions.sort(key=lambda s: (-s.score, s.item.pk))
    return suggestions[:limit]
