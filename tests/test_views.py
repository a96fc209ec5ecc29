"""The public pages: exact content on a small realistic corpus (tests/browser_conftest.py), query counts
at two sizes, escaping of hostile text, the CSP header and bad input."""

import html as html_module
import re
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tracker.enums import (
    KIND_DEFINITIONS,
    REVIEW_STATE_DEFINITIONS,
    STATUS_DEFINITIONS,
    STRENGTH_DEFINITIONS,
    ItemKind,
    ReviewState,
    Status,
    Strength,
)
from tracker.models import Item

pytestmark = pytest.mark.django_db


def refs(response, container: str = "") -> list[str]:
    html = response.content.decode()
    if container:
        html = html.split(f'id="{container}"', 1)[1].split("</ol>", 1)[0]
    return re.findall(r'class="item-row" data-reference="([^"]+)"', html)


def text_of(response) -> str:
    """The page's visible text, tags stripped and whitespace collapsed (good enough for exact phrases)."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def query_count(client, url: str) -> int:
    """Queries of one uncached render (aggregates are cached per data version)."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def add_items(corpus, count: int) -> None:
    """More items on the strategy, each with an actor, a theme, a status and a citation."""
    text = corpus.strategy.text
    # Quote the body, past the boilerplate at the top (boilerplate is never cited).
    body = text.index("1. Border Security Management")
    for n in range(count):
        start = body + n
        item = factories.ItemFactory(
            reference=f"ATA-T-9{n:03d}",
            document=corpus.strategy,
            text=text[start : start + 20],
            addressed_to=[corpus.actors["nato"], corpus.actors["serbia"]],
            made_by=[corpus.actors["ata"]],
            themes=[corpus.themes["border-monitoring"]],
        )
        factories.CitationFactory(item=item, document=corpus.strategy, start=start, end=start + 20)
        factories.StatusUpdateFactory(item=item, status=Status.IN_PROGRESS)


# --- Layout and security -------------------------------------------------------------------------------


def test_pages_have_landmarks_skip_link_and_one_h1(client, corpus):
    for url in (
        "/",
        "/items/",
        "/items/ATA-T-01/",
        "/documents/",
        "/documents/ata-test-strategy/",
        "/actors/",
        "/actors/nato/",
        "/themes/",
        "/themes/border-security/",
        "/status/",
    ):
        html = client.get(url).content.decode()
        assert html.count("<h1") == 1, url
        assert '<a class="skip-link" href="#main">' in html
        for landmark in ('<header class="site-header">', '<nav aria-label="Main">', '<main id="main"', "<footer"):
            assert landmark in html, (url, landmark)
        assert " style=" not in html and "<style" not in html, url
        # filters.js runs right after the form (it folds the filters on a phone before the results are drawn).
        assert re.findall(r"<script[^>]*>", html) in ([], ['<script src="/static/tracker/filters.js">']), url


def test_responses_carry_the_content_security_policy(client, corpus):
    for url in ("/", "/items/", "/items/ATA-T-01/", "/documents/ata-test-strategy/", "/items/NOPE/"):
        policy = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "style-src 'self'" in policy
        assert "default-src 'self'" in policy


