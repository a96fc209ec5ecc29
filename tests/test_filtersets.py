"""ItemFilterSet and the other FilterSets tested directly, with exact expected references."""

import pytest
from django.db import connection, transaction
from django.http import QueryDict

from tests import factories
from tests.api_world import build_world
from tracker.facets import facets
from tracker.filtersets import (
    ActorFilterSet,
    CitationFilterSet,
    DocumentFilterSet,
    ItemFilterSet,
    ItemLinkFilterSet,
    StatusUpdateFilterSet,
    ThemeFilterSet,
)
from tracker.models import Actor, Citation, Document, Item, ItemLink, StatusUpdate, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def refs(params) -> list[str]:
    filterset = ItemFilterSet(params, Item.objects.all())
    assert filterset.is_valid(), filterset.errors
    return [item.reference for item in filterset.qs]


def errors(params) -> dict:
    filterset = ItemFilterSet(params, Item.objects.all())
    assert not filterset.is_valid()
    return filterset.errors


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["W-1", "W-2", "W-3", "W-4"]),
        ({"kind": "recommendation"}, ["W-1", "W-4"]),
        ({"kind": ["commitment", "proposal"]}, ["W-2", "W-3"]),
        ({"kind": "commitment,proposal"}, ["W-2", "W-3"]),
        ({"status": "implemented"}, ["W-1"]),
        ({"status": ["stalled", "unknown"]}, ["W-2", "W-3", "W-4"]),
        ({"review_state": "confirmed"}, ["W-1", "W-4"]),
        ({"review_state": ["needs_review", "rejected"]}, ["W-2", "W-3"]),
        ({"strength": "must"}, ["W-1", "W-4"]),
        ({"strength": ["should", "could"]}, ["W-2", "W-3"]),
        ({"made_by": "nato"}, ["W-1"]),
        ({"made_by": ["nato", "eu"]}, ["W-1", "W-2"]),
        ({"addressed_to": "nato"}, ["W-2"]),
        ({"actor": "nato"}, ["W-1", "W-2"]),
        ({"actor": ["serbia"]}, ["W-1", "W-4"]),
        ({"theme": "w-root"}, ["W-1", "W-2"]),
        ({"theme": "w-child"}, ["W-1"]),
        ({"theme": ["w-child", "w-other"]}, ["W-1", "W-4"]),
        ({"document": "doc-a"}, ["W-1", "W-4"]),
        ({"document": "doc-b"}, ["W-2", "W-3"]),
        ({"date_after": "2010-01-01"}, ["W-2", "W-3"]),
        ({"date_before": "2010-05-01"}, ["W-1", "W-2"]),
        ({"date_after": "2007-01-01", "date_before": "2012-12-31"}, ["W-2"]),
        ({"q": "trade"}, ["W-1"]),
        ({"q": "regional roma"}, ["W-2"]),
        ({"q": "media southeast"}, ["W-3"]),
        ({"q": "trade roma"}, []),
        ({"actor": "nato", "theme": "w-root"}, ["W-1", "W-2"]),
        ({"actor": "serbia", "theme": "w-root"}, ["W-1"]),
        ({"made_by": "eu", "theme": "w-child"}, []),
        ({"actor": "nato", "status": "stalled"}, ["W-2"]),
        ({"kind": "recommendation", "strength": "must", "document": "doc-a", "theme": "w-other"}, ["W-4"]),
        ({"ordering": "-reference"}, ["W-4", "W-3", "W-2", "W-1"]),
        ({"ordering": "title"}, ["W-4", "W-1", "W-3", "W-2"]),
        ({"ordering": "status,-id"}, ["W-1", "W-2", "W-4", "W-3"]),
    ],
)
def test_item_filterset_params_exact_references(world, params, expected):
    assert refs(params) == expected


def test_item_filterset_actor_is_one_exists_on_the_actor_role_table(world):
    # One plan for popular and rare actors alike: no OR over the two join tables, no capped count first.
    sql = str(ItemFilterSet({"actor": "nato"}, Item.objects.all()).qs.query)
    assert "tracker_actorrole" in sql
    assert "tracker_item_made_by" not in sql and "tracker_item_addressed_to" not in sql

    assert refs({"actor": "nato"}) == ["W-1", "W-2"]
    assert refs({"actor": ["serbia"]}) == ["W-1", "W-4"]
    assert refs({"actor": "nato", "theme": "w-root"}) == ["W-1", "W-2"]
    assert refs({"actor": "nato", "status": "stalled"}) == ["W-2"]


