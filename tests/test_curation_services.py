"""The workbench's services: exact spans, permissions, history, and how a re-import treats their results."""

from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from tests import factories
from tracker import services
from tracker.enums import LinkKind, ReviewState, Status
from tracker.models import Citation, Document, Item, ItemLink, StatusUpdate

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer(db):
    user = factories.UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    return user


def test_create_item_from_span_quotes_exactly_the_span(corpus, staff_user):
    text = corpus.strategy.text
    quote = "independent judicial councils"
    start = text.index(quote)

    item = services.create_item_from_span(
        document=corpus.strategy, start=start - 1, end=start + len(quote), user=staff_user
    )

    citation = item.citations.get()
    assert (citation.start, citation.end, citation.quote) == (start, start + len(quote), quote)  # the space left out
    assert item.text == quote and item.title == "Independent judicial councils"
    assert item.reference == "ATA-T-2-01"
    assert item.section == corpus.sections["2"]
    assert item.review_state == ReviewState.CONFIRMED and item.citations_curated
    assert item.history.get().history_user == staff_user


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [(10, 5, "is not inside the text"), (0, 10_000, "is not inside the text"), (48, 50, "only whitespace")],
)
def test_create_item_from_a_bad_span_is_refused(corpus, staff_user, start, end, message):
    with pytest.raises(ValidationError, match=message):
        services.create_item_from_span(document=corpus.strategy, start=start, end=end, user=staff_user)
    assert not Item.objects.filter(citations_curated=True).exists()


def test_create_item_over_boilerplate_is_refused(corpus, staff_user):
    start = corpus.strategy.text.index("Cookie notice")
    with pytest.raises(ValidationError, match="overlaps the Cookie notice"):
        services.create_item_from_span(document=corpus.strategy, start=start, end=start + 20, user=staff_user)
    assert not Item.objects.filter(citations_curated=True).exists()