def test_unknown_reference_and_slugs_are_404_with_the_site_page(client, corpus):
    for url in ("/items/NO-SUCH-1/", "/documents/no-such/", "/actors/no-such/", "/themes/no-such/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "<h1>Not found</h1>" in response.content.decode()


def test_hostile_text_is_escaped_everywhere(client):
    document = factories.DocumentFactory(
        slug="hostile",
        title='Report <b onmouseover="x()">bold</b>',
        text='Intro <script>alert("doc")</script> and then the item must be done.\n',
    )
    actor = factories.ActorFactory(name="<svg onload=alert(2)>", slug="hostile-actor")
    theme = factories.ThemeFactory(slug="hostile-theme", name="<i>theme</i>")
    item = factories.ItemFactory(
        reference="HOST-1",
        document=document,
        title='<img src=x onerror="alert(1)">',
        text='Intro <script>alert("doc")</script> and then',
        addressed_to=[actor],
        themes=[theme],
    )
    citation = factories.CitationFactory(item=item, document=document)
    factories.StatusUpdateFactory(item=item, note="<script>note()</script>", evidence_url="https://example.org/?a=<b>")
    assert citation.quote == 'Intro <script>alert("doc")</script> and then'
    pages = [
        "/",
        "/items/",
        "/items/HOST-1/",
        "/documents/",
        "/documents/hostile/",
        "/actors/",
        "/actors/hostile-actor/",
        "/themes/hostile-theme/",
        "/items/feed/",
    ]
    for url in pages:
        html = client.get(url).content.decode()
        for raw in ("<script>alert", "<img src=x", "<svg onload", "<i>theme</i>", "<b onmouseover", "<script>note"):
            assert raw not in html, (url, raw)
    item_page = client.get("/items/HOST-1/").content.decode()
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in item_page
    assert "<mark>Intro &lt;script&gt;alert(&quot;doc&quot;)&lt;/script&gt; and then</mark>" in item_page
    reading = client.get("/documents/hostile/").content.decode()
    assert "Intro &lt;script&gt;alert(&quot;doc&quot;)&lt;/script&gt; and then</mark>" in reading


# --- Dashboard ------------------------------------------------------------------------------------------


def test_dashboard_counts_chart_actors_timeline_and_recent(client, corpus):
    response = client.get("/")
    context = response.context
    assert [(k.kind, k.count) for k in context["kinds"]] == [
        (ItemKind.RECOMMENDATION, 3),
        (ItemKind.COMMITMENT, 2),
        (ItemKind.PROPOSAL, 1),
    ]
    bars = {bar["theme"].slug: bar for bar in context["theme_chart"]}
    assert [(s["status"], s["count"]) for s in bars["border-security"]["segments"]] == [
        (Status.IMPLEMENTED, 1),
        (Status.IN_PROGRESS, 2),
        (Status.STALLED, 1),
        (Status.UNKNOWN, 1),
    ]
    assert bars["border-security"]["total"] == 5
    assert [(s["status"], s["count"]) for s in bars["rule-of-law"]["segments"]] == [(Status.UNKNOWN, 1)]
    assert bars["salw"]["total"] == 0
    # The longest bar fills the width; the others are to scale.
    assert [(s["x"], s["width"]) for s in bars["border-security"]["segments"]] == [
        (0, 200),
        (200, 400),
        (600, 200),
        (800, 200),
    ]

    def counts(bars):
        return [(bar["key"], [(seg["status"], seg["count"]) for seg in bar["segments"]]) for bar in bars]

    assert counts(context["made_by_bars"]) == [
        ("ata", [(Status.IMPLEMENTED, 1), (Status.IN_PROGRESS, 1), (Status.UNKNOWN, 1)]),
        ("nato", [(Status.IN_PROGRESS, 1)]),
        ("serbia", [(Status.STALLED, 1)]),
    ]
    assert counts(context["addressed_to_bars"]) == [
        ("nato", [(Status.IN_PROGRESS, 2), (Status.UNKNOWN, 1)]),
        ("serbia", [(Status.IMPLEMENTED, 1), (Status.STALLED, 1), (Status.UNKNOWN, 1)]),
        ("kosovo", [(Status.IMPLEMENTED, 1), (Status.UNKNOWN, 1)]),
        ("european-union", [(Status.IN_PROGRESS, 1)]),
    ]
    assert counts(context["document_bars"]) == [
        (
            "ata-test-strategy",
            [(Status.IMPLEMENTED, 1), (Status.IN_PROGRESS, 1), (Status.STALLED, 1), (Status.UNKNOWN, 2)],
        ),
        ("nato-test-statement", [(Status.IN_PROGRESS, 1)]),
    ]
    years = dict(counts(context["year_bars"]))
    assert years["2006"] == [(Status.UNKNOWN, 5)]
    assert years["2008"] == [(Status.NOT_STARTED, 1), (Status.UNKNOWN, 4)]
    assert years["2012"] == [(Status.IN_PROGRESS, 1), (Status.STALLED, 1), (Status.UNKNOWN, 3)]
    assert years["2019"] == [(Status.IMPLEMENTED, 1), (Status.IN_PROGRESS, 1), (Status.STALLED, 1), (Status.UNKNOWN, 3)]
    assert years["2020"] == [(Status.IMPLEMENTED, 1), (Status.IN_PROGRESS, 2), (Status.STALLED, 1), (Status.UNKNOWN, 2)]
    assert min(years) == "2006"
    assert context["year_bars"][0]["segments"][0]["width"] == 1000  # a year's bar is its 100%
    assert [update.item.reference for update in context["recent"]] == [
        "NATO-T-01",
        "ATA-T-03",
        "ATA-T-02",
        "ATA-T-01",
        "ATA-T-01",
    ]
    assert [(d.slug, d.item_count) for d in context["timeline"]] == [
        ("ata-test-strategy", 5),
        ("nato-test-statement", 1),
    ]
    assert [dot["document"].slug for dot in context["timeline_strip"]["dots"]] == [
        "ata-test-strategy",
        "nato-test-statement",
    ]
    assert refs(response)[:1] == ["NATO-T-01"]  # the last status update recorded
    text = text_of(response)
    assert "3 recommendations" in text and "2 commitments" in text and "1 author proposals" in text
    # Each bar: its label, the segments' tooltips, the total and the numbers under the bar.
    assert (
        "Border Security Management Implemented: 1 In progress: 2 Stalled: 1 Unknown: 1 "
        "5 Implemented 1 In progress 2 Stalled 1 Unknown 1 Strengthening the Rule of Law Unknown: 1 1 Unknown 1"
    ) in text
    assert "Recently assessed NATO-T-01 In progress assessed 1 Feb 2020" in text
    assert (
        "October 2006 Regional Security Strategy for South East Europe — Atlantic Treaty Association · 5 items" in text
    )
    assert "No items yet under: Conflict Prevention and Crisis Management , Security Sector Reform ," in text


def test_dashboard_aggregates_are_cached_until_the_data_changes(client, corpus):
    cache.clear()
    first = client.get("/").content
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").content == first
    assert len(queries) == 1  # the data version only (one primary-key read)
    add_items(corpus, 1)
    assert client.get("/").content != first  # a new item shows at once


def test_dashboard_query_count_does_not_grow(client, corpus):
    small = query_count(client, "/")
    add_items(corpus, 30)
    assert query_count(client, "/") == small


def add_chart_world(corpus, start: int, count: int) -> None:
    """`count` more of everything a chart has a bar for: a document (in its own year), a top-level theme,
    an actor who makes and one who is addressed, each with items of several statuses assessed over
    several years. Numbered from `start`, so a second call adds new bars, not longer ones (its years
    are earlier ones: the year chart runs from the first year to today)."""
    from tracker.services import record_status_update

    statuses = [Status.NOT_STARTED, Status.IN_PROGRESS, Status.PARTIALLY_IMPLEMENTED, Status.IMPLEMENTED]
    for n in range(start, start + count):
        document = factories.DocumentFactory(
            slug=f"chart-doc-{n}", reference_prefix=f"CHART{n}", published=date(2000 - n, 1, 1)
        )
        theme = factories.ThemeFactory(slug=f"chart-theme-{n}", name=f"Chart theme {n}")
        maker = factories.ActorFactory(slug=f"chart-maker-{n}", name=f"Chart maker {n}")
        addressee = factories.ActorFactory(slug=f"chart-addressee-{n}", name=f"Chart addressee {n}")
        for k, status in enumerate(statuses):
            item = factories.ItemFactory(
                reference=f"CHART{n}-{k:02d}",
                document=document,
                date=document.published,
                made_by=[maker],
                addressed_to=[addressee, corpus.actors["nato"]],
                themes=[theme],
            )
            record_status_update(item=item, status=Status.NOT_STARTED, assessed_on=date(2000 - n, 6, 1))
            record_status_update(item=item, status=status, assessed_on=date(2001 - n + k, 6, 1))


def test_dashboard_charts_query_count_same_with_twice_the_documents_themes_actors_and_years(client, corpus):
    """The stacked status bars per theme, actor (made by, addressed to), document and year: no query per bar."""
    charts = ("theme_bars", "made_by_bars", "addressed_to_bars", "document_bars", "year_bars")
    add_chart_world(corpus, 0, 4)
    small = query_count(client, "/")
    bars_small = {chart: len(client.get("/").context[chart]) for chart in charts}
    add_chart_world(corpus, 4, 4)
    assert query_count(client, "/") == small
    bars_large = {chart: len(client.get("/").context[chart]) for chart in charts}
    # Every chart has more bars (the actors' are the ten with most items, so they reach ten).
    assert all(bars_large[chart] > bars_small[chart] for chart in charts), (bars_small, bars_large)
    assert bars_large["document_bars"] == 2 + 8 and bars_large["theme_bars"] >= 8


def test_actor_and_theme_status_summaries_query_count_same_with_twice_the_items(client, corpus):
    """The status summaries of an actor's page (made by, addressed to) and a theme's page."""
    add_chart_world(corpus, 0, 3)
    pages = ("/actors/nato/", "/themes/border-security/", "/actors/chart-maker-0/", "/themes/chart-theme-0/")
    small = {url: query_count(client, url) for url in pages}
    add_chart_world(corpus, 3, 3)
    add_items(corpus, 12)  # more items on NATO and under border security
    assert {url: query_count(client, url) for url in pages} == small


# --- Item list ------------------------------------------------------------------------------------------

ALL = ["ATA-T-01", "ATA-T-02", "ATA-T-03", "ATA-T-04", "ATA-T-05", "NATO-T-01"]


def test_item_list_shows_every_item_with_facet_counts(client, corpus):
    response = client.get("/items/")
    assert response.status_code == 200
    assert refs(response) == ALL
    html = response.content.decode()
    assert '<h2 id="results-heading">6 items</h2>' in html
    assert '<option value="nato">NATO (3)</option>' in html
    assert re.search(r'value="border-security"> Border Security Management <span class="count">5</span>', html)
    assert re.search(r'value="in_progress"> In progress <span class="count">2</span>', html)
    assert re.search(r'value="commitment"> Commitment <span class="count">2</span>', html)
    assert '<a href="/api/v1/items/export.csv" download>Download CSV</a>' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("addressed_to=nato&theme=border-security", ["ATA-T-01", "ATA-T-05", "NATO-T-01"]),
        ("made_by=serbia", ["ATA-T-03"]),
        ("actor=serbia", ["ATA-T-02", "ATA-T-03", "ATA-T-04"]),
        ("addressed_to=serbia&addressed_to=european-union", ["ATA-T-01", "ATA-T-02", "ATA-T-03", "ATA-T-04"]),
        ("theme=border-monitoring", ["ATA-T-01", "ATA-T-02", "ATA-T-05"]),
        ("theme=rule-of-law", ["ATA-T-04"]),
        ("status=in_progress&status=implemented", ["ATA-T-01", "ATA-T-02", "NATO-T-01"]),
        ("status=not_started&as_of=2010-01-01", ["ATA-T-01"]),
        ("kind=commitment", ["ATA-T-03", "NATO-T-01"]),
        ("kind=proposal", ["ATA-T-05"]),
        ("document=nato-test-statement", ["NATO-T-01"]),
        ("q=judicial", ["ATA-T-04"]),
        ("strength=could", ["ATA-T-05"]),
        ("date_after=2010-01-01", ["NATO-T-01"]),
        ("review_state=confirmed", []),
        ("section={section}", ["ATA-T-01", "ATA-T-02", "ATA-T-05"]),
    ],
)
def test_item_list_filters(client, corpus, query, expected):
    response = client.get(f"/items/?{query.format(section=corpus.sections['1'].id)}")
    assert response.status_code == 200
    assert refs(response) == expected


