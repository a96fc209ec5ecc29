"""The data model: every named constraint at the database level, the citation invariant, themes, status, history."""

from contextlib import contextmanager
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from tests import factories
from tracker.enums import ActorKind, DatePrecision, ReviewState, Status
from tracker.models import Actor, BoilerplateSpan, Citation, Document, Item, ItemLink, Section, StatusUpdate, Theme

pytestmark = pytest.mark.django_db


@contextmanager
def violates(constraint: str, *, sqlite_columns: str = ""):
    """The block must fail at the database level, on the named constraint.

    PostgreSQL names every violated constraint; SQLite names CHECK constraints but reports a UNIQUE
    violation by its columns, so unique constraints pass `sqlite_columns` ("tracker_x.a, tracker_x.b").
    """
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        yield
    message = str(excinfo.value)
    if connection.vendor == "postgresql":
        assert f'"{constraint}"' in message
    elif sqlite_columns:
        assert f"UNIQUE constraint failed: {sqlite_columns}" in message
    else:
        assert f"CHECK constraint failed: {constraint}" in message


def update(obj, **fields):
    """A raw UPDATE that skips save() and clean(): only the database stands in the way."""
    type(obj).objects.filter(pk=obj.pk).update(**fields)


# ---------------------------------------------------------------------------------------------------------------
# Document


def test_document_kind_valid():
    document = factories.DocumentFactory()
    with violates("document_kind_valid"):
        update(document, kind="pamphlet")


def test_document_date_precision_valid():
    document = factories.DocumentFactory()
    with violates("document_date_precision_valid"):
        update(document, date_precision="decade")


@pytest.mark.parametrize(
    ("published", "precision"), [(None, DatePrecision.DAY), (date(2006, 10, 1), DatePrecision.UNKNOWN)]
)
def test_document_date_matches_precision(published, precision):
    document = factories.DocumentFactory()
    with violates("document_date_matches_precision"):
        update(document, published=published, date_precision=precision)
    document.published, document.date_precision = published, precision
    with pytest.raises(ValidationError) as excinfo:
        document.full_clean()
    assert excinfo.value.messages == ["Constraint “document_date_matches_precision” is violated."]


def test_document_sha256_hex():
    document = factories.DocumentFactory()
    with violates("document_sha256_hex"):
        update(document, sha256="A" * 64)
    document.sha256 = "not-a-hash"
    with pytest.raises(ValidationError) as excinfo:
        document.full_clean()
    assert excinfo.value.message_dict["sha256"] == ["Enter a lowercase hexadecimal SHA-256 (64 characters)."]


def test_document_unique_slug_and_prefix():
    document = factories.DocumentFactory(slug="ata", reference_prefix="ATA")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.DocumentFactory(slug="ata")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.DocumentFactory(reference_prefix="ATA")
    assert list(Document.objects.all()) == [document]


# ---------------------------------------------------------------------------------------------------------------
# Spans: boilerplate and sections


