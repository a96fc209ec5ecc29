"""URLs that every item row carries, reversed from the URLconf rather than written out.

reverse() walks the URL patterns (5% of an item list request when it ran per row), so each URL is
reversed once per script prefix and URLconf with a placeholder and split into what comes before and
after it; a row then only joins strings. Used by both item renderers (tracker.api.rows in Python,
tracker.api.json_rows in PostgreSQL) and by the exports.
"""

import functools

from django.urls import get_script_prefix, get_urlconf, reverse

_PLACEHOLDER = "PLACEHOLDER"


@functools.lru_cache(maxsize=16)
def _affixes(script_prefix: str, urlconf) -> dict[str, tuple[str, str]]:
    # The result depends only on the script prefix and the URLconf (no language prefixes here), hence the key.
    def split(name, kwarg):
        return tuple(reverse(name, kwargs={kwarg: _PLACEHOLDER}).split(_PLACEHOLDER, 1))

    return {
        "page": split("tracker:item-detail", "reference"),
        "api": split("api:item-detail", "pk"),
        "history": (reverse("api:statusupdate-list") + "?item=", ""),
        "actor": split("tracker:actor-detail", "slug"),
        "theme": split("tracker:theme-detail", "slug"),
        "document": split("tracker:document-detail", "slug"),
    }


def _affix(kind: str, base: str) -> tuple[str, str]:
    prefix, suffix = _affixes(get_script_prefix(), get_urlconf())[kind]
    return f"{base}{prefix}", suffix


def item_page_affixes(base: str = "") -> tuple[str, str]:
    """What comes before and after the reference in an item's public page URL."""
    return _affix("page", base)


def item_api_affixes(base: str = "") -> tuple[str, str]:
    """What comes before and after the id in an item's API URL (/api/v1/items/{id}/)."""
    return _affix("api", base)


def status_history_prefix(base: str = "") -> str:
    """An item's status updates in the API: this prefix followed by the item's id."""
    return _affix("history", base)[0]


def page_url(kind: str):
    """slug -> URL of an actor's, theme's or document's public page (kind "actor", "theme", "document")."""
    prefix, suffix = _affix(kind, "")
    return lambda slug: f"{prefix}{slug}{suffix}"


def item_page_url(base: str = ""):
    """reference -> URL of the item's public page; reverse() runs once, not once per row of a page or export."""
    prefix, suffix = item_page_affixes(base)
    return lambda reference: f"{prefix}{reference}{suffix}"
