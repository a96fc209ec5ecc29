"""The dashboard's aggregates: one query each, whatever the number of items."""

from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, Q, Value, When

from tracker.enums import ItemKind, Status
from tracker.models import Document, Item, Theme

# The chart's stacking order: delivered first, then work under way, then the rest.
STATUS_ORDER: tuple[str, ...] = (
    Status.IMPLEMENTED,
    Status.PARTIALLY_IMPLEMENTED,
    Status.IN_PROGRESS,
    Status.NOT_STARTED,
    Status.STALLED,
    Status.SUPERSEDED,
    Status.UNKNOWN,
)


@dataclass
class KindCount:
    kind: str
    label: str
    count: int


def kind_counts() -> list[KindCount]:
    """How many recommendations, commitments and author proposals there are (zeros included)."""
    counts = dict(Item.objects.order_by().values_list("kind").annotate(n=Count("id")))
    return [KindCount(kind, label, counts.get(kind, 0)) for kind, label in ItemKind.choices]


@dataclass
class ThemeStatusRow:
    theme: Theme
    counts: dict[str, int]  # status -> items under the theme (with its descendants)
    total: int = 0
    cells: list[tuple[str, str, int]] = field(default_factory=list)  # (status, label, count) in STATUS_ORDER


def status_by_theme() -> list[ThemeStatusRow]:
    """Items under each top-level theme (its own and its descendants'), counted once per status."""
    themes = list(Theme.objects.only("id", "slug", "name", "path", "parent_id", "position"))
    roots = {theme.path.split("/")[0]: theme for theme in themes if theme.parent_id is None}
    root_of = {theme.id: roots[theme.path.split("/")[0]].id for theme in themes if theme.path.split("/")[0] in roots}
    if not root_of:
        return []
    through = Item.themes.through
    # One GROUP BY over the join table: the CASE maps each theme to its root, and the distinct item
    # count keeps an item filed under two sub-themes of one root from being counted twice.
    root = Case(
        *(When(theme_id=theme_id, then=Value(root_id)) for theme_id, root_id in root_of.items()),
        output_field=IntegerField(),
    )
    rows = (
        through.objects.order_by()
        .annotate(root=root)
        .values("root", "item__status")
        .annotate(n=Count("item_id", distinct=True))
    )
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["root"], {})[row["item__status"]] = row["n"]
    labels = dict(Status.choices)
    result = []
    for theme in sorted(roots.values(), key=lambda t: (t.position, t.path)):
        by_status = counts.get(theme.id, {})
        result.append(
            ThemeStatusRow(
                theme=theme,
                counts=by_status,
                total=sum(by_status.values()),
                cells=[(status, labels[status], by_status.get(status, 0)) for status in STATUS_ORDER],
            )
        )
    return result


@dataclass
class ActorProgress:
    name: str
    slug: str
    total: int
    implemented: int

    @property
    def percent(self) -> int:
        return round(100 * self.implemented / self.total) if self.total else 0


def actor_progress(limit: int = 12) -> list[ActorProgress]:
    """The actors most items are addressed to, with how many of those are implemented."""
    through = Item.addressed_to.through
    rows = (
        through.objects.order_by()
        .values("actor_id", "actor__name", "actor__slug")
        .annotate(total=Count("item_id"), implemented=Count("item_id", filter=Q(item__status=Status.IMPLEMENTED)))
        .order_by("-total", "actor__name")[:limit]
    )
    return [ActorProgress(r["actor__name"], r["actor__slug"], r["total"], r["implemented"]) for r in rows]


def document_timeline():
    """Every document by date with its item count (undated ones last)."""
    return (
        Document.objects.annotate(item_count=Count("items"))
        .only("slug", "title", "kind", "publisher", "published", "date_precision")
        .order_by(F("published").asc(nulls_last=True), "slug")
    )


def recently_updated(limit: int = 10):
    return Item.objects.only("id", "reference", "title", "status", "kind", "updated_at").order_by("-updated_at", "-id")[
        :limit
    ]


# --- Chart geometry: numbers for server-rendered SVG (viewBox units), no markup here. -----------------

BAR_WIDTH = 1000  # viewBox width of one bar


def stacked_bars(rows: list[ThemeStatusRow], widest: int) -> list[dict]:
    """Each theme's bar: its status segments laid end to end, the longest bar filling BAR_WIDTH."""
    bars = []
    for row in rows:
        x = 0.0
        parts = []
        for status, label, count in row.cells:
            if not count:
                continue
            width = BAR_WIDTH * count / widest
            parts.append({"status": status, "label": label, "count": count, "x": round(x, 2), "width": round(width, 2)})
            x += width
        bars.append({"theme": row.theme, "total": row.total, "cells": row.cells, "segments": parts})
    return bars


def progress_bars(rows: list[ActorProgress]) -> list[dict]:
    widest = max((row.total for row in rows), default=0) or 1
    return [
        {
            "actor": row,
            "total_width": round(BAR_WIDTH * row.total / widest, 2),
            "implemented_width": round(BAR_WIDTH * row.implemented / widest, 2),
        }
        for row in rows
    ]


TIMELINE_FIRST_YEAR = 2005
TIMELINE_LAST_YEAR = 2025
STRIP_LEFT, STRIP_RIGHT = 30, 970  # viewBox x of the first and the last year


def timeline_strip(documents) -> dict:
    """Year ticks from 2005 to 2025 (wider if a document lies outside) and one dot per dated document."""
    years = [d.published.year for d in documents if d.published]
    first = min([TIMELINE_FIRST_YEAR, *years])
    last = max([TIMELINE_LAST_YEAR, *years])
    span = (last + 1 - first) or 1

    def x_of(year: float) -> float:
        return round(STRIP_LEFT + (STRIP_RIGHT - STRIP_LEFT) * (year - first) / span, 2)

    most = max((d.item_count for d in documents), default=0) or 1
    dots = []
    for document in documents:
        if not document.published:
            continue
        when = document.published.year + (document.published.timetuple().tm_yday - 1) / 366
        dots.append(
            {
                "document": document,
                "x": x_of(when),
                "r": round(5 + 11 * (document.item_count / most) ** 0.5, 2),
            }
        )
    ticks = [{"year": year, "x": x_of(year), "label": year % 5 == 0} for year in range(first, last + 2)]
    return {"ticks": ticks, "dots": dots, "left": STRIP_LEFT, "right": STRIP_RIGHT}
