"""Free-text search over items.

PostgreSQL: full-text search on the stored `Item.search_vector` (a trigger keeps it, GIN index
`item_search_vector_gin_idx`, migration 0002) with a websearch query in the english config, and a
`search_rank` annotation (SearchRank) to order by relevance, computed for the newest RANK_CANDIDATES
matches only (ranked_candidates). A phrase of words side by side is narrowed first by the items' word pairs
(`tracker_word_pairs`, migration 0018), which the words' index cannot do. Elsewhere (SQLite): every word must
occur, case-insensitively, in the reference, the title or the text.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchQueryField, SearchRank, SearchVectorField
from django.db import connections
from django.db.models import BigIntegerField, BooleanField, ExpressionWrapper, F, Func, Q, Value
from django.db.models.functions import Cast

from tracker import facets

SEARCH_CONFIG = "english"


# A ranked search ranks at most this many matches: the newest (highest ids). Ranking every match read
# every matching row (222,000 for "trade" at 1,000,000 items: 0.7-2 s); these are read newest first
# along the primary key, or from the GIN index when the word is rare, then ranked.
RANK_CANDIDATES = 2_000
# A phrase ('border' <-> 'polic') is estimated by PostgreSQL as its words ANDed (48,000 matches for "border police"
# at 1,000,000 items; 2,200 really), so it walked the primary key backwards for the newest RANK_CANDIDATES, testing
# 650,000 rows (0.74 s warm, 1.5 s cold). For a phrase the facets' 1-in-128 sample is counted first (a bitmap AND,
# a few hundred pages): with fewer sampled matches than this the walk would test more than a tenth of the items,
# and every match is read from the GIN index instead, the newest kept by a sort.
FEW_SAMPLED = 10 * RANK_CANDIDATES // facets.SAMPLE_EVERY


def search_items(queryset, text: str, *, rank: bool = True):
    """Return (filtered queryset, ranked) where ranked says whether `search_rank` is annotated.

    rank=False when the results are ordered otherwise: the rank is then neither computed nor built.
    Ranked, the queryset holds only the RANK_CANDIDATES newest matches (see ranked_candidates); the
    unbounded matches are `search_items(..., rank=False)`.
    """
    words = text.split()
    if not words:
        return queryset, False
    if connections[queryset.db].vendor == "postgresql":
        query = SearchQuery(" ".join(words), search_type="websearch", config=SEARCH_CONFIG)
        unsearched, queryset = queryset, queryset.filter(search_vector=query)
        # Plain words give no phrase: only a phrase needs PostgreSQL's parse (one round trip).
        plain = all(PLAIN_WORD_RE.fullmatch(word) for word in words)
        parsed = "" if plain else _tsquery_text(" ".join(words), queryset.db)
        pairs = word_pairs(parsed)
        # Exact for the pairs, so PostgreSQL's estimate is right too: no sample needed to choose the path. Two words
        # side by side are exactly one pair: the pair alone finds the same items, without the phrase test (the pairs'
        # index needs no recheck; with the phrase's, PostgreSQL would recompute the pairs of every row it reads).
        if pairs and " & " not in pairs:
            narrowed = unsearched.filter(HasWordPairs(pairs))
        else:
            narrowed = queryset.filter(HasWordPairs(pairs)) if pairs else queryset
        if not rank:
            return narrowed, False
        few = not pairs and "<" in parsed and _few_matches(queryset)
        return ranked_candidates(queryset, query, few=few, narrowed=narrowed), True
    condition = Q()
    for word in words:
        condition &= Q(reference__icontains=word) | Q(title__icontains=word) | Q(text__icontains=word)
    return queryset.filter(condition), False


def ranked_candidates(matches, query, *, few: bool = False, narrowed=None):
    """The newest RANK_CANDIDATES of `matches`, annotated with `search_rank` (ts_rank) for ordering.

    The guarantee: among those candidates the order is exactly by relevance (rank, then id); a match
    older than the newest RANK_CANDIDATES is not listed when ranked (ordered by id, every match is).
    few=True: known to be few matches, so every match is read (from the GIN index) and sorted: ordered by
    `id + 0`, which the primary key cannot give, PostgreSQL does not walk it. The same candidates either way.
    narrowed: the same matches with a condition that finds them faster (a phrase's word pairs), for the
    candidates only: the ranked rows are not tested against it again (20 us per row to compute the pairs).
    """
    newest = F("id").desc()
    if few:
        newest = ExpressionWrapper(F("id") + Value(0), output_field=BigIntegerField()).desc()
    candidates = (matches if narrowed is None else narrowed).order_by(newest).values("id")[:RANK_CANDIDATES]
    return matches.filter(id__in=candidates).annotate(search_rank=SearchRank(F("search_vector"), query))


def _tsquery_text(text: str, using: str) -> str:
    """The websearch query as PostgreSQL parses it, e.g. "'border' <-> 'polic'" (one round trip, no table read)."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT websearch_to_tsquery(%s::regconfig, %s)::text", [SEARCH_CONFIG, text])
        return cursor.fetchone()[0]


# A word websearch_to_tsquery cannot turn into a phrase or an operator (quotes, hyphens, "+" and "-" can).
PLAIN_WORD_RE = re.compile(r"[A-Za-z0-9]+")

# A query that is one phrase of words side by side and nothing else: 'a' <-> 'b' [<-> 'c' ...]. Lexemes with a
# quote or backslash (escaped in the text) are left to the plain search.
PHRASE_RE = re.compile(r"'[^'\\]+'(?: <-> '[^'\\]+')+")


def word_pairs(parsed: str) -> str:
    """The tsquery (text) every match of the phrase `parsed` satisfies on tracker_word_pairs(search_vector): each
    adjacent pair of its lexemes, ANDed ("'border polic'"); "" when `parsed` is not such a phrase."""
    if not PHRASE_RE.fullmatch(parsed):
        return ""
    lexemes = re.findall(r"'([^']+)'", parsed)
    return " & ".join(f"'{a} {b}'" for a, b in zip(lexemes, lexemes[1:], strict=False))


class HasWordPairs(Func):
    """tracker_word_pairs(search_vector) @@ '<pairs>'::tsquery: answered from its GIN index (migration 0018)."""

    arg_joiner = " @@ "
    template = "%(expressions)s"
    output_field = BooleanField()
    conditional = True

    def __init__(self, pairs: str):
        vector_pairs = Func(F("search_vector"), function="tracker_word_pairs", output_field=SearchVectorField())
        super().__init__(vector_pairs, Cast(Value(pairs), output_field=SearchQueryField()))


def _few_matches(matches) -> bool:
    return facets.sampled_search_matches(matches) < FEW_SAMPLED
