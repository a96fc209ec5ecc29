"""One FilterSet per model, shared by the public HTML views and the API.

Relation filters accept an id or a slug (several at once, repeated or comma-separated) and reject
unknown values with a per-field message. `ItemFilterSet` also carries free-text search (`q`),
the status as of a date (`as_of`) and the ordering (always with `id` as the tie-breaker).
"""

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from drf_spectacular.drainage import set_override

from tracker import reference_cache
from tracker.enums import ActorKind, DocumentKind, ItemKind, LinkKind, ReviewState, Status, Strength
from tracker.ids import parse_id
from tracker.models import Actor, Citation, Document, Item, ItemLink, Section, StatusUpdate, Theme
from tracker.search import search_items

# Largest value a BIGINT primary key can hold: anything above is unknown, never a database error.
SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")


def split_values(values) -> list[str]:
    if isinstance(values, str):
        values = [values]
    parts: list[str] = []
    for value in values or ():
        parts.extend(part.strip() for part in str(value).split(",") if part.strip())
    return parts


class FilterSet(django_filters.FilterSet):
    """A FilterSet whose form class is built once per FilterSet class, not once per request.

    django-filter's `get_form_class` makes a new form class from the filters' fields for every instance
    (1.6 of the 2.8 ms an ItemFilterSet took to build, validate and filter). A filter's form field depends only
    on how the filter was declared, so every instance of a class would build the same form; each bound form
    still copies its fields as Django forms do. tests/test_filtersets.py checks that the cached class has the
    fields django-filter builds.
    """

    def get_form_class(self):
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class


class IdOrSlugMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several objects by id or slug ("12", "nato", "12,nato"); any unknown value is a validation error.

    Cleans to a list of model instances (an empty list when nothing was given).
    """

    def __init__(self, *args, slug_field: str | None = "slug", noun: str = "object", cached: bool = False, **kwargs):
        self.slug_field = slug_field
        self.noun = noun
        self.cached = cached  # look up in tracker.reference_cache (actors and themes)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        values = split_values(value)
        if not values:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        ids: set[int] = set()
        slugs: set[str] = set()
        unknown: list[str] = []
        for raw in values:
            if (pk := parse_id(raw)) is not None:
                ids.add(pk)
            elif self.slug_field and SLUG_RE.match(raw) and len(raw) <= 200:
                slugs.add(raw)
            else:
                unknown.append(raw)
        condition = Q(pk__in=ids)
        if self.slug_field and slugs:
            condition |= Q(**{f"{self.slug_field}__in": slugs})
        if not ids and not slugs:
            found = []
        elif self.cached:
            found = reference_cache.find(self.queryset.model, ids, slugs)
        else:
            found = list(self.queryset.filter(condition))
        known_ids = {obj.pk for obj in found}
        known_slugs = {getattr(obj, self.slug_field) for obj in found} if self.slug_field else set()
        for raw in values:
            if raw in unknown:
                continue
            if parse_id(raw) in known_ids:
                continue
            if raw in known_slugs:
                continue
            unknown.append(raw)
        if unknown:
            what = "id or slug" if self.slug_field else "id"
            raise ValidationError(
                "Unknown %(noun)s %(what)s: %(values)s.",
                code="invalid_choice",
                params={"noun": self.noun, "what": what, "values": ", ".join(f"“{v}”" for v in unknown)},
            )
        return found


class IdOrSlugFilter(django_filters.MultipleChoiceFilter):
    """Filter on related objects given by id or slug; `method` receives the list of objects."""

    field_class = IdOrSlugMultipleChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.SelectMultiple)
        super().__init__(*args, **kwargs)
        # For the OpenAPI schema (drf-spectacular): an array of strings (ids or slugs), with this description.
        set_override(self, "field", {"type": "string", "description": kwargs.get("help_text", "")})

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__in": value})


class CommaMultipleChoiceFilter(django_filters.MultipleChoiceFilter):
    """?status=a&status=b and ?status=a,b both work."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", _CommaSelectMultiple)
        super().__init__(*args, **kwargs)


class _CommaSelectMultiple(forms.SelectMultiple):
    def value_from_datadict(self, data, files, name):
        values = super().value_from_datadict(data, files, name)
        return split_values(values) if values else values


class ItemOrderingFilter(django_filters.OrderingFilter):
    """Ordering by date, reference, status, title or id; `id` always ends the list as the tie-breaker
    (applied by ItemFilterSet.filter_queryset, after the other filters)."""