def test_item_filterset_accepts_ids_as_well_as_slugs(world):
    assert refs({"made_by": str(world.nato.pk)}) == ["W-1"]
    assert refs({"actor": [str(world.nato.pk), "eu"]}) == ["W-1", "W-2", "W-4"]
    assert refs({"theme": str(world.root.pk)}) == ["W-1", "W-2"]
    assert refs({"document": str(world.doc_b.pk)}) == ["W-2", "W-3"]
    assert refs({"section": str(world.section.pk)}) == ["W-1"]


def test_item_filterset_ordering_by_date_puts_id_last_as_tie_breaker(world):
    filterset = ItemFilterSet({"ordering": "-date"}, Item.objects.all())
    assert filterset.is_valid()
    assert filterset.qs.query.order_by == ("-date", "id")
    dated = [ref for ref in refs({"ordering": "-date"}) if ref != "W-4"]
    assert dated == ["W-3", "W-2", "W-1"]


def test_item_filterset_as_of_filters_on_status_then(world):
    assert refs({"as_of": "2021-01-01", "status": "in_progress"}) == ["W-1"]
    assert refs({"as_of": "2019-01-01", "status": "unknown"}) == ["W-1", "W-2", "W-3", "W-4"]
    assert refs({"as_of": "2022-06-01", "status": ["implemented", "stalled"]}) == ["W-1", "W-2"]
    filterset = ItemFilterSet({"as_of": "2021-01-01"}, Item.objects.all())
    assert filterset.is_valid()
    assert {item.reference: item.status_as_of for item in filterset.qs} == {
        "W-1": "in_progress",
        "W-2": "unknown",
        "W-3": "unknown",
        "W-4": "unknown",
    }


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"made_by": "nobody"}, "made_by", "Unknown actor id or slug: “nobody”."),
        ({"actor": "nato,999999"}, "actor", "Unknown actor id or slug: “999999”."),
        ({"theme": "no-such-theme"}, "theme", "Unknown theme id or slug: “no-such-theme”."),
        (
            {"document": "99999999999999999999999"},
            "document",
            "Unknown document id or slug: “99999999999999999999999”.",
        ),
        ({"section": "abc"}, "section", "Unknown section id: “abc”."),
        ({"addressed_to": "bad slug!"}, "addressed_to", "Unknown actor id or slug: “bad slug!”."),
        ({"status": "done"}, "status", "Select a valid choice. done is not one of the available choices."),
        ({"kind": "wish"}, "kind", "Select a valid choice. wish is not one of the available choices."),
        ({"date_after": "2020-13-01"}, "date_after", "Enter a valid date."),
        ({"as_of": "yesterday"}, "as_of", "Enter a valid date."),
        ({"ordering": "-secret"}, "ordering", "Select a valid choice. -secret is not one of the available choices."),
        ({"q": "x\x00y"}, "q", "Null characters are not allowed."),
    ],
)
def test_item_filterset_rejects_unknown_values_per_field(world, params, field, message):
    assert errors(params) == {field: [message]}


@pytest.mark.postgres_only
def test_item_filterset_search_ranks_on_postgresql(world):
    factories.ItemFactory(reference="W-5", title="Trade trade trade", text="Trade is the theme: trade.")
    assert refs({"q": "trade"}) == ["W-5", "W-1"]
    assert refs({"q": "trade", "ordering": "id"}) == ["W-1", "W-5"]
    # websearch syntax: a quoted phrase and a negation.
    assert refs({"q": '"free trade" -roma'}) == ["W-1"]
    # The rank is computed only when it orders the results.
    ranked = ItemFilterSet({"q": "trade"}, Item.objects.all())
    by_title = ItemFilterSet({"q": "trade", "ordering": "title"}, Item.objects.all())
    assert ranked.is_valid() and by_title.is_valid()
    assert "search_rank" in ranked.qs.query.annotations
    assert "search_rank" not in by_title.qs.query.annotations
    assert [item.reference for item in by_title.qs] == ["W-1", "W-5"]


