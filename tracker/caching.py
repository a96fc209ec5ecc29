"""Caching keyed by the data version: API pages, facet counts and public-page aggregates.

The version (tracker.counts.data_version, a row the database's triggers bump with every committed
write to items, their relations, status updates, citations, documents, sections, actors or themes)
is part of every key, so any change, deletion or rename shows at once and nothing needs deleting.
The cache is Django's "default" cache: per-process memory unless REDIS_URL configures a Redis
server shared by every worker and host.
"""

import hashlib

from django.core.cache import cache

from tracker.counts import data_version

__all__ = ["AGGREGATE_TTL", "cached_aggregate", "data_version", "version_key"]

# Entries are never stale (the version is in the key); the TTL only lets old versions' entries go.
AGGREGATE_TTL = 3600  # seconds


def version_key(name: str, version, parts: tuple = ()) -> str:
    raw = "|".join((name, str(version), *map(str, parts)))
    return f"aggregate:{name}:{hashlib.sha256(raw.encode()).hexdigest()}"


def cached_aggregate(name: str, compute, *, version, parts: tuple = ()):
    """`compute()` once per (name, parts, data version)."""
    return cache.get_or_set(version_key(name, version, parts), compute, AGGREGATE_TTL)
