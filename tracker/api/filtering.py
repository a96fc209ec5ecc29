"""The API's item filtering: ItemFilterSet on the query string, invalid parameters as a JSON 400."""

from rest_framework.exceptions import ValidationError

from tracker.filtersets import ItemFilterSet
from tracker.models import Item


def filter_items(request, queryset=None) -> ItemFilterSet:
    """A validated ItemFilterSet for the request (its `.qs` is the filtered items)."""
    queryset = Item.objects.all() if queryset is None else queryset
    filterset = ItemFilterSet(request.query_params, queryset, request=request)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset
