from django.urls import path

from tracker.staff import api, views

app_name = "staff"

urlpatterns = [
    path("documents/add/", views.intake_upload, name="intake-upload"),
    path("documents/add/<str:token>/", views.intake_review, name="intake-review"),
    path("documents/<slug:slug>/workbench/", views.workbench, name="workbench"),
    path("items/<int:pk>/evidence/", views.evidence, name="evidence"),
    path("items/<int:pk>/evidence/status/", views.evidence_status, name="evidence-status"),
    path("items/<int:pk>/evidence/link/", views.evidence_link, name="evidence-link"),
    path("review/next/", views.next_needing_review, name="next-needing-review"),
    path("api/documents/<slug:slug>/items/", api.create_item, name="api-create-item"),
    path("api/citations/<int:pk>/move/", api.move_citation, name="api-move-citation"),
    path("api/items/<int:pk>/split/", api.split_item, name="api-split-item"),
    path("api/items/<int:pk>/merge/", api.merge_items, name="api-merge-items"),
    path("api/items/<int:pk>/review/", api.review_item, name="api-review-item"),
    path("api/items/<int:pk>/relations/", api.set_relations, name="api-set-relations"),
    path("api/autocomplete/<str:kind>/", api.autocomplete, name="api-autocomplete"),
]
