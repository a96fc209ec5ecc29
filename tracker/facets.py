"""Counts of a filtered item list per status, kind, document, theme and actor: a filter sidebar in one call.

Three ways, the cheapest that is right for the filter:

- **Kept counts**: with no filter, or only status and kind, every facet is read from ItemCount
  (tracker.counts), which the database keeps up to date: exact, a few hundred rows.
- **Recount**: any other filter matching at most EXACT_LIMIT items: the matching ids are fetched once
  (at most EXACT_LIMIT + 1 rows, which also tells whether there are more) and counted exactly.
- **Estimate**: a filter matching more: counted over the items whose id is a multiple of SAMPLE_EVERY
  (a partial index holds them, migration 0012) and scaled up; the result says `estimated: true` and the
  pages show "about".

The kept counts also help the other two where they hold the filter (one actor in one role, one theme, statuses and
kinds: kept_total): their total decides between recount and estimate without probing for EXACT_LIMIT + 1 ids, and
for one actor without a theme filter the recount reads the theme facet from them (exact) instead of the items'
(item, theme) pairs.

Theme counts include the theme's descendants (as the `theme` filter does); actor counts are items the
actor made or is addressed by (as the `actor` filter does). Values with no item are left out.
"""

import copy

from django.db import connections, transaction
from django.db.models import Count, ExpressionWrapper, F, IntegerField, Lookup
from django.db.models.sql.where import WhereNode

from tracker import counts
from tracker.enums import ItemKind, Status
from tracker.models import Actor, ActorRole, Document, Item, Theme
from tracker.querysets import RelatedRowsExist

EXACT_LIMIT = 5_000
SAMPLE_EVERY = 128
# A search whose sample shows more than this many times EXACT_LIMIT matches is estimated without the exact probe:
# with 78 or more sampled matches, fewer than 5,000 matches in all would be a sample off by more than half.
SURELY_MORE = 2
# Filters the kept counts answer (with every facet): status and kind, any number of values each.
KEPT_FILTERS = {"status", "kind"}


def facets(queryset, filters: dict | None = None) -> dict:
    """Facet counts for an item queryset (e.g. `ItemFilterSet(params, Item.objects.all()).qs`).

    `filters`: the FilterSet's cleaned data, when known (lets the kept counts answer). With an `as_of`
    filter (queryset annotated with `status_as_of`) the status facet counts that status.
    """
    if filters is not None and set(_active(filters)) <= KEPT_FILTERS:
        return kept_facets(statuses=filters.get("status") or (), kinds=filters.get("kind") or ())
    queryset = queryset.order_by()
    sampled = _sampled(queryset)
    if (filters or {}).get("q"):
        # A search's matches come from its GIN index but each must be read from the table: the exact-limit probe
        # read 3,800 table pages for "border police" (0.6 s cold at 1,000,000 items). The sample first, then (its
        # bitmap ANDed with the search's: a few hundred pages); when it already shows clearly more than EXACT_LIMIT
        # matches the probe is skipped. Below that the probe decides, as for any filter.
        sample_ids = _sample_ids(sampled, bitmap=True)
        if len(sample_ids) * SAMPLE_EVERY > SURELY_MORE * EXACT_LIMIT:
            return {**_recount(sampled, sample_ids, SAMPLE_EVERY), "estimated": True}
    kept_where = _kept_where(filters)
    known = None if kept_where is None else counts.total(**kept_where)
    if known is not None and known > EXACT_LIMIT:
        # The kept counts already say it is more than EXACT_LIMIT: no probe (5,001 ids of a popular actor, 84 ms of
        # its 107 ms cold at 1,000,000 items).
        ids = []
        estimated = True
    else:
        ids = list(queryset.values_list("pk", flat=True)[: EXACT_LIMIT + 1])
        estimated = len(ids) > EXACT_LIMIT
    scale = 1
    if estimated:
        scale = SAMPLE_EVERY
        queryset = sampled
        ids = _sample_ids(queryset)
    # One actor, no theme filter: the theme facet is a kept count too (exact; it spares a probe per item into the
    # (item, theme) index: 40 MB read at random, 16-88 ms cold for 2,800 items at 1,000,000).
    themes_kept = None if estimated or kept_where is None or "theme" in kept_where else kept_where
    result = _recount(queryset, ids, scale, themes_kept=themes_kept)
    result["estimated"] = estimated
    return result


