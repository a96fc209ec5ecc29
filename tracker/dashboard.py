"""The dashboard's aggregates, read from the counts the database keeps (tracker.counts)."""

from dataclasses import dataclass, field

from django.db.models import F

from tracker import counts
from tracker.enums import ItemKind, Status
from tracker.models import Document, Theme

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
    by_kind = counts.summed("kind")
    return [KindCount(kind, label, by_kind.get(kind, 0)) for kind, label in ItemKind.choices]


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
    roots_by_id = {theme.id: theme for theme in roots.values()}
    if not roots_by_id:
        return []
    # ItemCount counts an item once under each theme and its ancestors: a root's row is its whole subtree.
    counts_by: dict[int, dict[str, int]] = {}
    for (theme_id, status), n in counts.summed(("theme_id", "status")).items():
        if theme_id in roots_by_id:
            counts_by.setdefault(theme_id, {})[status] = n
    labels = dict(Status.choices)
    result = []
    for theme in sorted(roots.values(), key=lambda t: (t.position, t.path)):
        by_status = counts_by.get(theme.id, {})
        result.append(
            ThemeStatusRow(
                theme=theme,
                counts=by_status,
                total=sum(by_status.values()),
                cells=[(status, labels[status], by_status.get(status, 0)) for status in STATUS_ORDER],
            )
        )
    return result


def document_timeline() -> list:
    """Every document by date with its item count (undated ones last)."""
    return with_item_counts(
        Document.objects.only("slug", "title", "kind", "publisher", "published", "date_precision").order_by(
            F("published").asc(nulls_last=True), "slug"
        )
    )


def with_item_counts(documents) -> list:
    """The documents, each with `item_count` from the kept counts."""
    by_document = counts.summed("document_id")
    documents = list(documents)
    for document in documents:
        document.item_count = by_document.get(document.pk, 0)
    return documents


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
