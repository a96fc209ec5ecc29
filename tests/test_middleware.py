"""config.middleware.ContentSecurityPolicyMiddleware: django-csp's policy, built once per process."""

from django.http import HttpResponse, HttpResponseNotFound
from django.test import RequestFactory, override_settings

from config.middleware import ContentSecurityPolicyMiddleware

POLICY = {"DIRECTIVES": {"default-src": ["'self'"], "img-src": ["'self'", "data:"]}}


def _respond(path="/", response=None):
    middleware = ContentSecurityPolicyMiddleware(lambda request: response or HttpResponse("ok"))
    return middleware(RequestFactory().get(path))


@override_settings(CONTENT_SECURITY_POLICY=POLICY)
def test_every_response_gets_the_policy():
    response = _respond()
    assert sorted(response["Content-Security-Policy"].split("; ")) == ["default-src 'self'", "img-src 'self' data:"]
    assert "Content-Security-Policy-Report-Only" not in response


@override_settings(CONTENT_SECURITY_POLICY=POLICY)
def test_a_header_set_by_the_view_is_kept():
    own = HttpResponse("ok", headers={"Content-Security-Policy": "default-src 'none'"})
    assert _respond(response=own)["Content-Security-Policy"] == "default-src 'none'"


@override_settings(CONTENT_SECURITY_POLICY={**POLICY, "EXCLUDE_URL_PREFIXES": ["/embed/"]})
def test_excluded_prefixes_get_no_header():
    assert "Content-Security-Policy" not in _respond("/embed/x")
    assert "Content-Security-Policy" in _respond("/items/")


@override_settings(CONTENT_SECURITY_POLICY=None, CONTENT_SECURITY_POLICY_REPORT_ONLY=POLICY)
def test_a_report_only_policy_is_sent_as_such():
    response = _respond()
    assert "Content-Security-Policy" not in response
    assert "default-src 'self'" in response["Content-Security-Policy-Report-Only"]


@override_settings(CONTENT_SECURITY_POLICY=POLICY, DEBUG=True)
def test_debug_error_pages_keep_their_inline_styles():
    assert "Content-Security-Policy" not in _respond(response=HttpResponseNotFound("debug page"))
    assert "Content-Security-Policy" in _respond()


def test_api_responses_carry_the_site_policy(client, db):
    assert "default-src 'self'" in client.get("/api/v1/statuses/")["Content-Security-Policy"]
