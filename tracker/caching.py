"""Short-lived caching of aggregate counts, keyed by a version of the data.

The dashboard, the filter sidebar and the theme list count over every matching item: seconds at a
million items. Their results are cached under a key that includes the newest item change and the
newest status update, so an edit, an import or a new assessment shows at once; deletions and
renames show when the entry expires.
"""

import hashlib

from django.core.cache import cache
from django.db.models import Max

from tracker.models import Item, StatusUpdate

AGGREGATE_TTL = 300  # seconds


def data_version() -> str:
    """Changes whenever an item is created or saved or a status update is recorded (index-backed MAX queries)."""
    items = Item.objects.aggregate(changed=Max("updated_at"), newest=Max("id"))
    updates = StatusUpdate.objects.aggregate(newest=Max("id"))
    return f"{items['changed']}|{items['newest']}|{updates['newest']}"


def cached_aggregate(name: str, compute, *, version: str, parts: tuple = ()):
    """`compute()` once per (name, parts, data version) for AGGREGATE_TTL seconds."""
    raw = "|".join((name, version, *map(str, parts)))
    key = f"aggregate:{name}:{hashlib.sha256(raw.encode()).hexdigest()}"
    return cache.get_or_set(key, compute, AGGREGATE_TTL)
