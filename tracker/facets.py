"""Counts of a filtered item list per status, kind, document, theme and actor: a filter sidebar in one call.

A fixed number of GROUP BY queries (five), whatever the number of facet values. Theme counts include
the theme's descendants (as the `theme` filter does); actor counts are items the actor made or is
addressed by (as the `actor` filter does). Values with no item are left out.
"""

from django.db import connections
from django.db.models import Count

from tracker.enums import ItemKind, Status
from tracker.models import Actor, Item, Theme


def facets(queryset) -> dict[str, list[dict]]:
    """Facet counts for an item queryset (e.g. `ItemFilterSet(params, Item.objects.all()).qs`).

    With an `as_of` filter (queryset annotated with `status_as_of`) the status facet counts that status.
    """
    queryset = queryset.order_by()
    status_field = "status_as_of" if "status_as_of" in queryset.query.annotations else "status"
    ids = queryset.values("pk")
    return {
        "status": _choice_counts(queryset, status_field, Status),
        "kind": _choice_counts(queryset, "kind", ItemKind),
        "document": [
            {
                "id": row["document_id"],
                "slug": row["document__slug"],
                "title": row["document__title"],
                "count": row["n"],
            }
            for row in Item.objects.filter(pk__in=ids)
            .values("document_id", "document__slug", "document__title")
            .annotate(n=Count("pk"))
            .order_by("-n", "document__slug")
        ],
        "theme": theme_counts(ids),
        "actor": _actor_counts(ids),
    }


def _choice_counts(queryset, field: str, choices) -> list[dict]:
    labels = dict(choices.choices)
    rows = queryset.values(field).annotate(n=Count("pk")).order_by()
    counts = {row[field]: row["n"] for row in rows}
    return [
        {"value": value, "label": labels[value], "count": counts[value]} for value in choices.values if value in counts
    ]


def theme_counts(ids) -> list[dict]:
    """Items per theme, counting each theme's descendants, for `ids` (a values("pk") queryset of items)."""
    through = Item.themes.through._meta.db_table
    theme = Theme._meta.db_table
    sub_sql, params = ids.query.sql_with_params()
    # Each theme counts the distinct items tagged with it or with a theme below it (path prefix).
    sql = f"""
        SELECT t.id, t.slug, t.name, t.path, COUNT(DISTINCT it.item_id)
        FROM {theme} t
        JOIN {theme} d ON (d.path = t.path OR substr(d.path, 1, length(t.path) + 1) = t.path || '/')
        JOIN {through} it ON it.theme_id = d.id
        WHERE it.item_id IN ({sub_sql})
        GROUP BY t.id, t.slug, t.name, t.path
        ORDER BY t.path
    """  # noqa: S608 - table names from the models, values bound as parameters
    with connections[ids.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [{"id": r[0], "slug": r[1], "name": r[2], "path": r[3], "count": r[4]} for r in rows]


def _actor_counts(ids) -> list[dict]:
    made = Item.made_by.through._meta.db_table
    addressed = Item.addressed_to.through._meta.db_table
    actor = Actor._meta.db_table
    sub_sql, params = ids.query.sql_with_params()
    sql = f"""
        SELECT a.id, a.slug, a.name, COUNT(DISTINCT r.item_id) AS n
        FROM (
            SELECT actor_id, item_id FROM {made} WHERE item_id IN ({sub_sql})
            UNION ALL
            SELECT actor_id, item_id FROM {addressed} WHERE item_id IN ({sub_sql})
        ) r
        JOIN {actor} a ON a.id = r.actor_id
        GROUP BY a.id, a.slug, a.name
        ORDER BY n DESC, a.name
    """  # noqa: S608 - table names from the models, values bound as parameters
    with connections[ids.db].cursor() as cursor:
        cursor.execute(sql, [*params, *params])
        rows = cursor.fetchall()
    return [{"id": r[0], "slug": r[1], "name": r[2], "count": r[3]} for r in rows]
