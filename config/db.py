"""Kept database connections that the server has closed are dropped before a request uses them.

Connections live for DATABASE_CONN_MAX_AGE seconds. When PostgreSQL restarts (or an administrator or
a pooler ends the session), each worker's kept connection is dead, and without a check the first
request of every worker fails on it. Django's CONN_HEALTH_CHECKS finds out with a `SELECT 1` round
trip before each request's first query (an eighth of an API request here). This check costs no round
trip: an idle connection has nothing to read unless the server has written to it, and a server that
ends a session says so (an error message, then end of file) before closing it. So at the start of
each request a connection whose socket is readable, or that psycopg already knows is broken, is
closed, and the request's first query opens a fresh one.
"""

import select

from django.db import connections


def closed_by_server(raw_connection) -> bool:
    """True if a psycopg connection, idle between requests, was closed or written to by the server."""
    if raw_connection.closed or raw_connection.broken:
        return True
    try:
        poller = select.poll()
        poller.register(raw_connection.fileno(), select.POLLIN | select.POLLERR | select.POLLHUP)
        return bool(poller.poll(0))
    except (OSError, ValueError):
        return True


def drop_connections_closed_by_server(**kwargs) -> None:
    """request_started handler (after Django's close_old_connections): see the module docstring."""
    for connection in connections.all(initialized_only=True):
        raw = connection.connection
        if connection.vendor != "postgresql" or raw is None or connection.in_atomic_block:
            continue
        if closed_by_server(raw):
            connection.close()