def test_item_list_status_as_of_shows_the_old_status(client, corpus):
    response = client.get("/items/?as_of=2010-01-01&theme=border-monitoring")
    rows = {item.reference: (item.shown_status, item.status) for item in response.context["items"]}
    assert rows == {
        "ATA-T-01": (Status.NOT_STARTED, Status.IN_PROGRESS),
        "ATA-T-02": (Status.UNKNOWN, Status.IMPLEMENTED),
        "ATA-T-05": (Status.UNKNOWN, Status.UNKNOWN),
    }
    assert re.search(
        r'data-reference="ATA-T-01">\s*<div class="item-row__head">\s*<span class="item-row__ref">ATA-T-01'
        r'</span>\s*<span class="status status--not_started">Not started</span>',
        response.content.decode(),
    )


def test_item_list_links_keep_the_filter(client, corpus):
    html = client.get("/items/?addressed_to=nato&theme=border-security&q=&as_of=").content.decode()
    assert '<a href="/api/v1/items/export.csv?addressed_to=nato&amp;theme=border-security" download>' in html
    assert '<a href="/api/v1/items/export.json?addressed_to=nato&amp;theme=border-security">JSON</a>' in html
    assert '<a href="/items/feed/?addressed_to=nato&amp;theme=border-security">Atom feed of status updates</a>' in html
    assert 'href="?addressed_to=nato&amp;theme=border-security">link to these filters</a>' in html
    assert '<option value="nato" selected>NATO (3)</option>' in html
    assert 'name="theme" value="border-security" checked>' in html