def test_every_workbench_change_needs_its_permission(corpus, viewer):
    item = corpus.items["ATA-T-01"]
    citation = corpus.citations["ATA-T-01"]
    calls = [
        lambda: services.create_item_from_span(document=corpus.strategy, start=0, end=10, user=viewer),
        lambda: services.move_citation(citation=citation, start=0, end=10, user=viewer),
        lambda: services.split_item(item=item, at=citation.start + 5, user=viewer),
        lambda: services.merge_items(item=item, other=corpus.items["ATA-T-02"], user=viewer),
        lambda: services.review_item(item=item, state=ReviewState.CONFIRMED, user=viewer),
        lambda: services.set_item_relations(item=item, themes=[], user=viewer),
        lambda: services.link_items(source=item, target=corpus.items["ATA-T-02"], kind="restates", user=viewer),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    citation.refresh_from_db()
    assert (citation.start, citation.item_id) == (corpus.citations["ATA-T-01"].start, item.pk)


def test_move_citation_takes_the_new_span_and_the_items_text(corpus, staff_user):
    citation = corpus.citations["ATA-T-02"]
    text = corpus.strategy.text
    start = text.index("exchange border surveillance data")

    services.move_citation(
        citation=citation, start=start, end=start + len("exchange border surveillance data"), user=staff_user
    )

    citation.refresh_from_db()
    assert citation.quote == "exchange border surveillance data" == text[citation.start : citation.end]
    item = citation.item
    item.refresh_from_db()
    assert item.text == "exchange border surveillance data" and item.citations_curated
    assert citation.history.first().history_user == staff_user


def test_split_gives_two_items_with_the_two_parts(corpus, staff_user):
    item = corpus.items["ATA-T-01"]
    citation = corpus.citations["ATA-T-01"]
    at = corpus.strategy.text.index("support joint", citation.start)

    new = services.split_item(item=item, at=at, user=staff_user)

    item.refresh_from_db()
    assert item.citations.get().quote == "NATO and the European Union should"
    assert new.citations.get().quote == "support joint border monitoring between Serbia and Kosovo."
    assert sorted(new.made_by.values_list("slug", flat=True)) == ["ata"]
    assert sorted(new.themes.values_list("slug", flat=True)) == ["border-monitoring"]
    assert item.status == Status.IN_PROGRESS and item.status_updates.count() == 2  # history stays with the item
    with pytest.raises(ValidationError, match="not inside a citation"):
        services.split_item(item=item, at=0, user=staff_user)


def test_merge_combines_citations_and_keeps_both_histories(corpus, staff_user):
    item, other = corpus.items["ATA-T-01"], corpus.items["ATA-T-02"]
    other_id = other.pk

    merged = services.merge_items(item=item, other=other, user=staff_user)

    assert [c.quote for c in merged.citations.order_by("position")] == [
        "NATO and the European Union should support joint border monitoring between Serbia and Kosovo.",
        "The governments of the region must exchange border surveillance data in real time.",
    ]
    assert not Item.objects.filter(pk=other_id).exists()
    assert StatusUpdate.objects.filter(item=merged).count() == 3  # 2 of its own and the other's
    assert merged.status == Status.IMPLEMENTED  # the latest of the combined history
    assert sorted(merged.addressed_to.values_list("slug", flat=True)) == ["european-union", "kosovo", "nato", "serbia"]
    # The other item's history is kept, ending with its deletion by the merge.
    last = Item.history.filter(id=other_id).order_by("-history_date").first()
    assert last.history_type == "-" and last.history_change_reason == "workbench: merged ATA-T-02 into ATA-T-01"
    assert ItemLink.objects.filter(target=merged).count() == 2
    with pytest.raises(ValidationError, match="another document"):
        services.merge_items(item=merged, other=corpus.items["NATO-T-01"], user=staff_user)


def test_set_relations_replaces_actors_and_themes_and_refuses_unknown_slugs(corpus, staff_user):
    item = corpus.items["ATA-T-04"]
    services.set_item_relations(item=item, made_by=["nato"], themes=["rule-of-law"], user=staff_user)
    assert list(item.made_by.values_list("slug", flat=True)) == ["nato"]
    assert list(item.themes.values_list("slug", flat=True)) == ["rule-of-law"]
    with pytest.raises(ValidationError, match="Unknown actor slug"):
        services.set_item_relations(item=item, addressed_to=["atlantis"], user=staff_user)


def test_next_needing_review_walks_the_queue_across_documents(corpus, staff_user):
    Item.objects.update(review_state=ReviewState.CONFIRMED)
    first, last = corpus.items["ATA-T-02"], corpus.items["NATO-T-01"]
    Item.objects.filter(pk__in=[first.pk, last.pk]).update(review_state=ReviewState.NEEDS_REVIEW)
    rejected_orphan = corpus.items["ATA-T-04"]
    Item.objects.filter(pk=rejected_orphan.pk).update(review_state=ReviewState.REJECTED, is_orphaned=True)
    Item.objects.filter(pk=corpus.items["ATA-T-03"].pk).update(is_orphaned=True)

    assert services.next_needing_review() == first
    assert services.next_needing_review(after=first) == corpus.items["ATA-T-03"]
    assert services.next_needing_review(after=corpus.items["ATA-T-03"]) == last
    assert services.next_needing_review(after=last) == first  # round again


def test_link_items_refuses_an_unknown_kind(corpus, staff_user):
    with pytest.raises(ValidationError, match="not a link kind"):
        services.link_items(
            source=corpus.items["NATO-T-01"], target=corpus.items["ATA-T-02"], kind="likes", user=staff_user
        )
    link = services.link_items(
        source=corpus.items["NATO-T-01"], target=corpus.items["ATA-T-02"], kind=LinkKind.IMPLEMENTS, user=staff_user
    )
    assert str(link) == "NATO-T-01 implements ATA-T-02"


# --- Curated citations through a re-import ------------------------------------------------------------

STATEMENT = (
    "The Socialist International reaffirms its complete support and solidarity with the people of the Balkans.\n"
    "NATO pledged to keep its 16,000 peacekeepers in the Serbian province to deter any clashes.\n"
)


def _import(folder, text):
    (folder / "si.txt").write_text(text, encoding="utf-8")
    (folder / "manifest.toml").write_text(
        '[[documents]]\nfile = "si.txt"\nslug = "si"\nreference_prefix = "SI-T"\ntitle = "T"\nkind = "statement"\n'
        'publisher = "Socialist International"\npublished = "2006-01"\n',
        encoding="utf-8",
    )
    call_command("import_corpus", str(folder / "manifest.toml"), stdout=StringIO())


def test_reimport_keeps_a_split_and_a_merge(tmp_path, staff_user):
    _import(tmp_path, STATEMENT)
    nato = Item.objects.get(text__contains="16,000")
    si = Item.objects.get(text__contains="Socialist International")
    document = Document.objects.get()
    at = document.text.index("to deter")
    new = services.split_item(item=nato, at=at, user=staff_user)
    services.merge_items(item=si, other=new, user=staff_user)
    count = Item.objects.count()

    _import(tmp_path, "Preamble.\n" + STATEMENT.replace("deter any clashes", "deter all clashes"))

    assert Item.objects.count() == count  # neither the split nor the merge is undone by a twin
    nato.refresh_from_db()
    assert nato.citations.get().quote == "NATO pledged to keep its 16,000 peacekeepers in the Serbian province"
    assert [c.quote for c in si.citations.order_by("position")][1] == "to deter all clashes."
    for citation in Citation.objects.select_related("document"):
        assert citation.document.text[citation.start : citation.end] == citation.quote