ORDERING_FIELDS = ("date", "reference", "status", "title", "id")


class ItemFilterSet(FilterSet):
    kind = CommaMultipleChoiceFilter(choices=ItemKind.choices, help_text="Item kind; several allowed.")
    status = CommaMultipleChoiceFilter(
        choices=Status.choices,
        help_text="Status; several allowed. With as_of, the status as it stood on that date.",
    )
    review_state = CommaMultipleChoiceFilter(choices=ReviewState.choices, help_text="Review state; several allowed.")
    strength = CommaMultipleChoiceFilter(choices=Strength.choices, help_text="Strength; several allowed.")
    made_by = IdOrSlugFilter(
        queryset=Actor.objects.all(),
        noun="actor",
        cached=True,
        method="filter_made_by",
        help_text="Actor (id or slug) who made it.",
    )
    addressed_to = IdOrSlugFilter(
        queryset=Actor.objects.all(),
        noun="actor",
        cached=True,
        method="filter_addressed_to",
        help_text="Actor (id or slug) it is addressed to.",
    )
    actor = IdOrSlugFilter(
        queryset=Actor.objects.all(),
        noun="actor",
        cached=True,
        method="filter_actor",
        help_text="Actor (id or slug) who made it or is addressed by it.",
    )
    theme = IdOrSlugFilter(
        queryset=Theme.objects.all(),
        noun="theme",
        cached=True,
        method="filter_theme",
        help_text="Theme (id or slug), including the theme's descendants.",
    )
    document = IdOrSlugFilter(
        queryset=Document.objects.only("id", "slug"), noun="document", help_text="Source document (id or slug)."
    )
    section = IdOrSlugFilter(
        queryset=Section.objects.only("id"), noun="section", slug_field=None, help_text="Section id."
    )
    date_after = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", help_text="Items dated on or after (YYYY-MM-DD)."
    )
    date_before = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", help_text="Items dated on or before (YYYY-MM-DD)."
    )
    q = django_filters.CharFilter(
        max_length=200,
        help_text="Free text: every word must match (PostgreSQL: full-text search, websearch syntax, ranked by "
        "relevance among the newest 2,000 matches; order by id to list every match).",
    )
    as_of = django_filters.DateFilter(help_text="Report each item's status as it stood on this date (YYYY-MM-DD).")
    ordering = ItemOrderingFilter(
        fields=ORDERING_FIELDS,
        help_text="Order by date, reference, status, title or id (prefix '-' for descending); "
        "id is always the tie-breaker. Default: relevance with q on PostgreSQL, else id.",
    )

    class Meta:
        model = Item
        fields: list[str] = []

    def filter_made_by(self, queryset, name, value):
        return queryset.made_by_any([actor.pk for actor in value])

    def filter_addressed_to(self, queryset, name, value):
        return queryset.addressed_to_any([actor.pk for actor in value])

    def filter_actor(self, queryset, name, value):
        return queryset.involving_any([actor.pk for actor in value])

    def filter_theme(self, queryset, name, value):
        return queryset.in_themes(reference_cache.theme_ids_with_descendants(value), descendants=False)

    # Applied together after the others, in filter_queryset: the status filter reads the status as of
    # `as_of` when given, and the ordering depends on both and on whether `q` ranks.
    APPLIED_LAST = ("status", "as_of", "q", "ordering")

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        for name, value in data.items():
            if name not in self.APPLIED_LAST:
                queryset = self.filters[name].filter(queryset, value)
        status_field = "status"
        if data.get("as_of"):
            queryset = queryset.with_status_as_of(data["as_of"])
            status_field = "status_as_of"
        if data.get("status"):
            queryset = queryset.filter(**{f"{status_field}__in": data["status"]})
        ranked = False
        # Every match, unbounded by the ranked search's candidate limit: what the facets count.
        self.matches = queryset
        if data.get("q"):
            self.matches, _ = search_items(queryset, data["q"], rank=False)
            queryset, ranked = search_items(queryset, data["q"], rank=not data.get("ordering"))
        self.ranked = ranked
        return queryset.order_by(*self.ordering_for(data.get("ordering"), status_field=status_field, ranked=ranked))

    @staticmethod
    def ordering_for(values, *, status_field: str = "status", ranked: bool = False) -> list[str]:
        ordering: list[str] = []
        for value in values or ():
            descending = value.startswith("-")
            field = value.lstrip("-")
            if field == "status":
                field = status_field
            ordering.append(f"-{field}" if descending else field)
        if not ordering and ranked:
            ordering = ["-search_rank"]
        if not any(field.lstrip("-") == "id" for field in ordering):
            ordering.append("id")
        return ordering