def test_item_list_bad_values_show_form_errors(client, corpus):
    response = client.get("/items/?theme=no-such-theme&date_after=yesterday&status=bogus&made_by=<x>&after=abc")
    assert response.status_code == 400
    assert refs(response) == []
    errors = response.context["errors"]
    assert sorted(errors) == ["date_after", "made_by", "status", "theme"]
    assert errors["theme"] == ["Unknown theme id or slug: “no-such-theme”."]
    html = response.content.decode()
    assert "Some filters could not be used." in html
    assert "<li>Theme: Unknown theme id or slug: “no-such-theme”.</li>" in html
    assert "<li>Document date from: Enter a valid date.</li>" in html
    assert "Download CSV" not in html
    assert "&lt;x&gt;" in html and "<x>" not in html
    # The bad actor stays in the text box so it can be corrected.
    assert 'id="id_actor_other" list="actor-names" value="&lt;x&gt;"' in html
    assert '<input type="radio" name="role" value="made_by" checked> Made by' in html


def test_item_list_pages_by_keyset_without_a_count(client, corpus):
    add_items(corpus, 50)
    first = client.get("/items/")
    all_refs = list(Item.objects.order_by("id").values_list("reference", flat=True))
    assert refs(first) == all_refs[:50]
    assert first.context["total"] == 56
    last_id = Item.objects.get(reference=all_refs[49]).id
    assert first.context["next_query"] == f"after={last_id}"
    assert first.context["previous_query"] == ""
    second = client.get(f"/items/?{first.context['next_query']}")
    assert refs(second) == all_refs[50:]
    assert second.context["next_query"] == ""
    first_id = Item.objects.get(reference=all_refs[50]).id
    assert second.context["previous_query"] == f"before={first_id}"
    back = client.get(f"/items/?{second.context['previous_query']}")
    assert refs(back) == all_refs[:50]
    assert back.context["previous_query"] == ""


