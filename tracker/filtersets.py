"""One FilterSet per model, shared by the public HTML views and the API.

Relation filters accept an id or a slug (several at once, repeated or comma-separated) and reject
unknown values with a per-field message. `ItemFilterSet` also carries free-text search (`q`),
the status as of a date (`as_of`) and the ordering (always with `id` as the tie-breaker).
"""

import copy
import functools
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


class CheapCopy:
    """FilterSet deep-copies every declared filter on each request (3 ms of a 20 ms API call). A filter holds
    no per-request state until its form field is built, so a shallow copy without that field is enough."""

    def __deepcopy__(self, memo):
        clone = _copy_object(self)
        clone.__dict__.pop("_field", None)
        if clone.method is not None:
            clone.method = clone.method  # rebinds the FilterMethod to the copy (it finds its parent there)
        return clone


class _ShallowCopiedFields(dict):
    """A form's base fields that each form instance copies shallowly instead of deeply.

    Every Django form deep-copies its fields (choices, widgets, validators, error messages) when it
    is built: 1-2 ms for the item filters, on every list request. Filter forms never change a field
    after it is built, so a copy of each field with its own widget and queryset is enough.
    """

    def __deepcopy__(self, memo):
        return {name: _copy_field(field) for name, field in self.items()}


def _copy_field(field):
    # The queryset of a model choice field stays shared: IdOrSlugMultipleChoiceField always filters a
    # new queryset from it, and a rendered widget iterates it with .iterator(): its result cache stays empty.
    clone = _copy_object(field)
    clone.widget = _copy_object(field.widget)
    clone.widget.attrs = dict(field.widget.attrs)
    return clone


def _copy_object(obj):
    """A shallow copy of a plain object (what copy.copy does, without the __reduce_ex__ protocol)."""
    clone = object.__new__(type(obj))
    clone.__dict__ = obj.__dict__.copy()
    return clone


class _CheaplyCopiedFilters(dict):
    """A FilterSet's declared filters, copied for each instance without copy.deepcopy's generic walk.

    django-filter deep-copies base_filters for every FilterSet it builds (once per request); each
    CheapCopy filter copies itself shallowly, others the usual way.
    """

    def __deepcopy__(self, memo):
        return {
            name: f.__deepcopy__(memo) if isinstance(f, CheapCopy) else copy.deepcopy(f, memo)
            for name, f in self.items()
        }


class FilterSet(django_filters.FilterSet):
    """A FilterSet whose form classes are built once, and whose bound form holds only the parameters given.

    django-filter builds a new form class, with a new form field per filter, for each FilterSet
    instance (8 ms of an API request); the fields depend only on the declared filters, so the form
    class is built once per FilterSet class. A bound form then gets only the fields whose parameter is
    in the query: a filter whose parameter is absent filters nothing and cannot be invalid, and
    building and cleaning the fifteen item filters' fields was a fifth of an item list request. (Every
    filter here reads the one parameter of its own name: no multi-part widgets.) Each form instance
    gets its own copy of its fields (see _ShallowCopiedFields), so no state is shared.
    """

    def __init__(self, data=None, queryset=None, **kwargs):
        cls = type(self)
        if not isinstance(cls.__dict__.get("base_filters"), _CheaplyCopiedFilters):
            cls.base_filters = _CheaplyCopiedFilters(cls.base_filters)
        super().__init__(data, queryset, **kwargs)

    def get_form_class(self):
        cls = type(self)
        if "_cached_form_class" not in cls.__dict__:
            form_class = super().get_form_class()
            form_class.base_fields = _ShallowCopiedFields(form_class.base_fields)
            cls._cached_form_class = form_class
        form_class = cls._cached_form_class
        if not self.is_bound:
            return form_class
        prefix = f"{self.form_prefix}-" if self.form_prefix else ""
        return _form_with_fields(form_class, frozenset(n for n in form_class.base_fields if prefix + n in self.data))


@functools.lru_cache(maxsize=256)
def _form_with_fields(form_class, names: frozenset):
    """form_class with only the named fields (one class per combination of parameters seen)."""
    if names == frozenset(form_class.base_fields):
        return form_class
    subclass = type(form_class.__name__, (form_class,), {})
    subclass.base_fields = _ShallowCopiedFields({n: f for n, f in form_class.base_fields.items() if n in names})
    return subclass


class DateFilter(CheapCopy, django_filters.DateFilter):
    pass


class CharFilter(CheapCopy, django_filters.CharFilter):
    pass


class BooleanFilter(CheapCopy, django_filters.BooleanFilter):
    pass


def split_values(values) -> list[str]:
    if isinstance(values, str):
        values = [values]
    parts: list[str] = []
    for value in values or ():
        parts.extend(part.strip() for part in str(value).split(",") if part.strip())
    return parts


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


class IdOrSlugFilter(CheapCopy, django_filters.MultipleChoiceFilter):
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


