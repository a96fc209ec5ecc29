from django.urls import path

from tracker import views
from tracker.feeds import ItemStatusFeed

app_name = "tracker"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("items/", views.item_list, name="item-list"),
    path("items/feed/", ItemStatusFeed(), name="item-feed"),
    path("items/<str:reference>/", views.item_detail, name="item-detail"),
    path("documents/", views.document_list, name="document-list"),
    path("documents/<slug:slug>/", views.document_detail, name="document-detail"),
    path("actors/", views.actor_list, name="actor-list"),
    path("actors/<slug:slug>/", views.actor_detail, name="actor-detail"),
    path("themes/", views.theme_list, name="theme-list"),
    path("themes/<slug:slug>/", views.theme_detail, name="theme-detail"),
    path("status/", views.status_scale, name="status-scale"),
]
