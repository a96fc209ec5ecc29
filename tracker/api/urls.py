"""/api/v1/ routes: the router's viewsets plus the streamed exports."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from tracker.api import exports, views

app_name = "api"

router = DefaultRouter()
router.include_format_suffixes = False
router.register("items", views.ItemViewSet, basename="item")
router.register("actors", views.ActorViewSet, basename="actor")
router.register("themes", views.ThemeViewSet, basename="theme")
router.register("documents", views.DocumentViewSet, basename="document")
router.register("citations", views.CitationViewSet, basename="citation")
router.register("status-updates", views.StatusUpdateViewSet, basename="statusupdate")
router.register("item-links", views.ItemLinkViewSet, basename="itemlink")
router.register("statuses", views.StatusScaleView, basename="status")

urlpatterns = [
    path("items/export.csv", exports.ItemCSVExportView.as_view(), name="item-export-csv"),
    path("items/export.xlsx", exports.ItemXLSXExportView.as_view(), name="item-export-xlsx"),
    path("items/export.json", exports.ItemJSONExportView.as_view(), name="item-export-json"),
    path("", include(router.urls)),
]