def test_item_list_other_orderings_page_by_number(client, corpus):
    add_items(corpus, 50)
    first = client.get("/items/?ordering=-date")
    assert refs(first)[0] == "NATO-T-01"
    assert first.context["next_query"] == "ordering=-date&page=2"
    second = client.get("/items/?ordering=-date&page=2")
    assert len(refs(second)) == 6
    assert second.context["previous_query"] == "ordering=-date&page=1"


def test_item_list_query_count_does_not_grow(client, corpus):
    url = "/items/?addressed_to=nato&theme=border-security&status=in_progress,unknown"
    client.get(url)  # loads the per-process copy of actors and themes (tracker.reference_cache)
    small = query_count(client, url)
    add_items(corpus, 30)
    assert len(refs(client.get(url))) == 33
    assert query_count(client, url) == small
    search = "/items/?as_of=2012-01-01&q=border"
    # Each count right after a data change: the next view is cold (facets, the actor datalist).
    Item.objects.filter(reference="ATA-T-9000").update(title="Retitled once")
    cold = query_count(client, search)
    Item.objects.filter(reference="ATA-T-9000").update(title="Retitled")
    assert query_count(client, search) == cold


# --- Item page ------------------------------------------------------------------------------------------


def test_item_page_shows_everything_about_the_item(client, corpus):
    response = client.get("/items/ATA-T-01/")
    assert response.status_code == 200
    text = text_of(response)
    citation = corpus.citations["ATA-T-01"]
    for phrase in (
        "ATA-T-01 Recommendation Needs review",
        "Joint border monitoring between Serbia and Kosovo",
        "Current status In progress " + STATUS_DEFINITIONS[Status.IN_PROGRESS],
        "Made by Atlantic Treaty Association",
        "Who must act European Union NATO",
        "Themes Monitoring and Surveillance",
        "Strength Should",
        "Source Regional Security Strategy for South East Europe , Atlantic Treaty Association (October 2006), "
        "section 1 Border Security Management ( items from this section )",
        "Status history 1 May 2012 In progress A joint working group met twice. "
        "Evidence: https://example.org/working-group 15 January 2008 Not started No talks.",
        "Linked items Followed up by NATO-T-01 : NATO keeps supporting border security "
        "Restated by ATA-T-05 : Support for joint border monitoring",
    ):
        assert phrase in text, phrase
    html = response.content.decode()
    assert f"<mark>{citation.quote}</mark>" in html
    assert f'<a href="/documents/ata-test-strategy/#c{citation.id}">Read this passage in' in html
    assert "1. Border Security Management\n<mark>" in html  # the passage keeps the text around the quote


def test_item_page_links_in_both_directions(client, corpus):
    text = text_of(client.get("/items/NATO-T-01/"))
    assert "Linked items Follows up ATA-T-01 : Joint border monitoring between Serbia and Kosovo" in text


def test_item_page_query_count_does_not_grow_with_citations_updates_and_links(client, corpus):
    item = corpus.items["ATA-T-04"]
    for n in range(2):
        factories.CitationFactory(item=item, document=corpus.strategy, start=n, end=n + 10)
    small = query_count(client, "/items/ATA-T-04/")
    for n in range(2, 30):
        factories.CitationFactory(item=item, document=corpus.strategy, start=n, end=n + 10)
        factories.StatusUpdateFactory(item=item, assessed_on=date(2020, 1, 1 + n % 28))
        factories.ItemLinkFactory(source=item, target=factories.ItemFactory(document=corpus.strategy))
    assert item.citations.count() == 31
    assert query_count(client, "/items/ATA-T-04/") == small


# --- Documents ------------------------------------------------------------------------------------------


def test_document_list(client, corpus):
    response = client.get("/documents/")
    assert re.findall(r'<tr data-document="([^"]+)">', response.content.decode()) == [
        "ata-test-strategy",
        "nato-test-statement",
    ]
    text = text_of(response)
    assert (
        "October 2006 Regional Security Strategy for South East Europe Strategy Atlantic Treaty Association 5" in text
    )
    assert "June 2019 Statement on the Western Balkans Statement NATO 1" in text