def _sampled(queryset):
    """The queryset's items in the 1-in-SAMPLE_EVERY sample, its predicate stated in each join-table filter too."""
    sample = ExpressionWrapper(F("pk") % SAMPLE_EVERY, output_field=IntegerField())
    sampled = queryset.order_by().alias(facet_sample=sample).filter(facet_sample=0)
    _sample_join_filters(sampled.query.where, SAMPLE_EVERY)
    return sampled


def sampled_search_matches(queryset) -> int:
    """How many items of the sample a full-text search's `queryset` matches, read as the facets' estimate reads
    them (the sample's index and the GIN index ANDed as bitmaps): a real estimate of its matches / SAMPLE_EVERY
    where PostgreSQL's own is poor (a phrase: tracker.search)."""
    return len(_sample_ids(_sampled(queryset), bitmap=True))


def _sample_join_filters(node, every: int) -> None:
    """State the sample's predicate inside each join-table filter (RelatedRowsExist) of this query's WHERE tree
    (a clone: the filters are replaced by copies): an item in the sample has only sampled join rows, so the
    result is the same, but each probe can then read the sample's small partial index (0015) instead of the
    join table's full index. For a popular actor the 7,812 probes into the actors' 3 million role rows
    cost 0.5 s cold at 1,000,000 items."""
    for index, child in enumerate(node.children):
        if isinstance(child, WhereNode):
            _sample_join_filters(child, every)
        elif isinstance(child, Lookup) and isinstance(child.lhs, RelatedRowsExist):
            lookup, condition = copy.copy(child), child.lhs.copy()
            condition.sample_every = every
            lookup.lhs = condition
            node.children[index] = lookup
        elif isinstance(child, RelatedRowsExist):
            condition = child.copy()
            condition.sample_every = every
            node.children[index] = condition


def _sample_ids(queryset, *, bitmap: bool = False) -> list[int]:
    """The sample's matching ids, driven from the sample's index (7,812 items at 1,000,000): each join-table
    filter is then one index probe per sampled item, a bounded cost. Left to choose, PostgreSQL merged the
    sample with every index entry of a popular actor (400,000 for the most popular: 0.5 s instead of 0.05).

    bitmap=True (a full-text search): the sample's index and the search's GIN index are ANDed as bitmaps, so
    only the sampled matches are read from the table (375 pages for "border police" instead of the sample's
    7,812: PostgreSQL otherwise walked the sample's index, reading every sampled row to test its vector)."""
    values = queryset.values_list("pk", flat=True)
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return list(values)
    settings = ["enable_mergejoin", "enable_hashjoin"] + (["enable_indexscan"] if bitmap else [])
    with transaction.atomic(using=queryset.db), connection.cursor() as cursor:
        for setting in settings:
            cursor.execute(f"SET LOCAL {setting} = off")
        ids = list(values)
        # Back to the session's settings, should this run inside a longer transaction.
        for setting in settings:
            cursor.execute(f"SET LOCAL {setting} TO DEFAULT")
    return ids


# Filters whose item count the kept counts hold (one actor in one role, one theme with its descendants, statuses and
# kinds): the one actor filter given and the role it counts in.
ACTOR_FILTERS = {"actor": counts.ANY_ROLE, "made_by": "made_by", "addressed_to": "addressed_to"}


def kept_total(filters: dict | None) -> int | None:
    """How many items match `filters` (a FilterSet's cleaned data), from the kept counts when they hold it: at most
    one actor filter with one actor, at most one theme, any statuses and kinds. None for any other filter, and when
    the filters are not known (None)."""
    where = _kept_where(filters)
    return None if where is None else counts.total(**where)


