"""Interactive API docs that work offline under the site's CSP (script-src 'self').

Swagger UI in drf-spectacular's "split" flavour (the init script is a separate same-origin file, not
inline) with its assets from drf-spectacular-sidecar served as our own static files, never from a CDN.
Needs "drf_spectacular_sidecar" in INSTALLED_APPS so the static files are found and collected.
"""

from drf_spectacular.views import SpectacularSwaggerSplitView, _get_sidecar_url


class SwaggerDocsView(SpectacularSwaggerSplitView):
    url_name = "api-schema"
    # drf-spectacular's page with a language, a main landmark and a heading (accessibility).
    template_name = "tracker/api_docs.html"

    @staticmethod
    def _swagger_ui_resource(filename):
        return _get_sidecar_url(f"swagger-ui-dist/{filename}")

    @staticmethod
    def _swagger_ui_favicon():
        return _get_sidecar_url("swagger-ui-dist/favicon-32x32.png")