def test_reading_view_highlights_every_citation_in_place(client, corpus):
    response = client.get("/documents/ata-test-strategy/")
    html = response.content.decode()
    c = corpus.citations
    # Every citation has an anchor linking to its item, in text order.
    assert re.findall(r'<a class="cite-ref" id="c(\d+)" href="/items/([^/]+)/"', html) == [
        (str(c[ref].id), ref) for ref in ("ATA-T-01", "ATA-T-05", "ATA-T-02", "ATA-T-03", "ATA-T-04")
    ]
    # The overlap: ATA-T-05's quote sits inside ATA-T-01's, so that stretch is marked by both.
    marks = re.findall(r'<mark class="cited( depth-2)?" data-citations="([\d ]+)" title="([^"]+)">([^<]*)</mark>', html)
    one, five = c["ATA-T-01"].id, c["ATA-T-05"].id
    assert marks[:3] == [
        ("", f"{one}", "Cited by ATA-T-01", "NATO and the European Union should "),
        (" depth-2", f"{one} {five}", "Cited by ATA-T-01, ATA-T-05", "support joint border monitoring"),
        ("", f"{one}", "Cited by ATA-T-01", " between Serbia and Kosovo."),
    ]
    assert [m[3] for m in marks[3:]] == [c[ref].quote for ref in ("ATA-T-02", "ATA-T-03", "ATA-T-04")]
    # Boilerplate set apart with its label, folded (a closed details element); sections outlined as a
    # tree with anchors in the text.
    assert re.findall(r'<details class="boilerplate"><summary class="boilerplate__label">([^<]+)</summary>', html) == [
        "Cookie notice — not part of the document",
        "Share buttons — not part of the document",
    ]
    s = corpus.sections
    assert f'<li><a href="#s{s["1"].id}">1 Border Security Management</a>\n  <ol><li><a href="#s{s["1.1"].id}">' in html
    for section in s.values():
        assert f'<span class="anchor" id="s{section.id}"></span>' in html
    # The verbatim text survives: tags stripped from the source block give back the document text.
    source = html.split('<section class="source"', 1)[1].split("</section>", 1)[0]
    source = re.sub(r'<a class="cite-ref"[^>]*>[^<]*</a>', "", source)
    source = re.sub(r'<summary class="boilerplate__label">[^<]*</summary>', "", source)
    source = re.sub(r"<[^>]+>", "", source.split("</h2>", 1)[1]).strip()
    assert source == corpus.strategy.text.strip()


def test_document_page_shows_publisher_date_url_and_archived_copy(client, corpus):
    document = corpus.strategy
    document.url = "https://example.org/strategy"
    document.archived_url = "https://web.archive.org/web/2007/https://example.org/strategy"
    document.save()
    text = text_of(client.get("/documents/ata-test-strategy/"))
    assert (
        "Publisher Atlantic Treaty Association Date October 2006 Kind Strategy Items 5 items quoted in 5 passages "
        "Original https://example.org/strategy "
        "Archived copy https://web.archive.org/web/2007/https://example.org/strategy"
    ) in text
    text = text_of(client.get("/documents/nato-test-statement/"))
    assert "Original No web address known" in text and "Archived copy" not in text


def test_reading_view_query_count_does_not_grow(client, corpus):
    small = query_count(client, "/documents/ata-test-strategy/")
    add_items(corpus, 30)
    assert query_count(client, "/documents/ata-test-strategy/") == small


# --- Actors, themes, status scale -----------------------------------------------------------------------


def test_actor_list(client, corpus):
    text = text_of(client.get("/actors/"))
    assert "Civil-society group Atlantic Treaty Association (3 made, 0 addressed)" in text
    assert "International organisation European Union (0 made, 1 addressed) NATO (1 made, 3 addressed)" in text
    assert "State Kosovo (0 made, 2 addressed) Serbia (1 made, 3 addressed)" in text


def test_actor_page(client, corpus):
    response = client.get("/actors/serbia/")
    assert refs(response, "addressed-items") == ["ATA-T-02", "ATA-T-03", "ATA-T-04"]
    assert refs(response, "made-items") == ["ATA-T-03"]
    text = text_of(response)
    assert "Asked to act: 3 items Implemented: 1 Stalled: 1 Unknown: 1" in text
    assert "Made by Serbia: 1 item Stalled: 1" in text
    assert "Kind State (RS)" in text


def test_theme_list_counts_include_sub_themes(client, corpus):
    response = client.get("/themes/")
    text = text_of(response)
    assert "4.3 Border Security Management (5 items) 4.3.1 Monitoring and Surveillance (3 items) " in text
    assert "4.3.2 Control of Illegal Immigration (1 item)" in text
    assert "4.6 Strengthening the Rule of Law (1 item) 4.6.1 Independent Justice (1 item)" in text


def test_theme_page_lists_items_of_the_theme_and_its_children(client, corpus):
    response = client.get("/themes/border-security/")
    assert refs(response, "theme-items") == ["ATA-T-01", "ATA-T-02", "ATA-T-03", "ATA-T-05", "NATO-T-01"]
    text = text_of(response)
    assert "5 items, sub-themes included Implemented: 1 In progress: 2 Stalled: 1 Unknown: 1" in text
    child = client.get("/themes/border-monitoring/")
    assert refs(child, "theme-items") == ["ATA-T-01", "ATA-T-02", "ATA-T-05"]
    assert "Themes Border Security Management Monitoring and Surveillance" in text_of(child)


