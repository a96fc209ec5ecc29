"""A django-filter FilterSet that builds its form once per class and copies its filters cheaply per request.

django-filter, for every FilterSet instance (once per request), deep-copies every declared filter,
builds a new form class with a new form field per filter, and Django's form then deep-copies every
field again. For the item filters that was 2.8 ms of a request; this base builds the same FilterSet in
about 0.2 ms (README, "Performance"). It relies on these details of django-filter, pinned by
tests/test_filterset_base.py so an upgrade that changes them fails loudly:

- `BaseFilterSet.__init__` copies `base_filters` with `copy.deepcopy` and then sets each copy's
  `model` and `parent`;
- `Filter.field` builds the form field once and keeps it in `_field`, from the filter's own
  attributes only (so one form class per FilterSet class is the same form);
- assigning `Filter.method` rebinds the `FilterMethod` that finds the method on `parent`;
- `BaseFilterSet.filter_queryset` filters by the names in `form.cleaned_data`, so a form without the
  fields of absent parameters applies only the filters given.
"""

import functools

import django_filters


def _copy_object(obj):
    """A shallow copy of a plain object (what copy.copy does, without the __reduce_ex__ protocol)."""
    clone = object.__new__(type(obj))
    clone.__dict__ = obj.__dict__.copy()
    return clone


class CheapCopy:
    """Mixin for filters: a filter holds no per-request state until its form field is built, so the copy
    django-filter deep-copies per request can be a shallow one without that field."""

    def __deepcopy__(self, memo):
        clone = _copy_object(self)
        clone.__dict__.pop("_field", None)
        if clone.method is not None:
            clone.method = clone.method  # rebinds the FilterMethod to the copy (it finds its parent there)
        return clone


class ShallowCopiedFields(dict):
    """A form's base fields that each form instance copies shallowly instead of deeply.

    A Django form deep-copies its fields (choices, widgets, validators, error messages) when it is built;
    filter forms never change a field after it is built, so a copy of each field with its own widget
    (and widget attrs) is enough. A model choice field's queryset stays shared: it is only ever filtered
    into new querysets, never evaluated in place.
    """

    def __deepcopy__(self, memo):
        return {name: _copy_field(field) for name, field in self.items()}


def _copy_field(field):
    clone = _copy_object(field)
    clone.widget = _copy_object(field.widget)
    clone.widget.attrs = dict(field.widget.attrs)
    return clone


class FilterSet(django_filters.FilterSet):
    """Form class built once per FilterSet class; a bound form holds only the parameters given.

    A filter whose parameter is absent filters nothing and cannot be invalid, so its field is left out
    of the bound form (one form subclass per combination of parameters seen, LRU-bounded). Every filter
    here reads the one parameter of its own name (no multi-part widgets).
    """

    def get_form_class(self):
        cls = type(self)
        if "_cached_form_class" not in cls.__dict__:
            form_class = super().get_form_class()
            form_class.base_fields = ShallowCopiedFields(form_class.base_fields)
            cls._cached_form_class = form_class
        form_class = cls._cached_form_class
        if not self.is_bound:
            return form_class
        prefix = f"{self.form_prefix}-" if self.form_prefix else ""
        return _form_with_fields(form_class, frozenset(n for n in form_class.base_fields if prefix + n in self.data))


@functools.lru_cache(maxsize=256)
def _form_with_fields(form_class, names: frozenset):
    """form_class with only the named fields."""
    if names == frozenset(form_class.base_fields):
        return form_class
    subclass = type(form_class.__name__, (form_class,), {})
    subclass.base_fields = ShallowCopiedFields({n: f for n, f in form_class.base_fields.items() if n in names})
    return subclass


class DateFilter(CheapCopy, django_filters.DateFilter):
    pass


class CharFilter(CheapCopy, django_filters.CharFilter):
    pass


class BooleanFilter(CheapCopy, django_filters.BooleanFilter):
    pass
