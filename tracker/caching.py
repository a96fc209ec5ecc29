"""Caching keyed by the data version: API pages, facet counts and public-page aggregates.

The version (tracker.counts.data_version, a row the database's triggers bump with every committed
write to items, their relations, status updates, citations, documents, sections, actors or themes)
is part of every key, so any change, deletion or rename shows at once and nothing needs deleting.
The cache is Django's "default" cache: per-process memory unless REDIS_URL configures a Redis
server shared by every worker and host.
"""

import hashlib
import threading
from collections import OrderedDict

from django.core.cache import cache

from tracker.counts import data_version

__all__ = ["AGGREGATE_TTL", "cached", "cached_aggregate", "data_version", "store", "version_key"]

# Entries are never stale (the version is in the key); the TTL only lets old versions' entries go.
AGGREGATE_TTL = 3600  # seconds


def version_key(name: str, version, parts: tuple = ()) -> str:
    raw = "|".join((name, str(version), *map(str, parts)))
    return f"aggregate:{name}:{hashlib.sha256(raw.encode()).hexdigest()}"


class _Recent:
    """The most recently used entries of this process, in front of the shared cache.

    A shared cache (Redis) costs a round trip per read, which under load is most of a cached API
    page's time; the version in every key means a local copy is never stale, only evicted.
    """

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.entries.get(key)
            if value is not None:
                self.entries.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


RECENT = _Recent(size=1000)


def cached(key: str):
    """The value stored under `key` (this process's copy, else the shared cache's), or None."""
    value = RECENT.get(key)
    if value is None:
        value = cache.get(key)
        if value is not None:
            RECENT.put(key, value)
    return value


def store(key: str, value) -> None:
    RECENT.put(key, value)
    cache.set(key, value, AGGREGATE_TTL)


def cached_aggregate(name: str, compute, *, version, parts: tuple = ()):
    """`compute()` once per (name, parts, data version)."""
    key = version_key(name, version, parts)
    value = cached(key)
    if value is None:
        value = compute()
        store(key, value)
    return value