def test_status_scale_shows_every_definition(client, corpus):
    response = client.get("/status/")
    text = text_of(response)
    for value, label in Status.choices:
        assert f"{label} {STATUS_DEFINITIONS[value]}" in text
    assert "2 items now in progress" in text
    assert "0 items now superseded" in text
    text = html_module.unescape(text)
    for definitions, choices in (
        (KIND_DEFINITIONS, ItemKind.choices),
        (STRENGTH_DEFINITIONS, Strength.choices),
        (REVIEW_STATE_DEFINITIONS, ReviewState.choices),
    ):
        for value, label in choices:
            assert f"{label} {definitions[value]}" in text, label
    html = response.content.decode()
    assert '<dt><a href="/items/?review_state=needs_review">Needs review</a></dt>' in html
    assert '<dt><a href="/items/?strength=could">Could</a></dt>' in html


# --- Filters as people read them: chips, sentence, one actor control, themes, as of ---------------------


def test_item_list_chips_and_summary_sentence(client, corpus):
    response = client.get("/items/?kind=commitment&made_by=nato&theme=border-security&as_of=2024-12-31")
    assert refs(response) == ["NATO-T-01"]
    assert response.context["summary"] == (
        "1 commitment by NATO on Border Security Management, status as of 31 December 2024."
    )
    chips = [(chip.label, chip.remove_query) for chip in response.context["chips"]]
    assert chips == [
        ("Made by: NATO", "kind=commitment&theme=border-security&as_of=2024-12-31"),
        ("Theme: Border Security Management", "kind=commitment&made_by=nato&as_of=2024-12-31"),
        ("Status as of: 31 December 2024", "kind=commitment&made_by=nato&theme=border-security"),
        ("Kind: Commitment", "made_by=nato&theme=border-security&as_of=2024-12-31"),
    ]
    html = response.content.decode()
    assert '<span id="filters-heading">Filters (4)</span>' in html
    assert (
        '<a class="chip-remove" href="?kind=commitment&amp;theme=border-security&amp;as_of=2024-12-31" '
        'aria-label="Remove filter Made by: NATO"'
    ) in html


def test_item_list_chip_removes_one_of_several_comma_values(client, corpus):
    response = client.get("/items/?status=in_progress,implemented&addressed_to=serbia&addressed_to=european-union")
    chips = {chip.label: chip.remove_query for chip in response.context["chips"]}
    assert chips["Status: Implemented"] == "status=in_progress&addressed_to=serbia&addressed_to=european-union"
    assert chips["Addressed to: European Union"] == "status=in_progress%2Cimplemented&addressed_to=serbia"
    assert response.context["summary"] == (
        "2 items with status in progress or implemented addressed to Serbia or European Union."
    )


def test_item_list_without_filters_has_no_chips(client, corpus):
    response = client.get("/items/")
    assert response.context["chips"] == []
    assert 'id="filter-summary"' not in response.content.decode()
    assert '<span id="filters-heading">Filters</span>' in response.content.decode()


def test_item_list_actor_control_role_redirects_to_the_shared_url(client, corpus):
    response = client.get("/items/?actor=nato&actor=&role=addressed_to&theme=border-security")
    assert response.status_code == 302
    assert response["Location"] == "/items/?addressed_to=nato&theme=border-security"
    assert client.get("/items/?actor=nato&role=").headers["Location"] == "/items/?actor=nato"
    assert client.get("/items/?role=made_by").headers["Location"] == "/items/"
    html = client.get("/items/?addressed_to=nato").content.decode()
    assert '<input type="radio" name="role" value="addressed_to" checked> Addressed to' in html
    assert '<option value="nato" selected>NATO (3)</option>' in html
    # A second actor parameter the one control cannot show is kept in the form.
    html = client.get("/items/?made_by=ata&addressed_to=kosovo").content.decode()
    assert '<input type="radio" name="role" value="made_by" checked> Made by' in html
    assert '<input type="hidden" name="addressed_to" value="kosovo">' in html


def test_item_list_themes_in_taxonomy_order_with_selected_named(client, corpus):
    from tracker.models import Theme

    response = client.get("/items/?theme=rule-of-law")
    values = [option["value"] for option in response.context["theme_options"]]
    children = {}
    for theme in Theme.objects.all():
        children.setdefault(theme.parent_id, []).append(theme)

    def walk(parent_id):
        for theme in sorted(children.get(parent_id, []), key=lambda t: (t.position, t.slug)):
            yield theme.slug
            yield from walk(theme.id)

    # Depth first, siblings by position: the taxonomy's order (not the alphabetical order of paths).
    assert values == list(walk(None))
    assert values != sorted(values, key=lambda slug: Theme.objects.get(slug=slug).path)
    assert '<p class="small selected-themes">Selected: Strengthening the Rule of Law</p>' in response.content.decode()


