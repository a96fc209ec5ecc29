"""Item queryset filters on the join tables (RelatedRowsExist), alone, combined and inside subqueries."""

import pytest

from tests import factories
from tracker.models import Item


@pytest.fixture
def rows(db):
    nato, eu = factories.ActorFactory(slug="nato"), factories.ActorFactory(slug="eu")
    theme = factories.ThemeFactory()
    made = factories.ItemFactory(reference="MADE", made_by=[nato], themes=[theme])
    addressed = factories.ItemFactory(reference="ADDRESSED", addressed_to=[nato])
    other = factories.ItemFactory(reference="OTHER", made_by=[eu], addressed_to=[eu], themes=[theme])
    return nato, eu, theme, made, addressed, other


def refs(queryset) -> list[str]:
    return sorted(queryset.values_list("reference", flat=True))


def test_actor_and_theme_conditions(rows):
    nato, eu, theme, *_ = rows
    assert refs(Item.objects.made_by_any([nato])) == ["MADE"]
    assert refs(Item.objects.addressed_to_any([nato.pk])) == ["ADDRESSED"]
    assert refs(Item.objects.involving_any([nato])) == ["ADDRESSED", "MADE"]
    assert refs(Item.objects.involving_any([nato, eu]).in_themes([theme.pk], descendants=False)) == ["MADE", "OTHER"]
    assert refs(Item.objects.made_by_any([])) == []


def test_conditions_stay_correct_inside_a_subquery(rows):
    nato, _eu, theme, *_ = rows
    inner = Item.objects.made_by_any([nato]).in_themes([theme.pk], descendants=False).values("pk")
    # The inner query's aliases are relabelled (U0, ...) when it becomes a subquery; the EXISTS must follow.
    assert refs(Item.objects.filter(pk__in=inner)) == ["MADE"]
    assert refs(Item.objects.exclude(pk__in=Item.objects.involving_any([nato]).values("pk"))) == ["OTHER"]
