"""Concurrent writers on real connections (threads, each with its own database connection), on
SQLite and on PostgreSQL: optimistic locking holds (exactly one of two writers with the same ETag
wins) and a writer waiting for another gets its answer, never a 500 ("database is locked")."""

import threading
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection, connections
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories
from tracker.enums import Status
from tracker.models import Item, StatusUpdate

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RACES = 40


@pytest.fixture(autouse=True)
def _unthrottled(settings):
    rest = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
    settings.REST_FRAMEWORK = rest
    cache.clear()


def _token(*permissions) -> str:
    user = factories.UserFactory(permissions=list(permissions))
    return Token.objects.create(user=user).key


def _client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    client.raise_request_exception = False  # a 500 is a result to count, not an exception in a thread
    return client


def _run_together(calls) -> list:
    """Run the callables at the same moment, one thread (and one database connection) each."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


@pytest.mark.slow
def test_two_status_writes_with_the_same_etag_exactly_one_wins():
    item = factories.ItemFactory()
    token = _token("tracker.add_statusupdate")
    reader = _client(token)
    url = f"/api/v1/items/{item.pk}/status/"
    outcomes = []
    for _race in range(RACES):
        etag = reader.get(f"/api/v1/items/{item.pk}/").headers["ETag"]
        # The same status every time, and a back-dated one: neither changes the current status.
        bodies = [{"status": Status.IN_PROGRESS}, {"status": Status.IN_PROGRESS, "assessed_on": "2001-01-01"}]

        def post(body, etag=etag):
            return _client(token).post(url, body, format="json", HTTP_IF_MATCH=etag).status_code

        outcomes.append(sorted(_run_together([lambda b=body: post(b) for body in bodies])))
    assert outcomes == [[201, 412]] * RACES, f"on {connection.vendor}"
    assert StatusUpdate.objects.filter(item=item).count() == RACES


def test_concurrent_writers_get_success_or_412_never_500():
    items = [factories.ItemFactory() for _ in range(2)]
    token = _token("tracker.add_statusupdate", "tracker.change_item")
    etags = {item.pk: _client(token).get(f"/api/v1/items/{item.pk}/").headers["ETag"] for item in items}

    def calls_for(item, n):
        def status(day):
            body = {"status": Status.STALLED, "assessed_on": date(2020, 1, day).isoformat()}
            return _client(token).post(f"/api/v1/items/{item.pk}/status/", body, format="json").status_code

        def title(k):
            body = {"title": f"Title {k}"}
            return (
                _client(token)
                .patch(f"/api/v1/items/{item.pk}/", body, format="json", HTTP_IF_MATCH=etags[item.pk])
                .status_code
            )

        return [lambda d=k + 1: status(d) for k in range(n)] + [lambda k=k: title(k) for k in range(n)]

    codes = _run_together([call for item in items for call in calls_for(item, 3)])
    assert 500 not in codes and None not in codes, codes
    # Status updates without If-Match all land; of the writes with the same If-Match, at most one per item.
    assert codes.count(201) == 6 and set(codes) <= {200, 201, 412}, codes
    assert StatusUpdate.objects.filter(item__in=items).count() == 6
    assert codes.count(200) <= 2
    assert {item.status for item in Item.objects.filter(pk__in=[i.pk for i in items])} == {Status.STALLED}
