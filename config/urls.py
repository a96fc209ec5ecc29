from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from tracker.api.docs import SwaggerDocsView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("staff/", include("tracker.staff.urls")),
    path("api/v1/", include("tracker.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SwaggerDocsView.as_view(), name="api-docs"),
    path("", include("tracker.urls")),
]
