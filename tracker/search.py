"""Free-text search over items.

PostgreSQL: full-text search on the stored `Item.search_vector` (a trigger keeps it, GIN index
`item_search_vector_gin_idx`, migration 0002) with a websearch query in the english config, and a
`search_rank` annotation (SearchRank) to order by relevance. Elsewhere (SQLite): every word must
occur, case-insensitively, in the reference, the title or the text.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections
from django.db.models import F, Q

SEARCH_CONFIG = "english"


def search_items(queryset, text: str, *, rank: bool = True):
    """Return (filtered queryset, ranked) where ranked says whether `search_rank` is annotated.

    rank=False when the results are ordered otherwise: the rank is then neither computed nor built.
    """
    words = text.split()
    if not words:
        return queryset, False
    if connections[queryset.db].vendor == "postgresql":
        query = SearchQuery(" ".join(words), search_type="websearch", config=SEARCH_CONFIG)
        queryset = queryset.filter(search_vector=query)
        if not rank:
            return queryset, False
        return queryset.annotate(search_rank=SearchRank(F("search_vector"), query)), True
    condition = Q()
    for word in words:
        condition &= Q(reference__icontains=word) | Q(title__icontains=word) | Q(text__icontains=word)
    return queryset.filter(condition), False