@pytest.mark.postgres_only
def test_ranked_search_ranks_the_newest_candidates_and_facets_count_every_match(world, monkeypatch):
    from tracker import search

    factories.ItemFactory(reference="W-5", title="Trade trade trade", text="Trade is the theme: trade.")
    factories.ItemFactory(reference="W-6", title="Once", text="Some trade.")
    factories.ItemFactory(reference="W-7", title="Trade twice", text="Trade again.")
    monkeypatch.setattr(search, "RANK_CANDIDATES", 2)
    # The two newest matches (W-6, W-7), by relevance; W-1 and W-5 are older than the candidates.
    assert refs({"q": "trade"}) == ["W-7", "W-6"]
    assert refs({"q": "trade", "ordering": "id"}) == ["W-1", "W-5", "W-6", "W-7"]
    filterset = ItemFilterSet({"q": "trade"}, Item.objects.all())
    assert filterset.is_valid()
    filterset.qs  # noqa: B018 - sets matches
    assert sum(row["count"] for row in facets(filterset.matches)["status"]) == 4
    monkeypatch.setattr(search, "RANK_CANDIDATES", 10)
    assert refs({"q": "trade"}) == ["W-5", "W-1", "W-7", "W-6"]  # every match a candidate: all by relevance


def _phrase_world():
    factories.ItemFactory(reference="W-5", title="Free trade free trade", text="Free trade is the theme.")
    factories.ItemFactory(reference="W-6", title="Trade free", text="Not the phrase: trade, free.")
    factories.ItemFactory(reference="W-7", title="Once", text="Some free trade.")
    factories.ItemFactory(reference="W-8", title="Free trade twice", text="Free trade again.")


@pytest.mark.postgres_only
def test_a_phrase_with_few_sampled_matches_reads_every_match_for_the_same_candidates(world, monkeypatch):
    # A phrase the word pairs do not narrow (here with a negated word) has its path chosen from the sample's count
    # (tracker.search): both paths give the newest RANK_CANDIDATES matches, by relevance; only the plan differs
    # (`id + 0`: every match read, then sorted).
    from tracker import search

    _phrase_world()
    monkeypatch.setattr(search, "RANK_CANDIDATES", 2)
    results = {}
    for few_sampled in (0, 10**9):  # never few (the primary-key walk), always few (every match, sorted)
        monkeypatch.setattr(search, "FEW_SAMPLED", few_sampled)
        filterset = ItemFilterSet({"q": '"free trade" -roma'}, Item.objects.all())
        assert filterset.is_valid()
        assert ("+ 0)" in str(filterset.qs.query)) is bool(few_sampled)
        results[few_sampled] = [item.reference for item in filterset.qs]
    assert results[0] == results[10**9] == ["W-8", "W-7"]  # the two newest phrase matches, by relevance
    monkeypatch.setattr(search, "RANK_CANDIDATES", 10)
    assert refs({"q": '"free trade" -roma'}) == ["W-5", "W-8", "W-1", "W-7"]  # W-6 has both words, not the phrase
    assert "+ 0)" not in str(ItemFilterSet({"q": "free trade"}, Item.objects.all()).qs.query)  # not a phrase


@pytest.mark.parametrize(
    ("parsed", "pairs"),
    [
        ("'border' <-> 'polic'", "'border polic'"),
        ("'border' <-> 'polic' <-> 'cooper'", "'border polic' & 'polic cooper'"),
        ("'border' <2> 'polic'", ""),  # a stopword between them: not side by side
        ("'border' <-> 'polic' & !'roma'", ""),  # not only a phrase
        ("'border' & 'polic'", ""),
        ("'trade'", ""),
        ("'o''neil' <-> 'plan'", ""),  # an escaped quote: left to the plain search
    ],
)
def test_word_pairs_of_a_phrase(parsed, pairs):
    from tracker.search import word_pairs

    assert word_pairs(parsed) == pairs


@pytest.mark.postgres_only
@pytest.mark.parametrize("q", ['"free trade"', "free+trade", '"trade free"', '"free trade twice"'])
def test_a_phrase_narrowed_by_its_word_pairs_finds_the_same_items(world, monkeypatch, q):
    from tracker import search

    _phrase_world()
    with_pairs = ItemFilterSet({"q": q}, Item.objects.all())
    assert with_pairs.is_valid()
    assert "tracker_word_pairs" in str(with_pairs.qs.query)
    # Two words side by side are one pair, which alone selects the phrase's items; three words are narrowed by their
    # two pairs and still tested as a phrase.
    assert ("websearch_to_tsquery" in str(with_pairs.matches.query)) is (q.count(" ") == 2)
    ranked = [item.reference for item in with_pairs.qs]
    by_id = refs({"q": q, "ordering": "id"})
    monkeypatch.setattr(search, "word_pairs", lambda parsed: "")  # the plain phrase search
    assert "tracker_word_pairs" not in str(ItemFilterSet({"q": q}, Item.objects.all()).qs.query)
    assert ranked == refs({"q": q}) and ranked
    assert by_id == refs({"q": q, "ordering": "id"})