def test_boilerplate_span_constraints():
    span = BoilerplateSpan.objects.create(document=factories.DocumentFactory(), start=0, end=10, label="Banner")
    with violates("boilerplate_end_after_start"):
        update(span, start=10, end=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        # PositiveIntegerField adds its own column check; either refuses a negative start.
        update(span, start=-1)


def test_boilerplate_span_outside_document_refused_by_clean():
    document = factories.DocumentFactory()
    span = BoilerplateSpan(document=document, start=0, end=len(document.text) + 1, label="Banner")
    with pytest.raises(ValidationError) as excinfo:
        span.full_clean()
    length = len(document.text)
    assert excinfo.value.message_dict == {
        "end": [f"The span 0-{length + 1} ends after the document's text ({length} characters)."]
    }


def test_section_constraints():
    section = factories.SectionFactory(start=0, end=10)
    with violates("section_end_after_start"):
        update(section, end=0)
    with violates("section_not_own_parent"):
        update(section, parent=section)
    columns = "tracker_section.document_id, tracker_section.start"
    with violates("section_unique_start_per_document", sqlite_columns=columns):
        Section.objects.create(document=section.document, number="2", start=0, end=5)


def test_section_start_not_negative():
    section = factories.SectionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        update(section, start=-1)


def test_section_parent_in_another_document_refused_by_clean():
    parent = factories.SectionFactory()
    section = factories.SectionFactory.build(document=factories.DocumentFactory(), parent=parent)
    with pytest.raises(ValidationError) as excinfo:
        section.full_clean()
    assert excinfo.value.message_dict == {"parent": ["The parent section belongs to another document."]}


# ---------------------------------------------------------------------------------------------------------------
# Actors and themes


def test_actor_constraints():
    actor = factories.ActorFactory()
    with violates("actor_kind_valid"):
        update(actor, kind="alien")
    with violates("actor_iso_code_only_for_states"):
        update(actor, iso_code="RS")
    with violates("actor_not_own_parent"):
        update(actor, parent=actor)
    factories.ActorFactory(kind=ActorKind.STATE, iso_code="RS")
    with violates("actor_unique_iso_code", sqlite_columns="tracker_actor.iso_code"):
        factories.ActorFactory(kind=ActorKind.STATE, iso_code="RS")
    # Many actors without a code are fine: the unique constraint is partial.
    factories.ActorFactory.create_batch(2, iso_code="")


def test_actor_clean_messages():
    actor = factories.ActorFactory.build(kind=ActorKind.PERSON, iso_code="RS")
    with pytest.raises(ValidationError) as excinfo:
        actor.full_clean()
    assert excinfo.value.message_dict["iso_code"] == ["Only states have an ISO 3166 code."]
    factories.ActorFactory(kind=ActorKind.STATE, iso_code="AL")
    duplicate = factories.ActorFactory.build(kind=ActorKind.STATE, iso_code="AL")
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert excinfo.value.messages == ["Constraint “actor_unique_iso_code” is violated."]


def test_theme_not_own_parent():
    theme = factories.ThemeFactory()
    with violates("theme_not_own_parent"):
        update(theme, parent=theme)


def test_theme_path_follows_parent_and_moves_with_it():
    root = factories.ThemeFactory(slug="security")
    child = factories.ThemeFactory(slug="borders", parent=root)
    grandchild = factories.ThemeFactory(slug="patrols", parent=child)
    assert [root.path, child.path, grandchild.path] == ["security", "security/borders", "security/borders/patrols"]
    assert grandchild.depth == 2
    new_root = factories.ThemeFactory(slug="defence")
    child.parent = new_root
    child.save()
    grandchild.refresh_from_db()
    assert grandchild.path == "defence/borders/patrols"


def test_theme_with_descendants():
    root = factories.ThemeFactory(slug="frontier")
    child = factories.ThemeFactory(slug="checks", parent=root)
    grandchild = factories.ThemeFactory(slug="dogs", parent=child)
    factories.ThemeFactory(slug="frontier-guards")  # shares the prefix, not the path: not a descendant
    assert list(Theme.objects.with_descendants([root])) == [root, child, grandchild]
    assert list(Theme.objects.with_descendants([child])) == [child, grandchild]
    assert list(Theme.objects.with_descendants([])) == []


def test_theme_cannot_be_its_own_ancestor():
    root = factories.ThemeFactory()
    child = factories.ThemeFactory(parent=root)
    root.parent = child
    with pytest.raises(ValidationError) as excinfo:
        root.full_clean()
    assert excinfo.value.message_dict == {"parent": ["A theme cannot be its own ancestor."]}


def test_items_in_themes_include_descendants():
    root = factories.ThemeFactory()
    child = factories.ThemeFactory(parent=root)
    in_root, in_child = factories.ItemFactory(themes=[root]), factories.ItemFactory(themes=[child])
    factories.ItemFactory(themes=[factories.ThemeFactory()])
    assert list(Item.objects.in_themes([root])) == [in_root, in_child]
    assert list(Item.objects.in_themes([root], descendants=False)) == [in_root]


# ---------------------------------------------------------------------------------------------------------------
# Items


@pytest.mark.parametrize(
    ("field", "value", "constraint"),
    [
        ("kind", "wish", "item_kind_valid"),
        ("strength", "might", "item_strength_valid"),
        ("review_state", "pending", "item_review_state_valid"),
        ("status", "finished", "item_status_valid"),
        ("title", "", "item_title_not_empty"),
        ("text", "", "item_text_not_empty"),
    ],
)
def test_item_check_constraints(field, value, constraint):
    item = factories.ItemFactory()
    with violates(constraint):
        update(item, **{field: value})


def test_item_unique_source_key():
    item = factories.ItemFactory()
    update(item, source_key="abc")
    other = factories.ItemFactory(document=item.document)
    with violates("item_unique_source_key", sqlite_columns="tracker_item.document_id, tracker_item.source_key"):
        update(other, source_key="abc")
    # Blank keys do not collide, and the same key in another document is fine.
    factories.ItemFactory(document=item.document)
    update(factories.ItemFactory(), source_key="abc")


def test_item_duplicate_reference():
    factories.ItemFactory(reference="ATA-2006-01")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ItemFactory(reference="ATA-2006-01")
    duplicate = factories.ItemFactory.build(reference="ATA-2006-01", document=factories.DocumentFactory())
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert excinfo.value.message_dict == {"reference": ["Item with this Reference already exists."]}


def test_item_status_outside_scale_refused_by_full_clean():
    item = factories.ItemFactory()
    item.status = "finished"
    with pytest.raises(ValidationError) as excinfo:
        item.full_clean()
    assert excinfo.value.messages == ["Constraint “item_status_valid” is violated."]


def test_item_with_two_citations():
    document = factories.DocumentFactory()
    other_document = factories.DocumentFactory(text="A second source: the region must conclude free trade.")
    item = factories.ItemFactory(document=document)
    first = factories.CitationFactory(item=item, position=1)
    start = other_document.text.index("the region")
    second = factories.CitationFactory(
        item=item,
        document=other_document,
        start=start,
        end=start + 35,
        quote="the region must conclude free trade",
        position=0,
    )
    assert list(item.citations.all()) == [second, first]
    assert [c.quote for c in item.citations.all()] == [
        "the region must conclude free trade",
        "Countries in the region must conclude free trade agreements among each other.",
    ]


# ---------------------------------------------------------------------------------------------------------------
# Citations: the invariant quote == document.text[start:end]


def test_citation_save_refuses_wrong_quote():
    item = factories.ItemFactory()
    citation = Citation(item=item, document=item.document, start=16, end=25, quote="Countrees")
    with pytest.raises(ValidationError) as excinfo:
        citation.save()
    assert excinfo.value.message_dict == {
        "quote": [f"The quote does not match the text of “{item.document}” at 16-25: the document has “Countries”."]
    }
    assert Citation.objects.count() == 0


def test_citation_save_refuses_span_outside_document():
    item = factories.ItemFactory()
    length = len(item.document.text)
    citation = Citation(item=item, document=item.document, start=length - 2, end=length + 3, quote="xx\n  ")
    with pytest.raises(ValidationError) as excinfo:
        citation.save()
    assert excinfo.value.message_dict == {
        "end": [f"The span {length - 2}-{length + 3} ends after the document's text ({length} characters)."]
    }
    assert Citation.objects.count() == 0


def test_citation_save_refuses_a_span_over_boilerplate():
    item = factories.ItemFactory()
    BoilerplateSpan.objects.create(document=item.document, start=0, end=15, label="cookie notice")
    citation = Citation(item=item, document=item.document, start=3, end=15, quote=item.document.text[3:15])
    with pytest.raises(ValidationError) as excinfo:
        citation.save()
    assert excinfo.value.message_dict == {
        "start": [
            "The span 3-15 overlaps the cookie notice at 0-15: boilerplate is not part of the document and is "
            "never cited."
        ]
    }
    assert Citation.objects.count() == 0
    # Right after the boilerplate is fine.
    Citation(item=item, document=item.document, start=16, end=25, quote="Countries").save()
    assert Citation.objects.count() == 1


def test_citation_database_constraints():
    citation = factories.CitationFactory()
    with violates("citation_end_after_start"):
        update(citation, end=citation.start)
    with violates("citation_quote_length_matches_span"):
        update(citation, quote=citation.quote + "!")
    columns = "tracker_citation.item_id, tracker_citation.document_id, tracker_citation.start, tracker_citation.end"
    duplicate = Citation(
        item=citation.item, document=citation.document, start=citation.start, end=citation.end, quote=citation.quote
    )
    with violates("citation_unique_span_per_item", sqlite_columns=columns):
        Citation.objects.bulk_create([duplicate])


def test_citation_start_not_negative():
    citation = factories.CitationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        update(citation, start=-1)


def test_citation_section_in_another_document_refused_by_clean():
    citation = factories.CitationFactory()
    citation.section = factories.SectionFactory()
    with pytest.raises(ValidationError) as excinfo:
        citation.full_clean()
    assert excinfo.value.message_dict == {"section": ["The section belongs to another document."]}


# ---------------------------------------------------------------------------------------------------------------
# Status history


def test_status_update_status_valid():
    status_update = factories.StatusUpdateFactory()
    with violates("status_update_status_valid"):
        update(status_update, status="finished")


def test_status_as_of_a_date():
    item = factories.ItemFactory()
    never_assessed = factories.ItemFactory()
    for status, day in [
        (Status.NOT_STARTED, date(2020, 1, 1)),
        (Status.IN_PROGRESS, date(2022, 6, 1)),
        (Status.IMPLEMENTED, date(2024, 1, 1)),
    ]:
        factories.StatusUpdateFactory(item=item, status=status, assessed_on=day)

    def as_of(day):
        return dict(Item.objects.with_status_as_of(day).values_list("pk", "status_as_of"))

    assert as_of(date(2019, 12, 31)) == {item.pk: Status.UNKNOWN, never_assessed.pk: Status.UNKNOWN}
    assert as_of(date(2021, 1, 1))[item.pk] == Status.NOT_STARTED
    assert as_of(date(2022, 6, 1))[item.pk] == Status.IN_PROGRESS
    assert as_of(date(2030, 1, 1))[item.pk] == Status.IMPLEMENTED


def test_status_as_of_same_day_latest_recorded_wins():
    item = factories.ItemFactory()
    factories.StatusUpdateFactory(item=item, status=Status.IN_PROGRESS, assessed_on=date(2022, 1, 1))
    factories.StatusUpdateFactory(item=item, status=Status.STALLED, assessed_on=date(2022, 1, 1))
    assert Item.objects.with_status_as_of(date(2022, 1, 1)).get().status_as_of == Status.STALLED
    assert item.status_updates.latest().status == Status.STALLED


def test_status_updates_listed_newest_first():
    item = factories.ItemFactory()
    old = factories.StatusUpdateFactory(item=item, assessed_on=date(2020, 1, 1))
    new = factories.StatusUpdateFactory(item=item, assessed_on=date(2023, 1, 1))
    assert list(item.status_updates.all()) == [new, old]
    assert list(StatusUpdate.objects.filter(item=item).order_by("assessed_on")) == [old, new]


# ---------------------------------------------------------------------------------------------------------------
# Item links


def test_item_link_constraints():
    link = factories.ItemLinkFactory()
    with violates("item_link_kind_valid"):
        update(link, kind="mentions")
    with violates("item_link_not_to_itself"):
        update(link, target=link.source)
    with violates("item_link_unique", sqlite_columns="tracker_itemlink.source_id, tracker_itemlink.target_id"):
        ItemLink.objects.create(source=link.source, target=link.target, kind=link.kind)


def test_item_link_to_itself_refused_by_clean():
    item = factories.ItemFactory()
    link = ItemLink(source=item, target=item, kind="restates")
    with pytest.raises(ValidationError) as excinfo:
        link.full_clean()
    assert excinfo.value.message_dict["target"] == ["An item cannot be linked to itself."]


def test_item_links_both_directions():
    first, second = factories.ItemFactory.create_batch(2)
    link = factories.ItemLinkFactory(source=first, target=second)
    assert list(first.links_out.all()) == [link]
    assert list(second.links_in.all()) == [link]
    assert str(link) == f"{first.reference} follows up {second.reference}"


# ---------------------------------------------------------------------------------------------------------------
# History


def test_history_recorded_on_change_outside_a_request():
    item = factories.ItemFactory(title="First title")
    item.title = "Second title"
    item.review_state = ReviewState.CONFIRMED
    item.save()
    records = list(item.history.order_by("history_id"))
    assert [(r.history_type, r.title, r.review_state, r.history_user) for r in records] == [
        ("+", "First title", ReviewState.NEEDS_REVIEW, None),
        ("~", "Second title", ReviewState.CONFIRMED, None),
    ]
    delta = records[1].diff_against(records[0])
    assert sorted(change.field for change in delta.changes) == ["review_state", "title"]
    assert {change.field: (change.old, change.new) for change in delta.changes}["title"] == (
        "First title",
        "Second title",
    )


def test_history_records_theme_changes():
    item = factories.ItemFactory()
    theme = factories.ThemeFactory()
    item.themes.add(theme)
    latest = item.history.order_by("-history_id").first()
    assert [row.theme_id for row in latest.themes.all()] == [theme.pk]


def test_history_of_other_models():
    actor = factories.ActorFactory(name="NATO")
    actor.name = "North Atlantic Treaty Organization"
    actor.save()
    assert list(actor.history.order_by("history_id").values_list("name", flat=True)) == [
        "NATO",
        "North Atlantic Treaty Organization",
    ]
    document = factories.DocumentFactory()
    document_id = document.pk
    document.delete()
    assert Document.history.filter(id=document_id).latest("history_id").history_type == "-"
    assert Actor.history.count() == 2
