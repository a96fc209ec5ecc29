"""The per-process copy of actors and themes the item filters look up (tracker.reference_cache)."""

import pytest

from tests import factories
from tracker import reference_cache
from tracker.filtersets import ItemFilterSet
from tracker.models import Actor, Item, Theme


def slugs(rows) -> list[str]:
    return sorted(row.slug for row in rows)


@pytest.mark.django_db
def test_find_by_id_and_slug_leaves_unknown_values_out(django_assert_num_queries):
    nato, eu = factories.ActorFactory(slug="nato"), factories.ActorFactory(slug="eu")
    with django_assert_num_queries(1):  # the copy is loaded once ...
        assert slugs(reference_cache.find(Actor, {nato.pk}, {"eu"})) == ["eu", "nato"]
    with django_assert_num_queries(0):  # ... and used after
        assert slugs(reference_cache.find(Actor, {eu.pk}, set())) == ["eu"]
    with django_assert_num_queries(1):  # a value not in the copy is looked for in the database
        assert slugs(reference_cache.find(Actor, {2**40}, {"eu", "nobody"})) == ["eu"]


@pytest.mark.django_db
def test_rows_created_without_signals_are_found_in_the_database():
    factories.ActorFactory(slug="nato")
    reference_cache.find(Actor, set(), {"nato"})
    Actor.objects.bulk_create([Actor(slug="osce", name="OSCE", kind="international_organisation")])
    assert slugs(reference_cache.find(Actor, set(), {"osce"})) == ["osce"]


@pytest.mark.django_db
def test_saving_an_actor_clears_the_copy_of_this_process():
    actor = factories.ActorFactory(slug="old-name")
    assert slugs(reference_cache.find(Actor, set(), {"old-name"})) == ["old-name"]
    actor.slug = "new-name"
    actor.save()
    assert reference_cache.find(Actor, set(), {"old-name"}) == []
    assert slugs(reference_cache.find(Actor, set(), {"new-name"})) == ["new-name"]


@pytest.mark.django_db
def test_changes_made_elsewhere_show_within_the_ttl(monkeypatch):
    actor = factories.ActorFactory(slug="old-name")
    reference_cache.find(Actor, set(), {"old-name"})
    # Another process renames it: no signal reaches this one.
    Actor.objects.filter(pk=actor.pk).update(slug="new-name")
    assert slugs(reference_cache.find(Actor, set(), {"old-name"})) == ["old-name"]  # stale, within the TTL
    assert slugs(reference_cache.find(Actor, set(), {"new-name"})) == ["new-name"]  # new slugs work at once
    later = reference_cache.time.monotonic() + reference_cache.TTL + 1
    monkeypatch.setattr(reference_cache.time, "monotonic", lambda: later)
    assert reference_cache.find(Actor, set(), {"old-name"}) == []


@pytest.mark.django_db
def test_theme_descendants_come_from_the_copy_and_follow_new_children(django_assert_num_queries):
    root = factories.ThemeFactory(slug="root")
    child = factories.ThemeFactory(slug="child", parent=root)
    grandchild = factories.ThemeFactory(slug="grandchild", parent=child)
    factories.ThemeFactory(slug="root-sibling")  # a path that starts like "root" but is not below it
    reference_cache.theme_ids_with_descendants([root])
    with django_assert_num_queries(0):
        assert reference_cache.theme_ids_with_descendants([root]) == sorted([root.pk, child.pk, grandchild.pk])
        assert reference_cache.theme_ids_with_descendants([child]) == sorted([child.pk, grandchild.pk])
        assert reference_cache.theme_ids_with_descendants([]) == []
    late = factories.ThemeFactory(slug="late", parent=root)
    assert late.pk in reference_cache.theme_ids_with_descendants([root])


@pytest.mark.django_db
def test_the_item_filters_use_the_copy():
    theme = factories.ThemeFactory(slug="t")
    child = factories.ThemeFactory(slug="c", parent=theme)
    actor = factories.ActorFactory(slug="a")
    item = factories.ItemFactory(made_by=[actor], themes=[child])
    factories.ItemFactory(made_by=[actor])
    filterset = ItemFilterSet({"made_by": "a", "theme": "t"}, Item.objects.all())
    assert filterset.is_valid(), filterset.errors
    assert list(filterset.qs) == [item]
    assert Theme in reference_cache._copies and Actor in reference_cache._copies
    unknown = ItemFilterSet({"made_by": "nobody"}, Item.objects.all())
    assert not unknown.is_valid()
    assert unknown.errors["made_by"] == ["Unknown actor id or slug: “nobody”."]