@pytest.mark.postgres_only
def test_the_word_pairs_are_the_adjacent_lexemes(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tracker_word_pairs(to_tsvector('english', 'Border police of the region, police border'))"
        )
        # Positions: border 1, police 2 and 6, region 5 (the stopwords "of the" hold 3 and 4), border 7.
        assert cursor.fetchone()[0] == "'border polic' 'polic border' 'region polic'"
        cursor.execute("SELECT tracker_word_pairs(to_tsvector('english', 'police'))")
        assert cursor.fetchone()[0] == ""


def test_item_filterset_search_fallback_needs_every_word_on_sqlite(world):
    if connection.vendor != "sqlite":
        pytest.skip("the icontains fallback is for SQLite")
    assert refs({"q": "W-1"}) == ["W-1"]
    assert refs({"q": "FREE agreements"}) == ["W-1"]
    assert refs({"q": "free roma"}) == []


def test_facets_count_per_value_for_the_filtered_items(world):
    filterset = ItemFilterSet({"document": "doc-a"}, Item.objects.all())
    assert filterset.is_valid()
    result = facets(filterset.qs)
    assert result["status"] == [
        {"value": "implemented", "label": "Implemented", "count": 1},
        {"value": "unknown", "label": "Unknown", "count": 1},
    ]
    assert result["kind"] == [{"value": "recommendation", "label": "Recommendation", "count": 2}]
    assert result["document"] == [{"id": world.doc_a.pk, "slug": "doc-a", "title": world.doc_a.title, "count": 2}]
    assert [(t["path"], t["count"]) for t in result["theme"]] == [("w-other", 1), ("w-root", 1), ("w-root/w-child", 1)]
    assert [(a["slug"], a["count"]) for a in result["actor"]] == [("serbia", 2), ("eu", 1), ("nato", 1)]


def test_facets_theme_counts_include_descendants_without_double_counting(world):
    world.i2.themes.add(world.child)  # tagged with the root and the child: counted once under the root
    result = facets(Item.objects.all())
    assert [(t["path"], t["count"]) for t in result["theme"]] == [
        ("w-other", 1),
        ("w-root", 2),
        ("w-root/w-child", 2),
    ]


def test_facets_status_uses_as_of(world):
    filterset = ItemFilterSet({"as_of": "2021-01-01"}, Item.objects.all())
    assert filterset.is_valid()
    assert facets(filterset.qs)["status"] == [
        {"value": "in_progress", "label": "In progress", "count": 1},
        {"value": "unknown", "label": "Unknown", "count": 3},
    ]


def test_facets_run_a_fixed_number_of_queries(world, django_assert_num_queries):
    # Recount: the ids, their status/kind/document, themes, actors, then the three facets' names.
    with django_assert_num_queries(7):
        facets(Item.objects.all())
    # Kept counts: five sums and the three facets' names.
    with django_assert_num_queries(8):
        facets(Item.objects.all(), {})


@pytest.mark.parametrize("params", [{}, {"status": "stalled"}, {"kind": "recommendation", "status": "unknown,stalled"}])
def test_kept_counts_give_the_recount(world, params):
    filterset = ItemFilterSet(params, Item.objects.all())
    assert filterset.is_valid()
    kept = facets(filterset.qs, filterset.form.cleaned_data)
    recount = facets(filterset.qs)
    assert kept == recount
    assert kept["estimated"] is False


