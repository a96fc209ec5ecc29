"""Item rows for the API built from values() queries: item details, and item lists on SQLite.

Instantiating models and related managers for 50 items with their actors, themes and citations is
where Django REST framework spent most of each request (see PERF-NOTES); here every row is a dict
from one values() query for the page plus one UNION ALL query for the relations (made_by,
addressed_to, themes, citations), and no model instances. On PostgreSQL item lists are rendered by
the database in the same representation (tracker.api.json_rows, whose SQL is
tracker/sql/item_rows_json.sql; checked against build_rows by the tests); render_page chooses.
`ItemSerializer` documents the shape for the OpenAPI schema; the tests compare both.
"""

from collections import defaultdict
from datetime import UTC

from django.db import connection

from tracker.api import json_rows
from tracker.api.links import item_api_affixes, item_page_affixes, item_page_url, status_history_prefix
from tracker.api.renderers import RawJSON
from tracker.models import Actor, Citation, Document, Item, Theme

__all__ = ["build_rows", "item_page_affixes", "item_page_url", "render_page", "row_keys", "row_values"]

ROW_FIELDS = (
    "id",
    "reference",
    "kind",
    "title",
    "text",
    "status",
    "review_state",
    "strength",
    "date",
    "target_date",
    "updated_at",
    "document_id",
    "document__slug",
    "document__title",
    "section_id",
    "section__number",
    "section__heading",
)


