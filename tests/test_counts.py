"""Counts kept by the database (ItemCount, ActorRole, DataVersion) against a recount after every kind of change."""

import pytest
from django.db import connection, transaction

from tests import factories
from tracker import counts, services
from tracker.enums import ItemKind, Status
from tracker.models import ActorRole, Item, Theme

COUNT_COLUMNS = "status, kind, document_id, theme_id, actor_id, role, n"


def kept_rows() -> set:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {COUNT_COLUMNS} FROM tracker_itemcount WHERE n <> 0")  # noqa: S608
        return set(cursor.fetchall())


def recounted_rows() -> set:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {COUNT_COLUMNS} FROM tracker_item_count_recount")  # noqa: S608
        return set(cursor.fetchall())


def assert_counts_kept():
    if connection.vendor == "postgresql":
        assert kept_rows() == recounted_rows()
    roles = {(r.item_id, r.actor_id, r.role) for r in ActorRole.objects.all()}
    expected = {(i, a, "made_by") for i, a in Item.made_by.through.objects.values_list("item_id", "actor_id")}
    addressed = Item.addressed_to.through.objects.values_list("item_id", "actor_id")
    expected |= {(i, a, "addressed_to") for i, a in addressed}
    assert roles == expected


@pytest.fixture
def world(db):
    root = factories.ThemeFactory(slug="root")
    child_a = factories.ThemeFactory(slug="child-a", parent=root)
    child_b = factories.ThemeFactory(slug="child-b", parent=root)
    other = factories.ThemeFactory(slug="other")
    nato, eu = factories.ActorFactory(slug="nato"), factories.ActorFactory(slug="eu")
    document = factories.DocumentFactory()
    items = [
        factories.ItemFactory(document=document, made_by=[nato], addressed_to=[nato, eu], themes=[child_a, child_b]),
        factories.ItemFactory(document=document, made_by=[eu], themes=[other]),
        factories.ItemFactory(kind=ItemKind.COMMITMENT, made_by=[nato], themes=[root, child_a]),
        factories.ItemFactory(),
    ]
    return {"root": root, "a": child_a, "b": child_b, "other": other, "nato": nato, "eu": eu, "items": items}


def test_counts_follow_creates_and_m2m_changes(world):
    assert_counts_kept()
    first = world["items"][0]
    first.themes.remove(world["b"])
    assert_counts_kept()
    first.themes.add(world["other"], world["root"])
    assert_counts_kept()
    first.made_by.add(world["eu"])
    first.addressed_to.remove(world["nato"])
    assert_counts_kept()
    first.addressed_to.clear()
    first.made_by.set([world["nato"]])
    assert_counts_kept()
    Item.themes.through.objects.filter(item=first, theme=world["other"]).update(theme=world["b"])
    assert_counts_kept()


def test_counts_follow_status_kind_and_document_changes(world):
    item = world["items"][0]
    services.record_status_update(item=item, status=Status.IN_PROGRESS)
    assert_counts_kept()
    services.record_status_update(item=item, status=Status.STALLED)
    Item.objects.filter(pk=world["items"][1].pk).update(kind=ItemKind.PROPOSAL, document=factories.DocumentFactory())
    assert_counts_kept()
    Item.objects.update(status=Status.IMPLEMENTED)
    assert_counts_kept()


def test_counts_follow_deletes(world):
    world["items"][0].delete()
    assert_counts_kept()
    Item.objects.filter(kind=ItemKind.COMMITMENT).delete()
    assert_counts_kept()
    world["eu"].delete()
    assert_counts_kept()
    Item.objects.all().delete()
    assert_counts_kept()


def test_counts_follow_the_theme_tree(world):
    child = world["a"]
    child.parent = world["other"]
    child.save()
    assert_counts_kept()
    world["b"].items.clear()
    world["b"].delete()
    assert_counts_kept()


def test_summed_answers_per_dimension(world):
    root, nato = world["root"], world["nato"]
    # Items 0 (child-a and child-b: once) and 2 (root and child-a: once) are under root.
    assert counts.summed("status", theme=root.pk) == {Status.UNKNOWN: 2}
    assert counts.summed("kind", actor=nato.pk, role="any") == {ItemKind.RECOMMENDATION: 1, ItemKind.COMMITMENT: 1}
    assert counts.summed("kind", actor=nato.pk, role="addressed_to") == {ItemKind.RECOMMENDATION: 1}
    themes = counts.summed("theme_id", actor=nato.pk, role="made_by")
    assert themes == {root.pk: 2, world["a"].pk: 2, world["b"].pk: 1}
    actors = counts.summed("actor_id", theme=world["other"].pk)
    assert actors == {world["eu"].pk: 1}
    assert counts.total() == 4
    assert counts.total(kinds=[ItemKind.COMMITMENT]) == 1
    documents = counts.summed("document_id")
    assert documents[world["items"][0].document_id] == 2
    assert sum(documents.values()) == 4


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the synthetic load defers PostgreSQL's triggers")
def test_counts_after_a_synthetic_bulk_load(db):
    from tracker.synthetic import generate

    factories.ThemeFactory(slug="t1")
    generate(items=300, actors=12, batch_size=100)
    assert_counts_kept()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_data_version_grows_with_every_change_and_its_own_transaction_sees_it():
    before = counts.data_version()
    with transaction.atomic():
        item = factories.ItemFactory()
        inside = counts.data_version()
        assert inside > before
        item.themes.add(factories.ThemeFactory())
        assert counts.data_version() > inside
    after_create = counts.data_version()
    Theme.objects.update(name="Renamed")  # a rename, and a deletion, change the version too
    assert counts.data_version() > after_create
    renamed = counts.data_version()
    Item.objects.filter(pk=item.pk).delete()
    assert counts.data_version() > renamed


@pytest.mark.django_db
@pytest.mark.postgres_only
@pytest.mark.parametrize(
    ("index", "definition"),
    [
        (
            "item_count_actor_slice_idx",
            "(role, actor_id) INCLUDE (status, kind, n) WHERE ((theme_id = 0) AND (document_id = 0))",
        ),
        (
            "item_count_theme_slice_idx",
            "(role, theme_id) INCLUDE (status, kind, n) WHERE ((actor_id = 0) AND (document_id = 0))",
        ),
    ],
)
def test_the_dashboards_count_slices_have_their_covering_index(index, definition):
    # The dashboard's and the lists' sums of the kept counts (every actor's, every theme's) read a slice whose rows
    # are spread over the whole table: migration 0015 keeps each slice in a small covering index, read alone at
    # 1,000,000 items (README); a test database's table is too small for the planner to prefer it.
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [index])
        (found,) = cursor.fetchone()
    assert found.endswith(f"USING btree {definition}"), found