@pytest.mark.parametrize(
    ("params", "kept"),
    [
        ({"actor": "serbia"}, True),
        ({"made_by": "nato", "status": "implemented,stalled"}, True),
        ({"addressed_to": "nato", "kind": "recommendation"}, True),
        ({"actor": "nato", "theme": "w-root"}, True),
        ({"theme": "w-root", "status": "unknown"}, True),
        ({"actor": "nato,eu"}, False),  # either actor: not a kept count
        ({"made_by": "nato", "addressed_to": "serbia"}, False),
        ({"theme": "w-root,w-other"}, False),
        ({"actor": "nato", "document": "doc-a"}, False),
        ({"actor": "nato", "as_of": "2021-01-01"}, False),
    ],
)
def test_the_kept_total_is_the_filters_count_when_the_kept_counts_hold_it(world, params, kept):
    from tracker.facets import kept_total

    filterset = ItemFilterSet(params, Item.objects.all())
    assert filterset.is_valid(), filterset.errors
    total = kept_total(filterset.form.cleaned_data)
    assert total == (filterset.qs.count() if kept else None)


@pytest.mark.parametrize(
    "params",
    [
        {"actor": "nato"},
        {"made_by": "serbia", "status": "implemented,unknown"},
        {"addressed_to": "nato"},
    ],
)
def test_one_actors_theme_facet_from_the_kept_counts_is_the_recount(world, params, django_assert_num_queries):
    world.i2.themes.add(world.child)  # an item under the root twice: counted once
    filterset = ItemFilterSet(params, Item.objects.all())
    assert filterset.is_valid()
    recount = facets(filterset.qs)  # filters unknown: every facet recounted
    # The total and the theme facet from the kept counts; the ids, their rows and actors; the themes' and the
    # documents' and actors' names. No (item, theme) pairs are read.
    with django_assert_num_queries(8) as queries:
        kept = facets(filterset.qs, filterset.form.cleaned_data)
    assert kept == recount
    assert kept["theme"]
    assert not [q["sql"] for q in queries.captured_queries if "tracker_item_themes" in q["sql"]]


def test_facets_known_to_be_beyond_the_exact_limit_skip_the_probe(world, monkeypatch):
    # The kept counts say serbia has 2 items, more than a limit of 1: estimated at once, without the probe's LIMIT.
    from django.test.utils import CaptureQueriesContext

    from tracker import facets as facets_module

    filterset = ItemFilterSet({"actor": "serbia"}, Item.objects.all())
    assert filterset.is_valid()
    exact = facets(filterset.qs)
    monkeypatch.setattr(facets_module, "EXACT_LIMIT", 1)
    monkeypatch.setattr(facets_module, "SAMPLE_EVERY", 1)  # every item is in the sample: the same counts
    with CaptureQueriesContext(connection) as queries:
        estimated = facets(filterset.qs, filterset.form.cleaned_data)
    assert estimated == {**exact, "estimated": True}
    assert not [q["sql"] for q in queries.captured_queries if "LIMIT" in q["sql"]]


def test_facets_beyond_the_exact_limit_are_estimated_from_the_sample(world, monkeypatch):
    from tracker import facets as facets_module

    filterset = ItemFilterSet({"document": "doc-a"}, Item.objects.all())
    assert filterset.is_valid()
    exact = facets(filterset.qs)
    monkeypatch.setattr(facets_module, "EXACT_LIMIT", 1)
    monkeypatch.setattr(facets_module, "SAMPLE_EVERY", 1)  # every item is in the sample: the same counts
    estimated = facets(filterset.qs, filterset.form.cleaned_data)
    assert estimated["estimated"] is True
    assert {k: v for k, v in estimated.items() if k != "estimated"} == {
        k: v for k, v in exact.items() if k != "estimated"
    }


def test_facets_estimate_counts_the_sample_scaled_up(world, monkeypatch):
    from tracker import facets as facets_module

    filterset = ItemFilterSet({"document": "doc-a"}, Item.objects.all())
    assert filterset.is_valid()
    even = [pk for pk in filterset.qs.values_list("id", flat=True) if pk % 2 == 0]
    assert even
    exact = facets(filterset.qs.filter(id__in=even))
    monkeypatch.setattr(facets_module, "EXACT_LIMIT", 0)
    monkeypatch.setattr(facets_module, "SAMPLE_EVERY", 2)
    estimated = facets(filterset.qs, filterset.form.cleaned_data)
    assert estimated["estimated"] is True
    for name in ("status", "kind", "document", "theme", "actor"):
        assert estimated[name] == [{**row, "count": 2 * row["count"]} for row in exact[name]], name


