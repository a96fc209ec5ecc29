"""Markup built in Python for speed: an item list's rows (`{{ items|item_rows }}`, tracker.list_html) and the
dashboard's status bars (`{% status_bars ... %}`, tracker.chart_html)."""

from django import template

from tracker.chart_html import status_bars as build_status_bars
from tracker.list_html import item_rows as build_item_rows

register = template.Library()


@register.filter
def item_rows(items, item_query=""):
    return build_item_rows(items, item_query=item_query or "")


@register.simple_tag(takes_context=True)
def status_bars(context, bars, *, kind, chart_id, caption, row_heading):
    """`{% status_bars bars kind=... chart_id=... caption=... row_heading=... %}` (tracker.chart_html)."""
    return build_status_bars(
        bars,
        kind=kind,
        chart_id=chart_id,
        caption=caption,
        row_heading=row_heading,
        status_legend=context["status_legend"],
    )
