"""`{{ items|item_rows }}` / `{{ items|item_rows:query }}`: an item list's rows (tracker.list_html)."""

from django import template

from tracker.list_html import item_rows as build_item_rows

register = template.Library()


@register.filter
def item_rows(items, item_query=""):
    return build_item_rows(items, item_query=item_query or "")
