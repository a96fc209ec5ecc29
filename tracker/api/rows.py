"""Item rows for the API built from values() queries: the hot path of the item list and detail.

Instantiating models and related managers for 50 items with their actors, themes and citations is
where Django REST framework spent most of each request (see PERF-NOTES); here every row is a dict
from one values() query for the page plus one per relation (made_by, addressed_to, themes,
citations), so a page costs five queries and no model instances. `ItemSerializer` documents the
same shape for the OpenAPI schema; the tests compare both.
"""

from collections import defaultdict

from django.urls import reverse
from rest_framework.fields import DateTimeField

from tracker.models import Citation, Item

ROW_FIELDS = (
    "id",
    "reference",
    "kind",
    "title",
    "text",
    "status",
    "review_state",
    "strength",
    "date",
    "target_date",
    "updated_at",
    "document_id",
    "document__slug",
    "document__title",
    "section_id",
    "section__number",
    "section__heading",
)
_PLACEHOLDER = "REFERENCE"
_datetime = DateTimeField()


def row_values(queryset):
    """The values() queryset the rows are built from (keeps an as_of annotation when there is one)."""
    fields = ROW_FIELDS
    if "status_as_of" in queryset.query.annotations:
        fields = (*fields, "status_as_of")
    return queryset.values(*fields)


def build_rows(values: list[dict], *, base: str = "", as_of=None) -> list[dict]:
    """The API representation of items given as row_values() dicts, in the same order."""
    ids = [v["id"] for v in values]
    if not ids:
        return []
    made_by, addressed_to, themes, citations = _relations(ids)
    page_url = reverse("tracker:item-detail", kwargs={"reference": _PLACEHOLDER})
    prefix, suffix = page_url.split(_PLACEHOLDER, 1)
    as_of_text = as_of.isoformat() if as_of else None
    rows = []
    for v in values:
        pk = v["id"]
        rows.append(
            {
                "id": pk,
                "reference": v["reference"],
                "kind": v["kind"],
                "title": v["title"],
                "text": v["text"],
                "status": v.get("status_as_of", v["status"]),
                "as_of": as_of_text,
                "review_state": v["review_state"],
                "strength": v["strength"],
                "date": v["date"].isoformat() if v["date"] else None,
                "target_date": v["target_date"].isoformat() if v["target_date"] else None,
                "document": {"id": v["document_id"], "slug": v["document__slug"], "title": v["document__title"]},
                "section": {"id": v["section_id"], "number": v["section__number"], "heading": v["section__heading"]}
                if v["section_id"]
                else None,
                "made_by": made_by.get(pk, []),
                "addressed_to": addressed_to.get(pk, []),
                "themes": themes.get(pk, []),
                "citations": citations.get(pk, []),
                "updated_at": _datetime.to_representation(v["updated_at"]),
                "api_url": f"{base}/api/v1/items/{pk}/",
                "url": f"{base}{prefix}{v['reference']}{suffix}",
                "status_history_url": f"{base}/api/v1/status-updates/?item={pk}",
            }
        )
    return rows


def _relations(ids):
    made_by, addressed_to, themes, citations = (
        defaultdict(list),
        defaultdict(list),
        defaultdict(list),
        defaultdict(list),
    )
    for role, target in (("made_by", made_by), ("addressed_to", addressed_to)):
        through = getattr(Item, role).through.objects.filter(item_id__in=ids)
        for item_id, actor_id, slug, name in through.order_by("actor__name", "actor_id").values_list(
            "item_id", "actor_id", "actor__slug", "actor__name"
        ):
            target[item_id].append({"id": actor_id, "slug": slug, "name": name})
    through = Item.themes.through.objects.filter(item_id__in=ids).order_by("theme__path", "theme_id")
    for item_id, theme_id, slug, name in through.values_list("item_id", "theme_id", "theme__slug", "theme__name"):
        themes[item_id].append({"id": theme_id, "slug": slug, "name": name})
    rows = Citation.objects.filter(item_id__in=ids).order_by("position", "id")
    for c in rows.values("id", "item_id", "document_id", "document__slug", "section_id", "start", "end", "quote"):
        citations[c["item_id"]].append(
            {
                "id": c["id"],
                "document": c["document_id"],
                "document_slug": c["document__slug"],
                "section": c["section_id"],
                "start": c["start"],
                "end": c["end"],
                "quote": c["quote"],
            }
        )
    return made_by, addressed_to, themes, citations