class SearchFilterSet(FilterSet):
    """A FilterSet whose `q` matches any of `search_fields` (case-insensitive substring)."""

    search_fields: tuple[str, ...] = ()

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)


class ActorFilterSet(SearchFilterSet):
    search_fields = ("name", "slug", "aliases")
    q = django_filters.CharFilter(method="search", max_length=200, help_text="Name, slug or alias contains.")
    kind = CommaMultipleChoiceFilter(choices=ActorKind.choices, help_text="Actor kind; several allowed.")
    parent = IdOrSlugFilter(queryset=Actor.objects.all(), noun="actor", help_text="Parent actor (id or slug).")
    iso_code = django_filters.CharFilter(max_length=2, help_text="ISO 3166-1 alpha-2 code (states).")

    class Meta:
        model = Actor
        fields: list[str] = []


class ThemeFilterSet(SearchFilterSet):
    search_fields = ("name", "slug", "code")
    q = django_filters.CharFilter(method="search", max_length=200, help_text="Name, slug or code contains.")
    parent = IdOrSlugFilter(queryset=Theme.objects.all(), noun="theme", help_text="Parent theme (id or slug).")
    root = django_filters.BooleanFilter(
        field_name="parent", lookup_expr="isnull", help_text="true: top-level themes only."
    )
    within = IdOrSlugFilter(
        queryset=Theme.objects.all(),
        noun="theme",
        method="filter_within",
        help_text="The given themes (id or slug) and their descendants.",
    )

    class Meta:
        model = Theme
        fields: list[str] = []

    def filter_within(self, queryset, name, value):
        return queryset.with_descendants(value)


class DocumentFilterSet(SearchFilterSet):
    search_fields = ("title", "slug", "publisher")
    q = django_filters.CharFilter(method="search", max_length=200, help_text="Title, slug or publisher contains.")
    kind = CommaMultipleChoiceFilter(choices=DocumentKind.choices, help_text="Document kind; several allowed.")
    published_after = django_filters.DateFilter(field_name="published", lookup_expr="gte", help_text="YYYY-MM-DD.")
    published_before = django_filters.DateFilter(field_name="published", lookup_expr="lte", help_text="YYYY-MM-DD.")

    class Meta:
        model = Document
        fields: list[str] = []


class CitationFilterSet(FilterSet):
    item = IdOrSlugFilter(
        queryset=Item.objects.only("id"), noun="item", slug_field=None, help_text="Item id; several allowed."
    )
    document = IdOrSlugFilter(
        queryset=Document.objects.only("id", "slug"), noun="document", help_text="Document (id or slug)."
    )
    section = IdOrSlugFilter(
        queryset=Section.objects.only("id"), noun="section", slug_field=None, help_text="Section id."
    )

    class Meta:
        model = Citation
        fields: list[str] = []


class StatusUpdateFilterSet(FilterSet):
    item = IdOrSlugFilter(
        queryset=Item.objects.only("id"), noun="item", slug_field=None, help_text="Item id; several allowed."
    )
    status = CommaMultipleChoiceFilter(choices=Status.choices, help_text="Status; several allowed.")
    assessed_after = django_filters.DateFilter(field_name="assessed_on", lookup_expr="gte", help_text="YYYY-MM-DD.")
    assessed_before = django_filters.DateFilter(field_name="assessed_on", lookup_expr="lte", help_text="YYYY-MM-DD.")

    class Meta:
        model = StatusUpdate
        fields: list[str] = []


class ItemLinkFilterSet(FilterSet):
    source = IdOrSlugFilter(queryset=Item.objects.only("id"), noun="item", slug_field=None, help_text="Source item id.")
    target = IdOrSlugFilter(queryset=Item.objects.only("id"), noun="item", slug_field=None, help_text="Target item id.")
    item = IdOrSlugFilter(
        queryset=Item.objects.only("id"),
        noun="item",
        slug_field=None,
        method="filter_item",
        help_text="Links from or to this item id.",
    )
    kind = CommaMultipleChoiceFilter(choices=LinkKind.choices, help_text="Link kind; several allowed.")

    class Meta:
        model = ItemLink
        fields: list[str] = []

    def filter_item(self, queryset, name, value):
        ids = [item.pk for item in value]
        return queryset.filter(Q(source__in=ids) | Q(target__in=ids))
