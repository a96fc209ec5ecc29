"""Free-text search over items.

PostgreSQL: full-text search on the stored `Item.search_vector` (a trigger keeps it, GIN index
`item_search_vector_gin_idx`, migration 0002) with a websearch query in the english config, and a
`search_rank` annotation (SearchRank) to order by relevance, computed for the newest RANK_CANDIDATES
matches only (ranked_candidates). Elsewhere (SQLite): every word must
occur, case-insensitively, in the reference, the title or the text.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections
from django.db.models import BigIntegerField, ExpressionWrapper, F, Q, Value

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
        queryset = queryset.filter(search_vector=query)
        if not rank:
            return queryset, False
        few = _is_phrase(" ".join(words), queryset.db) and _few_matches(queryset)
        return ranked_candidates(queryset, query, few=few), True
    condition = Q()
    for word in words:
        condition &= Q(reference__icontains=word) | Q(title__icontains=word) | Q(text__icontains=word)
    return queryset.filter(condition), False


def ranked_candidates(matches, query, *, few: bool = False):
    """The newest RANK_CANDIDATES of `matches`, annotated with `search_rank` (ts_rank) for ordering.

    The guarantee: among those candidates the order is exactly by relevance (rank, then id); a match
    older than the newest RANK_CANDIDATES is not listed when ranked (ordered by id, every match is).
    few=True: known to be few matches, so every match is read (from the GIN index) and sorted: ordered by
    `id + 0`, which the primary key cannot give, PostgreSQL does not walk it. The same candidates either way.
    """
    newest = F("id").desc()
    if few:
        newest = ExpressionWrapper(F("id") + Value(0), output_field=BigIntegerField()).desc()
    candidates = matches.order_by(newest).values("id")[:RANK_CANDIDATES]
    return matches.filter(id__in=candidates).annotate(search_rank=SearchRank(F("search_vector"), query))


def _is_phrase(text: str, using: str) -> bool:
    """Whether the search is a phrase (its tsquery has a <-> or <N> operator): quoted words, or words joined
    by punctuation such as "border+police". One round trip, no table read."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT strpos(websearch_to_tsquery(%s::regconfig, %s)::text, '<') > 0", [SEARCH_CONFIG, text])
        return cursor.fetchone()[0]


def _few_matches(matches) -> bool:
    return facets.sampled_search_matches(matches) < FEW_SAMPLED
