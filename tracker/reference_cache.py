"""Actors and themes as the item filters look them up, kept per process for a minute.

Every filtered item list resolves actor and theme ids or slugs, and a theme's descendants: three
queries, a third of an API request's time at a million items, on two small tables that rarely
change. Like Django's own caches of Site and ContentType rows, each process keeps a copy of them.
Saving or deleting an actor or theme clears the copy of the process that did it (signals connected
in TrackerConfig.ready); other processes reload within TTL seconds. A value missing from the copy
is looked up in the database, so a new actor or theme can be used at once. What other processes
may see for up to TTL seconds: a renamed or deleted slug still accepted, and a new child theme's
items not yet listed under its parent.
"""

import time

from django.db.models import Q

TTL = 60.0

# model -> (loaded at, {id: instance}, {slug: instance}); replaced whole, never mutated (thread-safe).
_copies: dict = {}


def _copy(model):
    entry = _copies.get(model)
    now = time.monotonic()
    if entry is None or now - entry[0] > TTL:
        rows = list(model.objects.all())
        entry = (now, {row.pk: row for row in rows}, {row.slug: row for row in rows})
        _copies[model] = entry
    return entry


def find(model, ids: set[int], slugs: set[str]) -> list:
    """The model's rows with these ids or slugs (unknown ones are left out), from the copy when there."""
    _loaded, by_id, by_slug = _copy(model)
    found = {by_id[pk].pk: by_id[pk] for pk in ids if pk in by_id}
    found.update((by_slug[slug].pk, by_slug[slug]) for slug in slugs if slug in by_slug)
    missing_ids = {pk for pk in ids if pk not in by_id}
    missing_slugs = {slug for slug in slugs if slug not in by_slug}
    if missing_ids or missing_slugs:
        # Created since the copy was made (or unknown: then the database says so too).
        for row in model.objects.filter(Q(pk__in=missing_ids) | Q(slug__in=missing_slugs)):
            found[row.pk] = row
    return list(found.values())


def theme_ids_with_descendants(themes) -> list[int]:
    """Ids of the given themes and of every theme below them (by materialised path)."""
    if not themes:
        return []
    from tracker.models import Theme

    _loaded, by_id, _by_slug = _copy(Theme)
    paths = {theme.path for theme in themes}
    ids = {theme.pk for theme in themes}
    ids.update(pk for pk, theme in by_id.items() if any(theme.path.startswith(f"{path}/") for path in paths))
    return sorted(ids)


def clear(*args, **kwargs) -> None:
    """Forget every copy (a signal receiver: any arguments)."""
    _copies.clear()
