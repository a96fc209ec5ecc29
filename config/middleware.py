"""Project-wide middleware."""

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """The site's Content-Security-Policy headers, built once per process with django-csp's build_policy
    (and the Permissions-Policy header from settings.PERMISSIONS_POLICY).

    django-csp's own middleware rebuilds both headers (the policy and its report-only twin) from the
    settings on every response, to allow per-view policies and nonces: a third of the middleware
    stack's cost on every request here (callgrind, 0.34 of 1.1 million instructions). This site
    uses neither, so the headers are built once. A response that already has a header keeps it;
    EXCLUDE_URL_PREFIXES is honoured; Django's debug 404/500 pages (inline styles) get none, as with
    django-csp. Should a view ever need a nonce or `csp_update`, use csp.middleware.CSPMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.debug = settings.DEBUG
        # Permissions-Policy (no browser feature is used here) travels with it: one middleware, not two.
        self.permissions_policy = getattr(settings, "PERMISSIONS_POLICY", "")
        self.policies = []
        for header, setting, report_only in (
            (HEADER, "CONTENT_SECURITY_POLICY", False),
            (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True),
        ):
            policy = build_policy(report_only=report_only)
            if policy:
                excluded = tuple((getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ())
                self.policies.append((header, policy, excluded))

    def __call__(self, request):
        response = self.get_response(request)
        if self.permissions_policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.permissions_policy
        if self.debug and response.status_code in (404, 500):
            return response
        for header, policy, excluded in self.policies:
            if header not in response and not request.path_info.startswith(excluded):
                response[header] = policy
        return response
