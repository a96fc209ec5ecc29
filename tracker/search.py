"""Free-text search over items.

PostgreSQL: full-text search on the stored `Item.search_vector` (a trigger keeps it, GIN index
`item_search_vector_gin_idx`, migration 0002) with a websearch query in the english config, and a
`search_rank` annotation (SearchRank) to order by relevance, computed for the newest RANK_CANDIDATES
matches only (ranked_candidates). Elsewhere (SQLite): every word must
occur, case-insensitively, in the reference, the title or the text.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections
from django.db.models import F, Q

SEARCH_CONFIG = "english"


# A ranked search ranks at most this many matches: the newest (highest ids). Ranking every match read
# every matching row (222,000 for "trade" at 1,000,000 items: 0.7-2 s); these are read newest first
# along the primary key, or from the GIN index when the word is rare, then ranked.
RANK_CANDIDATES = 2_000


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
        return ranked_candidates(queryset, query), True
    condition = Q()
    for word in words:
        condition &= Q(reference__icontains=word) | Q(title__icontains=word) | Q(text__icontains=word)
    return queryset.filter(condition), False


def ranked_candidates(matches, query):
    """The newest RANK_CANDIDATES of `matches`, annotated with `search_rank` (ts_rank) for ordering.

    The guarantee: among those candidates the order is exactly by relevance (rank, then id); a match
    older than the newest RANK_CANDIDATES is not listed when ranked (ordered by id, every match is).
    """
    candidates = matches.order_by("-id").values("id")[:RANK_CANDIDATES]
    return matches.filter(id__in=candidates).annotate(search_rank=SearchRank(F("search_vector"), query))