def _active(filters: dict) -> dict:
    """The filters given a value (a FilterSet's cleaned data holds every filter; the ordering filters nothing)."""
    return {name: value for name, value in filters.items() if value not in (None, "", [], ()) and name != "ordering"}


def _kept_where(filters: dict | None) -> dict | None:
    """tracker.counts.summed's arguments for the items `filters` select, when the kept counts hold them (kept_total)."""
    if filters is None:
        return None
    active = _active(filters)
    actors = [name for name in active if name in ACTOR_FILTERS]
    if set(active) - KEPT_FILTERS - set(ACTOR_FILTERS) - {"theme"} or len(actors) > 1:
        return None
    if any(len(active[name]) != 1 for name in (*actors, "theme") if name in active):
        return None
    where = {"statuses": active.get("status") or (), "kinds": active.get("kind") or ()}
    if "theme" in active:
        where["theme"] = active["theme"][0].pk
    if actors:
        where.update(actor=active[actors[0]][0].pk, role=ACTOR_FILTERS[actors[0]])
    return where


def kept_facets(*, statuses=(), kinds=()) -> dict:
    """Every facet from the kept counts, for items with one of `statuses` and one of `kinds` (empty: any)."""
    where = {"statuses": statuses, "kinds": kinds}
    by_document = counts.summed("document_id", **where)
    by_theme = counts.summed("theme_id", **where)
    by_actor = counts.summed("actor_id", role=counts.ANY_ROLE, **where)
    return {
        "status": _choices(counts.summed("status", **where), Status),
        "kind": _choices(counts.summed("kind", **where), ItemKind),
        "document": _documents(by_document),
        "theme": _themes(by_theme),
        "actor": _actors(by_actor),
        "estimated": False,
    }


def _recount(queryset, ids: list[int], scale: int, *, themes_kept: dict | None = None) -> dict:
    """The facets of the items `ids` (the sample's, scaled up, when scale > 1). themes_kept: the kept counts'
    arguments (tracker.counts.summed) that select the same items, to read the theme facet from."""
    by_status: dict = {}
    by_kind: dict = {}
    by_document: dict = {}
    for status, kind, document, n in _row_counts(ids, queryset.db, sample_every=scale):
        by_status[status] = by_status.get(status, 0) + n
        by_kind[kind] = by_kind.get(kind, 0) + n
        by_document[document] = by_document.get(document, 0) + n
    if "status_as_of" in queryset.query.annotations:
        by_status = dict(queryset.values_list("status_as_of").annotate(n=Count("pk")).order_by())
    every_theme = list(Theme.objects.only("id", "slug", "name", "path").order_by("path"))
    if themes_kept is not None:
        by_theme = counts.summed("theme_id", using=queryset.db, **themes_kept)
    else:
        paths = {theme.pk: theme.path for theme in every_theme}
        by_theme = _theme_counts(ids, queryset.db, paths, sample_every=scale)
    by_actor = _actor_counts(ids, queryset.db, sample_every=scale)
    if scale != 1:
        by_status, by_kind, by_document, by_theme, by_actor = (
            {key: n * scale for key, n in counted.items()}
            for counted in (by_status, by_kind, by_document, by_theme, by_actor)
        )
    return {
        "status": _choices(by_status, Status),
        "kind": _choices(by_kind, ItemKind),
        "document": _documents(by_document),
        "theme": _theme_rows(every_theme, by_theme),
        "actor": _actors(by_actor),
    }


def _row_counts(ids: list[int], using: str, *, sample_every: int = 1) -> list[tuple]:
    """(status, kind, document, items) for the items `ids`. Sampled ids: the partial index's predicate is
    added, so PostgreSQL reads them from the sample index that covers these columns (migration 0014)."""
    if not ids:
        return []
    connection = connections[using]
    condition, params = _id_condition("id", ids, connection.vendor, sample_every)
    sql = (
        f"SELECT status, kind, document_id, COUNT(*) FROM {Item._meta.db_table} "  # noqa: S608
        f"WHERE {condition} GROUP BY status, kind, document_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _id_condition(column: str, ids: list[int], vendor: str, sample_every: int = 1) -> tuple[str, list]:
    """`column` in `ids`; sampled ids (sample_every > 1) add the sample's predicate, so that PostgreSQL reads
    them from the sample's partial indexes (migrations 0014 and 0015), a few hundred pages."""
    if vendor == "postgresql":
        condition, params = f"{column} = ANY(%s)", [ids]
    else:
        condition, params = f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)
    if sample_every > 1:
        condition += f" AND ({column} %% {int(sample_every)}) = 0"  # %%: the driver's escape for %
    return condition, params


