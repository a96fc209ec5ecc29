"""Pins the django-filter details tracker.filterset_base relies on: an upgrade that changes them fails here."""

import copy
import inspect

import django_filters
from django.http import QueryDict
from django_filters.filters import Filter, FilterMethod
from django_filters.filterset import BaseFilterSet

from tracker.filtersets import ActorFilterSet, ItemFilterSet
from tracker.models import Item


def test_filterset_init_deep_copies_base_filters_then_sets_model_and_parent():
    source = inspect.getsource(BaseFilterSet.__init__)
    assert "copy.deepcopy(self.base_filters)" in source
    assert "filter_.parent = self" in source


def test_filter_field_is_built_once_into_underscore_field():
    f = django_filters.CharFilter()
    assert "_field" not in f.__dict__
    field = f.field
    assert f.__dict__["_field"] is field
    assert f.field is field


def test_assigning_method_rebinds_filter_method():
    assert isinstance(Filter.method, property)
    f = django_filters.CharFilter(method="search")
    assert isinstance(f.filter, FilterMethod)
    assert f.filter.f is f


def test_filter_queryset_filters_by_the_cleaned_data_names():
    source = inspect.getsource(BaseFilterSet.filter_queryset)
    assert "self.form.cleaned_data.items()" in source


def test_per_request_copies_share_no_state(db):
    first = ActorFilterSet(QueryDict("q=nato"), ActorFilterSet._meta.model.objects.all())
    second = ActorFilterSet(QueryDict("q=eu"), ActorFilterSet._meta.model.objects.all())
    assert first.filters["q"] is not second.filters["q"]
    assert first.filters["q"].parent is first and second.filters["q"].parent is second
    # The method is bound to each copy's own FilterSet.
    assert first.filters["q"].filter.f is first.filters["q"]
    assert first.form.fields["q"] is not second.form.fields["q"]
    assert first.form.fields["q"].widget is not second.form.fields["q"].widget
    first.form.fields["q"].widget.attrs["class"] = "changed"
    assert "class" not in second.form.fields["q"].widget.attrs
    assert copy.deepcopy(ActorFilterSet.base_filters)["q"].__dict__.get("_field") is None


def test_bound_form_holds_only_the_parameters_given(db):
    filterset = ItemFilterSet(QueryDict("status=stalled&q=trade"), Item.objects.all())
    assert set(filterset.form.fields) == {"status", "q"}
    assert set(ItemFilterSet(None, Item.objects.all()).form.fields) == set(ItemFilterSet.base_filters)
