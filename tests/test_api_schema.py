"""Property-based run of schemathesis against the project's own OpenAPI schema (in-process WSGI app).

Every operation, reads and writes, called as a superuser (token), so writes get past authentication to
validation and the database: at least MIN_REQUESTS generated requests in all (counted, and checked by
the last test). Checks: no 5xx, documented status codes, content types, headers and response bodies
that match the schema. Throttling is off here. SCHEMATHESIS_EXAMPLES sets the examples per operation.
"""

import os
from collections import Counter

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import factories
from tests.api_world import build_world

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _load_schema():
    from config.wsgi import application

    # Schema generation touches no database: it can run at import, as schemathesis expects.
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


schema = _load_schema()
OPERATIONS = sum(1 for _ in schema.get_all_operations())
# The full run (at least 5,000 requests) on PostgreSQL, the production database; a quarter on SQLite.
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES") or (20 if connection.vendor == "postgresql" else 5))
MIN_REQUESTS = 250 * EXAMPLES
CALLS: Counter = Counter()


@pytest.fixture(autouse=True)
def _seeded_unthrottled(db, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None})
    cache.clear()
    build_world()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Calls go straight to the WSGI app, not through Django's test client, so its request signals would
    close the connection that holds the test's transaction (on PostgreSQL). Do what the test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def as_superuser(db):
    user = factories.UserFactory(is_staff=True, is_superuser=True)
    return {"Authorization": f"Token {Token.objects.create(user=user).key}"}


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
)
def test_api_conforms_to_its_schema(case, as_superuser):
    CALLS[case.operation.label] += 1
    case.call_and_validate(checks=CHECKS, headers=as_superuser)


@pytest.mark.every_database
def test_the_run_made_enough_requests():
    # pytest-django runs this database-free test after the ones above.
    if len(CALLS) < OPERATIONS:
        pytest.skip("only part of the schemathesis run was selected")
    assert sum(CALLS.values()) >= MIN_REQUESTS, dict(CALLS)
