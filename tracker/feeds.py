"""Atom feed of status updates for the items of any item-list filter: /items/feed/?<the list's query>."""

from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from tracker.enums import Status
from tracker.filtersets import ItemFilterSet
from tracker.models import Item, StatusUpdate

FEED_SIZE = 50


class ItemStatusFeed(Feed):
    feed_type = Atom1Feed
    description_template = "tracker/feed_item_description.html"

    def __call__(self, request, *args, **kwargs):
        filterset = ItemFilterSet(request.GET, queryset=Item.objects.all())
        if not filterset.is_valid():
            errors = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in filterset.errors.items())
            return HttpResponseBadRequest(f"Bad filter: {errors}", content_type="text/plain; charset=utf-8")
        request.item_filterset = filterset  # validated once, used by get_object
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        return {"request": request, "filterset": request.item_filterset}

    def _query(self, obj) -> str:
        return obj["request"].GET.urlencode()

    def title(self, obj):
        query = self._query(obj)
        return "Status updates: every item" if not query else f"Status updates: items where {query}"

    def subtitle(self, obj):
        return "New dated status assessments of recommendations and commitments, newest first."

    def link(self, obj):
        query = self._query(obj)
        return reverse("tracker:item-list") + (f"?{query}" if query else "")

    def feed_url(self, obj):
        query = self._query(obj)
        return reverse("tracker:item-feed") + (f"?{query}" if query else "")

    def items(self, obj):
        ids = obj["filterset"].qs.order_by().values("pk")
        return (
            StatusUpdate.objects.filter(item__in=ids).select_related("item").order_by("-created_at", "-id")[:FEED_SIZE]
        )

    def item_title(self, update):
        return f"{update.item.reference}: {Status.label_of(update.status)} ({update.assessed_on:%Y-%m-%d})"

    def item_link(self, update):
        return f"{update.item.get_absolute_url()}#update-{update.pk}"

    def item_guid(self, update):
        return f"status-update-{update.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, update):
        return update.created_at

    def item_updateddate(self, update):
        return update.created_at
