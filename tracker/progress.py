"""Progress as pictures: items per status for each actor, document, theme and year.

One grouped query per chart, whatever the number of items (the theme chart is
dashboard.status_by_theme's); the geometry is numbers for server-rendered SVG, no markup here.
Each bar segment carries the item-list query that lists exactly its items.
"""

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.db import connection
from django.utils import timezone

from tracker import counts
from tracker.dashboard import BAR_WIDTH, STATUS_ORDER
from tracker.enums import Status
from tracker.models import Actor, Document, Item, StatusUpdate


@dataclass
class StatusRow:
    """One bar: a thing (actor, document, theme, year) and its items per status."""

    key: str  # the value of the list filter (a slug, or a year)
    name: str
    url: str  # the thing's own page ("" when it has none)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def status_by_actor(role: str, *, limit: int = 10) -> list[StatusRow]:
    """The `limit` actors with most items in `role` ("made_by" or "addressed_to"), per status, from the
    kept counts (tracker.counts): a few thousand summary rows, not a scan of the join table."""
    by_actor: dict[int, dict[str, int]] = {}
    for (actor_id, status), n in counts.summed(("actor_id", "status"), role=role).items():
        by_actor.setdefault(actor_id, {})[status] = n
    actors = Actor.objects.filter(pk__in=list(by_actor)).only("id", "slug", "name")
    rows = [StatusRow(a.slug, a.name, f"/actors/{a.slug}/", by_actor[a.pk]) for a in actors]
    return sorted(rows, key=lambda bar: (-bar.total, bar.name))[:limit]


def status_by_document() -> list[StatusRow]:
    """Every document with items, in date order (undated last), per status, from the kept counts."""
    by_document: dict[int, dict[str, int]] = {}
    for (document_id, status), n in counts.summed(("document_id", "status")).items():
        by_document.setdefault(document_id, {})[status] = n
    documents = Document.objects.filter(pk__in=list(by_document)).only("id", "slug", "title", "published")
    entries = [
        (d.published or date.max, StatusRow(d.slug, d.title, f"/documents/{d.slug}/", by_document[d.pk]))
        for d in documents
    ]
    return [bar for _, bar in sorted(entries, key=lambda entry: (entry[0], entry[1].key))]


def status_by_theme_rows(theme_rows) -> list[StatusRow]:
    """dashboard.status_by_theme's rows as StatusRows (themes with items only)."""
    return [
        StatusRow(row.theme.slug, row.theme.name, row.theme.get_absolute_url(), dict(row.counts))
        for row in theme_rows
        if row.total
    ]


def _year_sql(column: str) -> str:
    if connection.vendor == "sqlite":
        return f"CAST(strftime('%Y', {column}) AS INTEGER)"
    return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"


# Above this many items the chart over time is estimated from a sample (below): its exact form reads
# every status update (1.5 million at 1,000,000 items: 10+ s), and no kept count can answer it.
EXACT_HISTORY_LIMIT = 50_000