@pytest.mark.postgres_only
def test_the_sample_query_plan_settings_do_not_outlive_it(world, monkeypatch):

    from tracker import facets as facets_module

    monkeypatch.setattr(facets_module, "EXACT_LIMIT", 1)
    filterset = ItemFilterSet({"actor": "serbia"}, Item.objects.all())
    assert filterset.is_valid()
    with transaction.atomic(), connection.cursor() as cursor:  # as inside a request's transaction
        assert facets(filterset.qs, filterset.form.cleaned_data)["estimated"] is True
        cursor.execute("SHOW enable_mergejoin")
        assert cursor.fetchone()[0] == "on"
        cursor.execute("SHOW enable_hashjoin")
        assert cursor.fetchone()[0] == "on"


def test_actor_filterset(world):
    def slugs(params):
        filterset = ActorFilterSet(params, Actor.objects.order_by("slug"))
        assert filterset.is_valid(), filterset.errors
        return [actor.slug for actor in filterset.qs]

    assert slugs({"q": "union"}) == ["eu"]
    assert slugs({"kind": "international_organisation", "q": "a"}) == ["eu", "nato", "serbia"]
    assert ActorFilterSet({"kind": "planet"}, Actor.objects.all()).errors == {
        "kind": ["Select a valid choice. planet is not one of the available choices."]
    }


def test_theme_filterset(world):
    def slugs(params):
        filterset = ThemeFilterSet(params, Theme.objects.filter(slug__startswith="w-").order_by("path"))
        assert filterset.is_valid(), filterset.errors
        return [theme.slug for theme in filterset.qs]

    assert slugs({"within": "w-root"}) == ["w-root", "w-child"]
    assert slugs({"parent": "w-root"}) == ["w-child"]
    assert slugs({"root": "true"}) == ["w-other", "w-root"]
    assert slugs({"q": "child"}) == ["w-child"]


def test_document_citation_status_update_and_link_filtersets(world):
    documents = DocumentFilterSet({"published_after": "2008-01-01"}, Document.objects.order_by("slug")).qs
    assert [d.slug for d in documents] == ["doc-b"]
    citations = CitationFilterSet({"item": str(world.i1.pk)}, Citation.objects.all()).qs
    assert [c.item_id for c in citations] == [world.i1.pk]
    updates = StatusUpdateFilterSet({"item": str(world.i1.pk), "status": "implemented"}, StatusUpdate.objects.all())
    assert [u.status for u in updates.qs] == ["implemented"]
    link = factories.ItemLinkFactory(source=world.i1, target=world.i2)
    links = ItemLinkFilterSet({"item": str(world.i2.pk)}, ItemLink.objects.all()).qs
    assert [x.pk for x in links] == [link.pk]
    assert ItemLinkFilterSet({"item": "x"}, ItemLink.objects.all()).errors == {"item": ["Unknown item id: “x”."]}


def test_only_the_parameters_given_are_checked(db):
    # An absent parameter filters nothing and cannot be invalid; an unknown one is ignored.
    given = ItemFilterSet(QueryDict("made_by=nobody&bogus=1"), Item.objects.all())
    assert not given.is_valid() and list(given.errors) == ["made_by"]
    assert ItemFilterSet(QueryDict(""), Item.objects.all()).is_valid()


def test_each_filterset_has_its_own_filters(db):
    first, second = (ItemFilterSet(QueryDict("theme=x"), Item.objects.all()) for _ in range(2))
    assert first.filters["theme"] is not second.filters["theme"]
    assert first.filters["theme"].parent is first and second.filters["theme"].parent is second
    assert not hasattr(ItemFilterSet.base_filters["theme"], "parent")


def test_search_facets_clearly_beyond_the_limit_skip_the_exact_probe(world, monkeypatch):
    # The sample is counted first for a search; when it already shows more than SURELY_MORE x EXACT_LIMIT
    # matches, the probe of EXACT_LIMIT + 1 ids (a table read per match) is not run.
    from django.test.utils import CaptureQueriesContext

    from tracker import facets as facets_module

    filterset = ItemFilterSet({"q": "border"}, Item.objects.all())
    assert filterset.is_valid()
    filterset.qs  # noqa: B018 - sets filterset.matches, every match of the search
    exact = facets(filterset.matches)
    assert exact["status"]
    monkeypatch.setattr(facets_module, "EXACT_LIMIT", 0)
    monkeypatch.setattr(facets_module, "SAMPLE_EVERY", 1)  # every item sampled: the same counts as the recount
    with CaptureQueriesContext(connection) as queries:
        estimated = facets(filterset.matches, filterset.form.cleaned_data)
    assert estimated["estimated"] is True
    assert {k: v for k, v in estimated.items() if k != "estimated"} == {
        k: v for k, v in exact.items() if k != "estimated"
    }
    assert not [q["sql"] for q in queries.captured_queries if "LIMIT" in q["sql"]]