def utc_timestamp(value) -> str:
    """UTC with microseconds and Z, whatever TIME_ZONE is: the same text PostgreSQL renders (json_rows)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def row_values(queryset):
    """The values() queryset the rows are built from (keeps an as_of annotation when there is one)."""
    fields = ROW_FIELDS
    if "status_as_of" in queryset.query.annotations:
        fields = (*fields, "status_as_of")
    return queryset.values(*fields)


def row_keys(queryset):
    """(id, status) pairs: what tracker.api.json_rows needs of a page (the as_of status when there is one)."""
    status = "status_as_of" if "status_as_of" in queryset.query.annotations else "status"
    return queryset.values_list("id", status)


def render_page(queryset, paginate, *, base: str = "", as_of=None):
    """One page of the filtered items in the API representation: the one place that picks the renderer.

    `paginate` cuts a page from a queryset (the view's paginate_queryset). PostgreSQL renders the
    page's JSON itself (tracker.api.json_rows: only ids and statuses leave the database); elsewhere
    build_rows renders dicts from row_values(). Same JSON either way.
    """
    if connection.vendor == "postgresql":
        keys = paginate(row_keys(queryset))
        return RawJSON(json_rows.page_json(keys, base=base, as_of=as_of))
    return build_rows(paginate(row_values(queryset)), base=base, as_of=as_of)


def build_rows(values: list[dict], *, base: str = "", as_of=None) -> list[dict]:
    """The API representation of items given as row_values() dicts, in the same order."""
    ids = [v["id"] for v in values]
    if not ids:
        return []
    made_by, addressed_to, themes, citations = _relations(ids)
    page_url = item_page_url(base)
    api_prefix, api_suffix = item_api_affixes(base)
    history_prefix = status_history_prefix(base)
    as_of_text = as_of.isoformat() if as_of else None
    rows = []
    for v in values:
        pk = v["id"]
        rows.append(
            {
                "id": pk,
                "reference": v["reference"],
                "kind": v["kind"],
                "title": v["title"],
                "text": v["text"],
                "status": v.get("status_as_of", v["status"]),
                "as_of": as_of_text,
                "review_state": v["review_state"],
                "strength": v["strength"],
                "date": v["date"].isoformat() if v["date"] else None,
                "target_date": v["target_date"].isoformat() if v["target_date"] else None,
                "document": {"id": v["document_id"], "slug": v["document__slug"], "title": v["document__title"]},
                "section": {"id": v["section_id"], "number": v["section__number"], "heading": v["section__heading"]}
                if v["section_id"]
                else None,
                "made_by": made_by.get(pk, []),
                "addressed_to": addressed_to.get(pk, []),
                "themes": themes.get(pk, []),
                "citations": citations.get(pk, []),
                "updated_at": utc_timestamp(v["updated_at"]),
                "api_url": f"{api_prefix}{pk}{api_suffix}",
                "url": page_url(v["reference"]),
                "status_history_url": f"{history_prefix}{pk}",
            }
        )
    return rows


# Typed NULLs: PostgreSQL takes a UNION column's type from its first branch.
RELATIONS_SQL = """
    SELECT 'm', r.item_id, a.id, a.slug, a.name, {no_citation}, CAST(NULL AS VARCHAR(500))
    FROM {made} r JOIN {actor} a ON a.id = r.actor_id WHERE r.item_id IN ({ids})
    UNION ALL
    SELECT 'a', r.item_id, a.id, a.slug, a.name, {no_citation}, CAST(NULL AS VARCHAR(500))
    FROM {addressed} r JOIN {actor} a ON a.id = r.actor_id WHERE r.item_id IN ({ids})
    UNION ALL
    SELECT 't', r.item_id, t.id, t.slug, t.name, {no_citation}, t.path
    FROM {item_themes} r JOIN {theme} t ON t.id = r.theme_id WHERE r.item_id IN ({ids})
    UNION ALL
    SELECT 'c', c.item_id, c.id, d.slug, c.quote, c.document_id, c.section_id, c.{start}, c.{end},
           CAST(c.position AS VARCHAR(500))
    FROM {citation} c JOIN {document} d ON d.id = c.document_id WHERE c.item_id IN ({ids})
"""
NO_CITATION = "CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS INTEGER), CAST(NULL AS INTEGER)"


def _relations(ids):
    """Actors (both roles), themes and citations of the page's items in ONE query (a UNION ALL).

    One round trip instead of four, and no ORM query compilation: on a page of 50 items that is a
    quarter of the request's time. Rows are sorted here (a few hundred at most).
    """
    tables = {
        "made": Item.made_by.through._meta.db_table,
        "addressed": Item.addressed_to.through._meta.db_table,
        "item_themes": Item.themes.through._meta.db_table,
        "actor": Actor._meta.db_table,
        "theme": Theme._meta.db_table,
        "citation": Citation._meta.db_table,
        "document": Document._meta.db_table,
        "start": connection.ops.quote_name("start"),
        "end": connection.ops.quote_name("end"),
        "ids": ", ".join(["%s"] * len(ids)),
        "no_citation": NO_CITATION,
    }
    # Table and column names come from the models; the ids are bound parameters.
    sql = RELATIONS_SQL.format(**tables)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, *ids, *ids, *ids])
        rows = cursor.fetchall()
    made_by, addressed_to, themes, citations = (defaultdict(list) for _ in range(4))
    actors_of = {"m": made_by, "a": addressed_to}
    for kind, item_id, pk, slug, text, document_id, section_id, start, end, _extra in sorted(rows, key=_row_order):
        if kind in actors_of:
            actors_of[kind][item_id].append({"id": pk, "slug": slug, "name": text})
        elif kind == "t":
            themes[item_id].append({"id": pk, "slug": slug, "name": text})
        else:
            citations[item_id].append(
                {
                    "id": pk,
                    "document": document_id,
                    "document_slug": slug,
                    "section": section_id,
                    "start": start,
                    "end": end,
                    "quote": text,
                }
            )
    return made_by, addressed_to, themes, citations


def _row_order(row):
    """Actors by name, themes by tree path, citations by position; the id breaks ties."""
    kind, _item, pk, _slug, text, *_rest, extra = row
    if kind == "t":
        return (kind, extra, pk)
    if kind == "c":
        return (kind, extra.zfill(6), pk)
    return (kind, text, pk)