def status_over_time(*, until: int | None = None, sample_every: int = 1) -> list[StatusRow]:
    """Each year's items by the status they had at its end, from the dated history.

    An item counts from the year of its date (undated items are left out) and is Unknown until its
    first assessment, so each year's segment is what the item list shows with `as_of` and
    `date_before` at the year's end. Two grouped queries: the last status of each dated item in each
    year it was assessed, with the next such year (a window function), grouped into intervals
    (status, from, to); and items by (their year, their first assessment's year). The yearly counts
    are these intervals summed, so the work in Python grows with years, not items.

    sample_every > 1: only the items whose id is a multiple of it (the facet sample, SAMPLE_EVERY: a
    partial index holds them), each counted `sample_every` times: an estimate.
    """
    updates = StatusUpdate._meta.db_table
    items = Item._meta.db_table
    # The partial indexes' own predicates (migrations 0013 and 0014), on both sides of the join, so both
    # are read by index (written on one side only, PostgreSQL scanned every status update).
    every = int(sample_every)
    item_sample = f" AND (i.id % {every}) = 0" if every > 1 else ""
    update_sample = f" AND (u.item_id % {every}) = 0" if every > 1 else ""
    # An update dated before its item's year counts from the item's year (as the list shows it).
    year = f"CASE WHEN {_year_sql('u.assessed_on')} < {_year_sql('i.date')} THEN {_year_sql('i.date')} "
    year += f"ELSE {_year_sql('u.assessed_on')} END"
    intervals_sql = f"""
        SELECT status, y, y_next, COUNT(*) FROM (
            SELECT status, y, LEAD(y) OVER (PARTITION BY item_id ORDER BY y) AS y_next FROM (
                SELECT u.item_id, u.status, {year} AS y,
                    ROW_NUMBER() OVER (
                        PARTITION BY u.item_id, {year} ORDER BY u.assessed_on DESC, u.created_at DESC, u.id DESC
                    ) AS rn
                FROM {updates} u JOIN {items} i ON i.id = u.item_id
                WHERE i.date IS NOT NULL{item_sample}{update_sample}
            ) last_of_year WHERE rn = 1
        ) spans GROUP BY status, y, y_next
    """  # noqa: S608 - table names from the models, no values
    starts_sql = f"""
        SELECT y0, y1, COUNT(*) FROM (
            SELECT {_year_sql("i.date")} AS y0, MIN({_year_sql("u.assessed_on")}) AS y1
            FROM {items} i LEFT JOIN {updates} u ON u.item_id = i.id{update_sample}
            WHERE i.date IS NOT NULL{item_sample}
            GROUP BY i.id, i.date
        ) firsts GROUP BY y0, y1
    """  # noqa: S608 - table names from the models, no values
    with connection.cursor() as cursor:
        cursor.execute(intervals_sql)
        spans = [(status, start, end, n * sample_every) for status, start, end, n in cursor.fetchall()]
        cursor.execute(starts_sql)
        for start, first, n in cursor.fetchall():
            if first is None or start < first:
                spans.append((Status.UNKNOWN, start, first, n * sample_every))  # not yet assessed
    if not spans:
        return []
    last = until or timezone.localdate().year
    first_year = min(start for _, start, _, _ in spans)
    years = {y: StatusRow(str(y), str(y), "") for y in range(first_year, last + 1)}
    for status, start, end, n in spans:
        for y in range(start, min(end or last + 1, last + 1)):
            years[y].counts[status] = years[y].counts.get(status, 0) + n
    return [row for row in years.values() if row.total]


def bars(rows: list[StatusRow], param: str, *, scale: str = "widest", extra: dict | None = None) -> list[dict]:
    """Stacked-bar geometry: segments in STATUS_ORDER laid end to end. `scale`: "widest" (the
    longest bar fills BAR_WIDTH) or "share" (every bar is 100%). Each segment's `query` lists its
    items: `param`=the row's key and its status (plus `extra` parameters)."""
    widest = max((row.total for row in rows), default=0) or 1
    result = []
    for row in rows:
        full = row.total if scale == "share" else widest
        x = 0.0
        segments = []
        for status in STATUS_ORDER:
            count = row.counts.get(status, 0)
            if not count:
                continue
            width = BAR_WIDTH * count / (full or 1)
            query = (
                {param: row.key, **(extra or {}), "status": status} if param else {**(extra or {}), "status": status}
            )
            segments.append(
                {
                    "status": status,
                    "label": Status.label_of(status),
                    "count": count,
                    "percent": round(100 * count / row.total) if row.total else 0,
                    "x": round(x, 2),
                    "width": round(width, 2),
                    "query": urlencode(query),
                }
            )
            x += width
        result.append(
            {
                "key": row.key,
                "name": row.name,
                "url": row.url,
                "total": row.total,
                "segments": segments,
                "cells": [(status, Status.label_of(status), row.counts.get(status, 0)) for status in STATUS_ORDER],
                "query": urlencode({param: row.key, **(extra or {})}) if param else urlencode(extra or {}),
            }
        )
    return result


def year_bars(rows: list[StatusRow]) -> list[dict]:
    """Status over time: each year a 100% bar; a segment lists the items with that status at the year's end."""
    result = []
    for row in rows:
        end = f"{row.key}-12-31"
        (bar,) = bars([row], "", scale="share", extra={"as_of": end, "date_before": end})
        result.append(bar)
    return result


def recently_assessed(limit: int = 10):
    """The latest status updates recorded (not any edit), newest first, with their items."""
    return (
        StatusUpdate.objects.select_related("item")
        .only("id", "status", "assessed_on", "created_at", "note", "item__reference", "item__title", "item__kind")
        .order_by("-created_at", "-id")[:limit]
    )