@pytest.mark.postgres_only
@pytest.mark.parametrize(
    ("table", "index", "key"),
    [
        ("tracker_item_themes", "item_themes_sample_idx", "(item_id, theme_id)"),
        ("tracker_actorrole", "actor_role_sample_idx", "(item_id, actor_id)"),
    ],
)
def test_the_sampled_join_rows_have_their_partial_index(world, table, index, key):
    # The estimate's (item, theme) and (item, actor) reads, with the sample's predicate (tracker.facets), are
    # answered from these small partial indexes (migration 0015; the plans at 1,000,000 items are in the README:
    # a test database's nearly empty tables give the planner no reason to prefer one index over another).
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname = %s", [table, index])
        (definition,) = cursor.fetchone()
    assert f"USING btree {key} WHERE ((item_id % (128)::bigint) = 0)" in definition, definition


@pytest.mark.postgres_only
def test_the_recounted_item_columns_have_a_covering_index(world):
    # The exact recount reads status, kind and document by id from this index alone (migration 0016; the plans
    # at 1,000,000 items are in the README), not one table page per item.
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'item_facet_rows_idx'")
        (definition,) = cursor.fetchone()
    assert definition.endswith("tracker_item USING btree (id) INCLUDE (status, kind, document_id)"), definition


@pytest.mark.postgres_only
def test_one_actors_kept_counts_have_a_covering_index(world):
    # An actor's theme facet and total are read from this index alone (migration 0017).
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'item_count_actor_theme_idx'")
        (definition,) = cursor.fetchone()
    assert definition.endswith("(role, actor_id, theme_id) INCLUDE (status, kind, n) WHERE (document_id = 0)"), (
        definition
    )


@pytest.mark.parametrize("params", [{"actor": "serbia"}, {"actor": "nato", "theme": "w-root"}, {"made_by": "nato,eu"}])
def test_the_sample_states_its_predicate_in_each_join_table_filter(world, monkeypatch, params):
    # Each sampled item has only sampled join rows: stating the predicate inside the filter's EXISTS changes no
    # count (estimate = N x the sampled items' exact counts) but lets it probe the sample's partial index (0015).
    from django.test.utils import CaptureQueriesContext

    from tracker import facets as facets_module

    filterset = ItemFilterSet(params, Item.objects.all())
    assert filterset.is_valid()
    ids = list(filterset.qs.values_list("id", flat=True))
    every = next(pk for pk in ids if pk > 1)  # a modulus that samples at least one matching item
    sampled = [pk for pk in ids if pk % every == 0]
    exact = facets(filterset.qs.filter(id__in=sampled))
    monkeypatch.setattr(facets_module, "EXACT_LIMIT", 0)
    monkeypatch.setattr(facets_module, "SAMPLE_EVERY", every)
    with CaptureQueriesContext(connection) as queries:
        estimated = facets(filterset.qs, filterset.form.cleaned_data)
    for name in ("status", "kind", "document", "theme", "actor"):
        assert estimated[name] == [{**row, "count": every * row["count"]} for row in exact[name]], name
    sample_query = next(q["sql"] for q in queries.captured_queries if "EXISTS" in q["sql"] and "LIMIT" not in q["sql"])
    assert sample_query.count(f'related_rows."item_id" % {every}) = 0') == sample_query.count("EXISTS")
    assert f"% {every}" not in str(filterset.qs.query)  # the filterset's own query is left as it was


@pytest.mark.parametrize("filterset_class", [ItemFilterSet, ActorFilterSet])
def test_the_form_class_built_once_has_the_fields_django_filter_builds(db, filterset_class):
    import django_filters

    cached = filterset_class(QueryDict("q=x"), filterset_class._meta.model.objects.all()).form
    built = django_filters.FilterSet.get_form_class(filterset_class(queryset=filterset_class._meta.model.objects.all()))
    assert type(cached) is filterset_class._form_class
    assert list(cached.fields) == list(built.base_fields)
    for name, field in cached.fields.items():
        assert type(field) is type(built.base_fields[name]) and field.label == built.base_fields[name].label
    assert cached.fields["q"] is not type(cached).base_fields["q"]  # each bound form has its own fields