class CommaMultipleChoiceFilter(CheapCopy, django_filters.MultipleChoiceFilter):
    """?status=a&status=b and ?status=a,b both work."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", _CommaSelectMultiple)
        super().__init__(*args, **kwargs)


class _CommaSelectMultiple(forms.SelectMultiple):
    def value_from_datadict(self, data, files, name):
        values = super().value_from_datadict(data, files, name)
        return split_values(values) if values else values


class ItemOrderingFilter(CheapCopy, django_filters.OrderingFilter):
    """Ordering by date, reference, status, title or id; `id` always ends the list as the tie-breaker."""

    def filter(self, qs, value):
        return qs


# Above this many items made by the chosen actors, the actor filter walks the items instead (see filter_actor).
POPULAR_ACTOR_ROWS = 2000

ORDERING_FIELDS = ("date", "reference", "status", "title", "id")


class ItemFilterSet(FilterSet):
    kind = CommaMultipleChoiceFilter(choices=ItemKind.choices, help_text="Item kind; several allowed.")
    status = CommaMultipleChoiceFilter(
        choices=Status.choices,
        method="filter_noop",
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
    date_after = DateFilter(field_name="date", lookup_expr="gte", help_text="Items dated on or after (YYYY-MM-DD).")
    date_before = DateFilter(field_name="date", lookup_expr="lte", help_text="Items dated on or before (YYYY-MM-DD).")
    q = CharFilter(
        method="filter_noop",
        max_length=200,
        help_text="Free text: every word must match (PostgreSQL: full-text search, websearch syntax, ranked).",
    )
    as_of = DateFilter(
        method="filter_noop", help_text="Report each item's status as it stood on this date (YYYY-MM-DD)."
    )
    ordering = ItemOrderingFilter(
        fields=ORDERING_FIELDS,
        help_text="Order by date, reference, status, title or id (prefix '-' for descending); "
        "id is always the tie-breaker. Default: relevance with q on PostgreSQL, else id.",
    )

    class Meta:
        model = Item
        fields: list[str] = []

    def filter_noop(self, queryset, name, value):
        # Applied together in filter_queryset: status depends on as_of, ordering on both and q.
        return queryset

    def filter_made_by(self, queryset, name, value):
        return queryset.made_by_any([actor.pk for actor in value])

    def filter_addressed_to(self, queryset, name, value):
        return queryset.addressed_to_any([actor.pk for actor in value])

    def filter_actor(self, queryset, name, value):
        ids = [actor.pk for actor in value]
        made = Item.made_by.through.objects.filter(actor__in=ids)
        addressed = Item.addressed_to.through.objects.filter(actor__in=ids)
        # No single SQL form is fast for both kinds of actor (PostgreSQL, 1,000,000 items): for an actor in
        # 40% of the items, walking the items in id order and probing both join tables stops after a page
        # (3 ms, against 180 ms for hashing its 400,000 rows); for a rare actor, starting from its few join
        # rows wins (5 ms, against 200 ms of walking). A capped count tells which case this is.
        # Which case applies changes slowly and only steers the plan: the answer is kept for a minute.
        popular = reference_cache.fact(
            ("popular actors", tuple(sorted(ids))),
            lambda: made.values("pk")[:POPULAR_ACTOR_ROWS].count() >= POPULAR_ACTOR_ROWS,
        )
        if popular:
            return queryset.involving_any(ids)
        return queryset.filter(Q(pk__in=made.values("item_id")) | Q(pk__in=addressed.values("item_id")))

    def filter_theme(self, queryset, name, value):
        return queryset.in_themes(reference_cache.theme_ids_with_descendants(value), descendants=False)

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        for name, value in data.items():
            queryset = self.filters[name].filter(queryset, value)
        status_field = "status"
        if data.get("as_of"):
            queryset = queryset.with_status_as_of(data["as_of"])
            status_field = "status_as_of"
        if data.get("status"):
            queryset = queryset.filter(**{f"{status_field}__in": data["status"]})
        ranked = False
        if data.get("q"):
            queryset, ranked = search_items(queryset, data["q"], rank=not data.get("ordering"))
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


class ActorFilterSet(FilterSet):
    q = CharFilter(method="search", max_length=200, help_text="Name, slug or alias contains.")
    kind = CommaMultipleChoiceFilter(choices=ActorKind.choices, help_text="Actor kind; several allowed.")
    parent = IdOrSlugFilter(queryset=Actor.objects.all(), noun="actor", help_text="Parent actor (id or slug).")
    iso_code = CharFilter(max_length=2, help_text="ISO 3166-1 alpha-2 code (states).")

    class Meta:
        model = Actor
        fields: list[str] = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(slug__icontains=value) | Q(aliases__icontains=value))


class ThemeFilterSet(FilterSet):
    q = CharFilter(method="search", max_length=200, help_text="Name, slug or code contains.")
    parent = IdOrSlugFilter(queryset=Theme.objects.all(), noun="theme", help_text="Parent theme (id or slug).")
    root = BooleanFilter(field_name="parent", lookup_expr="isnull", help_text="true: top-level themes only.")
    within = IdOrSlugFilter(
        queryset=Theme.objects.all(),
        noun="theme",
        method="filter_within",
        help_text="The given themes (id or slug) and their descendants.",
    )

    class Meta:
        model = Theme
        fields: list[str] = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(slug__icontains=value) | Q(code__icontains=value))

    def filter_within(self, queryset, name, value):
        return queryset.with_descendants(value)


class DocumentFilterSet(FilterSet):
    q = CharFilter(method="search", max_length=200, help_text="Title, slug or publisher contains.")
    kind = CommaMultipleChoiceFilter(choices=DocumentKind.choices, help_text="Document kind; several allowed.")
    published_after = DateFilter(field_name="published", lookup_expr="gte", help_text="YYYY-MM-DD.")
    published_before = DateFilter(field_name="published", lookup_expr="lte", help_text="YYYY-MM-DD.")

    class Meta:
        model = Document
        fields: list[str] = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(slug__icontains=value) | Q(publisher__icontains=value))


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
    assessed_after = DateFilter(field_name="assessed_on", lookup_expr="gte", help_text="YYYY-MM-DD.")
    assessed_before = DateFilter(field_name="assessed_on", lookup_expr="lte", help_text="YYYY-MM-DD.")

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