def _theme_counts(ids: list[int], using: str, themes: dict[int, str], *, sample_every: int = 1) -> dict[int, int]:
    """Items per theme with its descendants (each item once per theme): the items' (item, theme) pairs
    from the join table's (item_id, theme_id) index, rolled up to every ancestor here, by the themes'
    materialised paths (a join on path prefixes cost PostgreSQL 40-170 ms for a sample of 3,000 items).
    `themes`: {id: path} of every theme."""
    if not ids:
        return {}
    connection = connections[using]
    condition, params = _id_condition("item_id", ids, connection.vendor, sample_every)
    through = Item.themes.through._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT item_id, theme_id FROM {through} WHERE {condition}", params)  # noqa: S608
        pairs = cursor.fetchall()
    by_path = {path: pk for pk, path in themes.items()}
    ancestors: dict[int, list[int]] = {}
    for pk, path in themes.items():
        parts = path.split("/")
        prefixes = ("/".join(parts[: i + 1]) for i in range(len(parts)))
        ancestors[pk] = [by_path[prefix] for prefix in prefixes if prefix in by_path]
    under: dict[int, set[int]] = {}
    for item_id, theme_id in pairs:
        for ancestor in ancestors.get(theme_id, ()):
            under.setdefault(ancestor, set()).add(item_id)
    return {theme_id: len(items) for theme_id, items in under.items()}


def _actor_counts(ids: list[int], using: str, *, sample_every: int = 1) -> dict[int, int]:
    """Items each actor made or is addressed by (ActorRole: both roles in one table)."""
    if not ids:
        return {}
    connection = connections[using]
    condition, params = _id_condition("item_id", ids, connection.vendor, sample_every)
    sql = (
        f"SELECT actor_id, COUNT(DISTINCT item_id) FROM {ActorRole._meta.db_table} "  # noqa: S608
        f"WHERE {condition} GROUP BY actor_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def _choices(counted: dict, choices) -> list[dict]:
    labels = dict(choices.choices)
    return [
        {"value": value, "label": labels[value], "count": counted[value]}
        for value in choices.values
        if counted.get(value)
    ]


def _documents(counted: dict) -> list[dict]:
    documents = Document.objects.filter(pk__in=list(counted)).only("id", "slug", "title")
    rows = [{"id": d.pk, "slug": d.slug, "title": d.title, "count": counted[d.pk]} for d in documents]
    return sorted(rows, key=lambda row: (-row["count"], row["slug"]))


def _themes(counted: dict) -> list[dict]:
    themes = Theme.objects.filter(pk__in=list(counted)).only("id", "slug", "name", "path").order_by("path")
    return _theme_rows(themes, counted)


def _theme_rows(themes, counted: dict) -> list[dict]:
    """The themes (in path order) that have items, with their counts."""
    return [
        {"id": t.pk, "slug": t.slug, "name": t.name, "path": t.path, "count": counted[t.pk]}
        for t in themes
        if counted.get(t.pk)
    ]


def _actors(counted: dict) -> list[dict]:
    actors = Actor.objects.filter(pk__in=list(counted)).only("id", "slug", "name")
    rows = [{"id": a.pk, "slug": a.slug, "name": a.name, "count": counted[a.pk]} for a in actors]
    return sorted(rows, key=lambda row: (-row["count"], row["name"]))


def theme_counts() -> list[dict]:
    """Items per theme (with its descendants) over all items, from the kept counts."""
    return _themes(counts.summed("theme_id"))