def test_item_list_as_of_banner_and_links_carry_the_date(client, corpus):
    html = client.get("/items/?as_of=2010-01-01&theme=border-monitoring").content.decode()
    assert "<strong>Statuses as of 1 January 2010</strong>" in html
    assert '<a href="/items/ATA-T-01/?as_of=2010-01-01">Joint border monitoring between Serbia and Kosovo</a>' in html
    assert '<a href="?theme=border-monitoring">Show today\'s statuses</a>' in html
    assert "Statuses as of" not in client.get("/items/?theme=border-monitoring").content.decode()


def test_item_page_shows_the_status_as_of_the_lists_date(client, corpus):
    text = text_of(client.get("/items/ATA-T-01/?as_of=2010-01-01"))
    assert "Status as of 1 January 2010: Not started" in text
    assert "Current status In progress" in text
    assert "Status as of 1 January 2000: Unknown" in text_of(client.get("/items/ATA-T-01/?as_of=2000-01-01"))
    for url in ("/items/ATA-T-01/", "/items/ATA-T-01/?as_of=not-a-date"):
        assert "Status as of" not in text_of(client.get(url))


def test_item_page_cite_this_item(client, corpus):
    from django.utils import timezone
    from django.utils.formats import date_format

    response = client.get("/items/ATA-T-01/")
    today = date_format(timezone.localdate(), "j F Y")
    assert response.context["citation_line"] == (
        "Atlantic Treaty Association. “Joint border monitoring between Serbia and Kosovo” (ATA-T-01). "
        "In Regional Security Strategy for South East Europe, Atlantic Treaty Association, October 2006. "
        f"Balkan security recommendations tracker, http://testserver/items/ATA-T-01/ (accessed {today})."
    )
    assert '<a href="http://testserver/items/ATA-T-01/" id="permalink">' in response.content.decode()


def test_item_page_query_count_same_with_as_of(client, corpus):
    assert query_count(client, "/items/ATA-T-01/?as_of=2010-01-01") == query_count(client, "/items/ATA-T-01/")


def test_dashboard_status_over_time_estimated_from_the_sample_beyond_the_limit(client, corpus, monkeypatch):
    """At scale the chart over time counts the sample's items (id a multiple of sample_every) scaled up,
    and says so; the exact chart is kept below the limit (the test above)."""
    from tracker import progress
    from tracker.caching import RECENT

    def counted(rows):
        return {row.key: row.counts for row in rows}

    estimated = counted(progress.status_over_time(sample_every=2))
    assert "An estimate" not in text_of(client.get("/"))
    monkeypatch.setattr(progress, "EXACT_HISTORY_LIMIT", 0)
    cache.clear()  # the page's aggregates are cached per data version, which the limit is not part of
    RECENT.clear()
    response = client.get("/")
    assert response.context["years_estimated"] is True
    text = text_of(response)
    assert "An estimate : counted over every 128th item (by id) and scaled up" in text
    Item.objects.exclude(id__in=[pk for pk in Item.objects.values_list("id", flat=True) if pk % 2 == 0]).delete()
    assert Item.objects.exists()
    exact = counted(progress.status_over_time())
    assert estimated == {year: {status: 2 * n for status, n in by.items()} for year, by in exact.items()}


def test_dashboard_every_segment_links_to_a_list_of_exactly_its_items(client, corpus):
    context = client.get("/").context
    charts = ("theme_bars", "made_by_bars", "addressed_to_bars", "document_bars", "year_bars")
    checked = 0
    for chart in charts:
        for bar in context[chart]:
            for segment in bar["segments"]:
                listed = client.get(f"/items/?{segment['query']}").context["total"]
                assert listed == segment["count"], (chart, bar["key"], segment)
                checked += 1
            assert client.get(f"/items/?{bar['query']}").context["total"] == bar["total"], (chart, bar["key"])
    assert checked > 40
    html = client.get("/").content.decode()
    assert (
        '<a href="/items/?made_by=ata&amp;status=implemented" aria-label="Atlantic Treaty Association, '
        'implemented: 1 item (33%)">'
    ) in html


@pytest.mark.postgres_only
def test_ranked_search_says_when_it_ranks_only_the_newest_matches(client, corpus, monkeypatch):
    from tracker import search, views

    monkeypatch.setattr(search, "RANK_CANDIDATES", 1)
    monkeypatch.setattr(views, "RANK_CANDIDATES", 1)
    response = client.get("/items/?q=border")
    assert len(refs(response)) == 1
    assert "Sorted by relevance among the 1 most recently added matches." in text_of(response)
    assert 'href="?q=border&amp;ordering=id"' in response.content.decode()
    assert len(refs(client.get("/items/?q=border&ordering=id"))) > 1
