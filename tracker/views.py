"""The public, server-rendered pages. Filtering is ItemFilterSet's (shared with the API), counts are
facets()'s and dashboard's, text cutting is reading's and highlight's: the views only assemble."""

from collections import defaultdict
from datetime import date
from urllib.parse import urlencode

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html_join

from tracker import counts, dashboard, filter_summary, progress, reference_cache
from tracker.api.rows import item_page_url
from tracker.caching import cached_aggregate, data_version
from tracker.enums import (
    KIND_DEFINITIONS,
    REVIEW_STATE_DEFINITIONS,
    STATUS_DEFINITIONS,
    STRENGTH_DEFINITIONS,
    ItemKind,
    LinkKind,
    ReviewState,
    Status,
    Strength,
)
from tracker.facets import SAMPLE_EVERY
from tracker.facets import facets as facet_counts
from tracker.filter_summary import ACTOR_ROLES
from tracker.filtersets import ItemFilterSet, split_values
from tracker.highlight import passage_around
from tracker.ids import parse_id, parse_number
from tracker.models import Actor, Citation, Document, Item, ItemLink, Section, StatusUpdate, Theme
from tracker.reading import Anchor, CitedSpan, LabelledSpan, iter_segments
from tracker.reading_html import source_html
from tracker.search import RANK_CANDIDATES

PAGE_SIZE = 50
# The item list's actor dropdowns show the actors with most items; the rest are a datalist away.
TOP_ACTORS = 25
# Characters of context either side of a quote on the item page.
PASSAGE_CONTEXT = 200
# Parameters that move through the list rather than filter it: dropped from export and feed links.
PAGING_PARAMS = ("after", "before")

LINK_LABELS = {
    LinkKind.RESTATES: ("Restates", "Restated by"),
    LinkKind.FOLLOWS_UP: ("Follows up", "Followed up by"),
    LinkKind.IMPLEMENTS: ("Implements", "Implemented by"),
    LinkKind.CONTRADICTS: ("Contradicts", "Contradicted by"),
}


def _status_summary(**where) -> list[dict]:
    """Items per status, in scale order, zeros left out, from the kept counts (tracker.counts.summed's filters)."""
    by_status = counts.summed("status", **where)
    return [
        {"value": status, "label": Status.label_of(status), "count": by_status[status]}
        for status in dashboard.STATUS_ORDER
        if by_status.get(status)
    ]


# --- Dashboard --------------------------------------------------------------------------------------


def dashboard_view(request):
    # The content depends on the data only: rendered once per data version (some 10,000 template nodes,
    # a quarter of a second), then served as cached HTML inside the page.
    version = data_version()
    context = cached_aggregate("dashboard", _dashboard_context, version=version)
    body = cached_aggregate(
        "dashboard-html", lambda: render_to_string("tracker/includes/dashboard_body.html", context), version=version
    )
    return render(request, "tracker/dashboard.html", {**context, "body": body})


def _dashboard_context() -> dict:
    theme_rows = dashboard.status_by_theme()
    widest = max((row.total for row in theme_rows), default=0)
    chart = dashboard.stacked_bars(theme_rows, widest)
    documents = list(dashboard.document_timeline())
    years_estimated = counts.total() > progress.EXACT_HISTORY_LIMIT
    years = progress.status_over_time(sample_every=SAMPLE_EVERY if years_estimated else 1)
    return {
        "kinds": dashboard.kind_counts(),
        "theme_chart": chart,
        "empty_themes": [bar["theme"] for bar in chart if not bar["total"]],
        "status_legend": [(status, Status.label_of(status)) for status in dashboard.STATUS_ORDER],
        "theme_bars": progress.bars(progress.status_by_theme_rows(theme_rows), "theme"),
        "made_by_bars": progress.bars(progress.status_by_actor("made_by"), "made_by"),
        "addressed_to_bars": progress.bars(progress.status_by_actor("addressed_to"), "addressed_to"),
        "document_bars": progress.bars(progress.status_by_document(), "document"),
        "year_bars": progress.year_bars(years),
        "years_estimated": years_estimated,
        "sample_every": SAMPLE_EVERY,
        "timeline": documents,
        "timeline_strip": dashboard.timeline_strip(documents),
        "recent": list(progress.recently_assessed()),
    }


# --- Item list --------------------------------------------------------------------------------------


def _querystring(params, *, drop=PAGING_PARAMS, **changes) -> str:
    """The current query string less `drop`, with `changes` applied (None removes a key)."""
    data = params.copy()
    for key in drop:
        data.pop(key, None)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    pairs = [(key, value) for key, values in data.lists() for value in values if value != ""]
    return urlencode(pairs)


def _keyset_page(queryset, params):
    """Keyset pagination on id: `?after=<id>` / `?before=<id>`; no COUNT, one query per page.

    Only for the default id ordering: other orderings get the first page and a note.
    """
    after, before = parse_id(params.get("after", "")), parse_id(params.get("before", ""))
    if before is not None:
        rows = list(queryset.filter(id__lt=before).order_by("-id")[: PAGE_SIZE + 1])
        has_previous = len(rows) > PAGE_SIZE
        rows = list(reversed(rows[:PAGE_SIZE]))
        has_next = True
    else:
        if after is not None:
            queryset = queryset.filter(id__gt=after)
        rows = list(queryset[: PAGE_SIZE + 1])
        has_next = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE]
        has_previous = after is not None
    return rows, has_previous, has_next


def _selected(params, name: str) -> list[str]:
    """The values of a filter parameter, split as the FilterSet splits them."""
    return split_values(params.getlist(name))


def _checkboxes(choices, counts: dict, selected: list[str]) -> list[dict]:
    return [
        {"value": value, "label": label, "count": counts.get(value), "checked": value in selected}
        for value, label in choices
    ]


def _theme_options(theme_counts: dict[int, int], selected: list[str]) -> list[dict]:
    themes = _taxonomy_order(list(Theme.objects.only("id", "slug", "name", "path", "parent_id", "position")))
    return [
        {
            "value": theme.slug,
            "label": theme.name,
            "depth": min(theme.depth, 2),
            "count": theme_counts.get(theme.id, 0),
            "checked": theme.slug in selected or str(theme.id) in selected,
        }
        for theme in themes
    ]


def _actor_control(params, actor_facet: list[dict]) -> dict:
    """One actor control with a role choice (made by / addressed to / either): a dropdown of the top
    actors by count and a text box (with a datalist of every actor) for the rest. It shows the first
    actor parameter given; the others (a URL can carry several) stay in hidden inputs."""
    top = sorted(actor_facet[:TOP_ACTORS], key=lambda row: row["name"])
    known = {row["slug"] for row in top}
    given = [name for name in ("actor", "made_by", "addressed_to") if _selected(params, name)]
    role = given[0] if given else "actor"
    selected = _selected(params, role)
    chosen = next((value for value in selected if value in known), "")
    return {
        "role": role,
        "roles": [
            {"value": "" if value == "actor" else value, "label": label, "checked": value == role}
            for value, label in ACTOR_ROLES
        ],
        "options": [
            {"value": row["slug"], "label": row["name"], "count": row["count"], "selected": row["slug"] == chosen}
            for row in top
        ],
        "other": ", ".join(value for value in selected if value != chosen),
        "hidden": [(name, value) for name in given[1:] for value in _selected(params, name)],
    }


def _actor_datalist() -> str:
    """Every actor as a datalist option (the text box's suggestions): the same for every list page of a
    data version, so built once per version rather than 300 template iterations per request."""
    options = Actor.objects.order_by("name").values_list("slug", "name")
    return format_html_join("", '<option value="{}">{}</option>', options)


def _taxonomy_order(themes) -> list:
    """Themes depth first, siblings by position (the taxonomy's order, as the theme page shows it)."""
    by_path = {theme.path: theme for theme in themes}

    def key(theme):
        parts = theme.path.split("/")
        return tuple(
            (ancestor.position, ancestor.slug)
            for ancestor in (by_path.get("/".join(parts[: i + 1])) for i in range(len(parts)))
            if ancestor is not None
        )

    return sorted(themes, key=key)


def _filter_names(params, facet, document_options) -> dict[str, dict[str, str]]:
    """Names for the chips and the sentence: actors and themes from the per-process copy the
    filters were resolved through, documents from the facet rows, a section by one query."""

    def lookup(model, names):
        values = [value for name in names for value in _selected(params, name)]
        ids = {int(value) for value in values if value.isdecimal()}
        rows = reference_cache.find(model, ids, set(values) - {str(pk) for pk in ids})
        return {key: row.name for row in rows for key in (row.slug, str(row.pk))}

    documents = {option["value"]: option["label"] for option in document_options}
    documents.update({str(row["id"]): row["title"] for row in facet["document"]})
    names = {"theme": lookup(Theme, ["theme"]), "document": documents}
    names["actor"] = names["made_by"] = names["addressed_to"] = lookup(Actor, ["actor", "made_by", "addressed_to"])
    section = params.get("section", "")
    if section.isdecimal():
        names["section"] = {
            str(row.pk): f"{row.number} {row.heading}".strip()
            for row in Section.objects.filter(pk=int(section)).only("number", "heading")
        }
    return names


def _document_options(facet_rows: list[dict], selected: list[str]) -> list[dict]:
    options = [
        {"value": row["slug"], "label": row["title"], "count": row["count"], "selected": row["slug"] in selected}
        for row in sorted(facet_rows, key=lambda r: r["title"])
    ]
    missing = set(selected) - {row["value"] for row in options}
    for document in Document.objects.filter(slug__in=missing).only("slug", "title"):
        options.append({"value": document.slug, "label": document.title, "count": 0, "selected": True})
    return options


FIELD_LABELS = {
    "q": "Text search",
    "made_by": "Made by",
    "addressed_to": "Addressed to",
    "actor": "Made by or addressed to",
    "theme": "Theme",
    "status": "Status",
    "as_of": "Status as of",
    "kind": "Kind",
    "document": "Document",
    "section": "Section",
    "review_state": "Review state",
    "strength": "Strength",
    "date_after": "Document date from",
    "date_before": "Document date to",
    "ordering": "Order",
}

ORDERING_CHOICES = (
    ("", "Order added"),
    ("-date", "Newest document first"),
    ("date", "Oldest document first"),
    ("reference", "Reference"),
    ("title", "Title"),
)


def _offset_page(queryset, params):
    """Page numbers without a COUNT (for orderings other than id): one row more tells if there is a next page."""
    page = params.get("page", "1")
    number = parse_number(page, maximum=10_000) or 1
    rows = list(queryset[(number - 1) * PAGE_SIZE : number * PAGE_SIZE + 1])
    return rows[:PAGE_SIZE], number > 1, len(rows) > PAGE_SIZE, number


def item_list(request):
    canonical = filter_summary.with_role(request.GET)
    if canonical is not None:  # the form's actor + role: to the URL the API and the feed share
        return redirect(f"{request.path}?{canonical}" if canonical else request.path)
    params = request.GET
    filterset = ItemFilterSet(params, queryset=Item.objects.all())
    valid = filterset.is_valid()
    rows: list = []
    ranked = has_previous = has_next = False
    page_number = None
    facet: dict[str, list] = {"status": [], "kind": [], "document": [], "theme": [], "actor": []}
    version = data_version()
    if valid:
        queryset = filterset.qs
        facet = cached_aggregate(
            "item-facets",
            lambda: facet_counts(filterset.matches, filterset.form.cleaned_data),
            version=version,
            parts=(_querystring(params, drop=(*PAGING_PARAMS, "page", "ordering")),),
        )
        ranked = "search_rank" in queryset.query.annotations
        listed = queryset.with_list_relations()
        if params.get("ordering", "") in ("", "id") and not ranked:
            rows, has_previous, has_next = _keyset_page(listed, params)
        else:
            rows, has_previous, has_next, page_number = _offset_page(listed, params)
        as_of = filterset.form.cleaned_data.get("as_of")
        for row in rows:
            row.shown_status = getattr(row, "status_as_of", row.status) if as_of else row.status
            row.shown_status_label = Status.label_of(row.shown_status)

    query = _querystring(params, drop=(*PAGING_PARAMS, "page"))
    if page_number is not None:
        next_query = _querystring(params, page=str(page_number + 1)) if has_next else ""
        previous_query = _querystring(params, page=str(page_number - 1)) if has_previous else ""
    else:
        next_query = _querystring(params, after=str(rows[-1].id)) if has_next and rows else ""
        previous_query = _querystring(params, before=str(rows[0].id)) if has_previous and rows else ""
    feed_query = _querystring(params, drop=(*PAGING_PARAMS, "page", "ordering"))
    errors = {name: list(messages) for name, messages in filterset.form.errors.items()}
    actor_control = _actor_control(params, facet["actor"])
    actor_control["errors"] = [
        message for name in ("actor", "made_by", "addressed_to") for message in errors.get(name, [])
    ]
    document_options = _document_options(facet["document"], _selected(params, "document"))
    total = sum(row["count"] for row in facet["status"])
    chips, summary = [], ""
    if valid:
        names = _filter_names(params, facet, document_options)
        chips = filter_summary.chips(params, names)
        summary = filter_summary.sentence(params, names, total)
    as_of = params.get("as_of", "") if valid and filterset.form.cleaned_data.get("as_of") else ""
    # A ranked search lists the newest RANK_CANDIDATES matches by relevance (tracker.search): say so when
    # there are more, with the link that lists every match.
    rank_limited = valid and ranked and total > RANK_CANDIDATES
    theme_options = _theme_options({row["id"]: row["count"] for row in facet["theme"]}, _selected(params, "theme"))
    context = {
        "form": filterset.form,
        "valid": valid,
        "errors": errors,
        "error_summary": [(FIELD_LABELS.get(name, name), messages) for name, messages in errors.items()],
        "items": rows,
        "total": total,
        "chips": chips,
        "summary": summary,
        "as_of": as_of,
        "as_of_display": filter_summary.display_date(as_of) if as_of else "",
        "as_of_query": urlencode({"as_of": as_of}) if as_of else "",
        "estimated": facet.get("estimated", False),
        "rank_limited": rank_limited,
        "rank_candidates": RANK_CANDIDATES,
        "by_id_query": _querystring(params, drop=(*PAGING_PARAMS, "page"), ordering="id"),
        "query": query,
        "next_query": next_query,
        "previous_query": previous_query,
        "first_query": query if has_previous else None,
        "values": {
            name: params.get(name, "") for name in ("q", "date_after", "date_before", "as_of", "ordering", "section")
        },
        "without_section": _querystring(params, drop=(*PAGING_PARAMS, "page", "section")),
        "without_as_of": _querystring(params, drop=(*PAGING_PARAMS, "page", "as_of")),
        "status_options": _checkboxes(
            Status.choices, {row["value"]: row["count"] for row in facet["status"]}, _selected(params, "status")
        ),
        "kind_options": _checkboxes(
            ItemKind.choices, {row["value"]: row["count"] for row in facet["kind"]}, _selected(params, "kind")
        ),
        "strength_options": _checkboxes(Strength.choices, {}, _selected(params, "strength")),
        "review_options": _checkboxes(ReviewState.choices, {}, _selected(params, "review_state")),
        "theme_options": theme_options,
        "selected_themes": [option for option in theme_options if option["checked"]],
        "actor": actor_control,
        "actor_datalist": cached_aggregate("actor-datalist", _actor_datalist, version=version),
        "document_options": document_options,
        "ordering_choices": ORDERING_CHOICES,
        "feed_url": reverse("tracker:item-feed") + (f"?{feed_query}" if feed_query else ""),
        "export_csv": "/api/v1/items/export.csv" + (f"?{feed_query}" if feed_query else ""),
        "export_json": "/api/v1/items/export.json" + (f"?{feed_query}" if feed_query else ""),
        "export_xlsx": "/api/v1/items/export.xlsx" + (f"?{feed_query}" if feed_query else ""),
    }
    return render(request, "tracker/item_list.html", context, status=200 if valid else 400)


# --- Item page --------------------------------------------------------------------------------------


def item_detail(request, reference):
    if "\x00" in reference:  # no reference has one, and PostgreSQL refuses NUL in a query (a 500)
        raise Http404
    actors = Actor.objects.only("id", "slug", "name")
    queryset = Item.objects.select_related("document", "section").prefetch_related(
        Prefetch("made_by", queryset=actors),
        Prefetch("addressed_to", queryset=actors),
        Prefetch("themes", queryset=Theme.objects.only("id", "slug", "name", "path", "parent_id")),
        Prefetch("citations", queryset=Citation.objects.select_related("document", "section")),
        Prefetch(
            "status_updates",
            queryset=StatusUpdate.objects.select_related("evidence_citation__document", "evidence_document").defer(
                "evidence_document__text"
            ),
        ),
        Prefetch("links_out", queryset=ItemLink.objects.select_related("target").order_by("kind", "target__reference")),
        Prefetch("links_in", queryset=ItemLink.objects.select_related("source").order_by("kind", "source__reference")),
    )
    item = get_object_or_404(queryset, reference=reference)

    citations = []
    for citation in item.citations.all():
        text = citation.document.text
        if 0 <= citation.start < citation.end <= len(text):
            passage = passage_around(text, citation.start, citation.end, context=PASSAGE_CONTEXT)
        else:  # an offset the document no longer has: show the stored quote alone
            passage = None
        citations.append({"citation": citation, "passage": passage})

    links = []
    for link in item.links_out.all():
        links.append({"label": LINK_LABELS[link.kind][0], "item": link.target, "note": link.note})
    for link in item.links_in.all():
        links.append({"label": LINK_LABELS[link.kind][1], "item": link.source, "note": link.note})

    history = list(item.status_updates.all())  # newest first (StatusUpdate.Meta.ordering)
    as_of = _as_of_date(request.GET.get("as_of", ""))
    as_of_status = None
    if as_of:
        # The status the item had that day, as the list's `as_of` filter computes it: the latest
        # update assessed on or before it, else Unknown.
        past = next((update for update in history if update.assessed_on <= as_of), None)
        as_of_status = past.status if past else Status.UNKNOWN
    permalink = request.build_absolute_uri(item.get_absolute_url())
    context = {
        "item": item,
        "as_of": as_of,
        "as_of_status": as_of_status,
        "as_of_label": Status.label_of(as_of_status) if as_of_status else "",
        "citation_line": citation_line(item, permalink=permalink, accessed=timezone.localdate()),
        "permalink": permalink,
        "status_label": Status.label_of(item.status),
        "status_definition": STATUS_DEFINITIONS.get(item.status, ""),
        "citations": citations,
        "history": history,
        "links": links,
        "themes": sorted(item.themes.all(), key=lambda t: t.path),
    }
    return render(request, "tracker/item_detail.html", context)


def _as_of_date(value: str):
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:  # a malformed date in a link: the page shows today's status, as without one
        return None


def citation_line(item, *, permalink: str, accessed) -> str:
    """ "NATO. “Title” (REF). In Document, Publisher, June 2019. Balkan security recommendations
    tracker, <permalink> (accessed 1 December 2026)." Expects made_by prefetched, document selected."""
    document = item.document
    authors = ", ".join(actor.name for actor in item.made_by.all()) or document.author or document.publisher
    source = ", ".join(part for part in (document.title, document.publisher, document.date_display) if part)
    lead = f"{authors}. " if authors else ""
    return (
        f"{lead}“{item.title}” ({item.reference}). In {source}. Balkan security recommendations tracker, "
        f"{permalink} (accessed {date_format(accessed, 'j F Y')})."
    )


# --- Documents --------------------------------------------------------------------------------------


def document_list(request):
    documents = dashboard.with_item_counts(
        Document.objects.only("slug", "title", "kind", "publisher", "author", "published", "date_precision").order_by(
            "published", "slug"
        )
    )
    return render(request, "tracker/document_list.html", {"documents": documents})


def _section_tree(sections: list[Section]) -> list[dict]:
    nodes = {section.id: {"section": section, "children": []} for section in sections}
    roots = []
    for section in sections:
        parent = nodes.get(section.parent_id)
        (parent["children"] if parent else roots).append(nodes[section.id])
    return roots


def document_detail(request, slug):
    document = get_object_or_404(Document, slug=slug)
    sections = list(document.sections.order_by("start"))
    spans = list(document.boilerplate_spans.order_by("start"))
    # Plain tuples, not model instances: a long document has tens of thousands of citations.
    citations = list(
        Citation.objects.filter(document=document)
        .order_by("start", "id")
        .values_list("id", "start", "end", "item_id", "item__reference")
    )
    parts = iter_segments(
        document.text,
        citations=[CitedSpan(start, end, pk, reference) for pk, start, end, _, reference in citations],
        boilerplate=[LabelledSpan(b.start, b.end, b.label) for b in spans],
        anchors=[Anchor(s.start, f"s{s.id}") for s in sections],
    )
    item_count = len({item_id for _, _, _, item_id, _ in citations})
    context = {
        "document": document,
        "source_html": source_html(parts, item_page_url()),
        "outline": _section_tree(sections),
        "boilerplate": spans,
        "citation_count": len(citations),
        "item_count": item_count,
    }
    return render(request, "tracker/document_detail.html", context)


# --- Actors and themes ------------------------------------------------------------------------------

ACTOR_PAGE_ITEMS = 30


def actor_list(request):
    made = counts.summed("actor_id", role="made_by")
    addressed = counts.summed("actor_id", role="addressed_to")
    actors = list(Actor.objects.only("slug", "name", "kind").order_by("name"))
    by_kind = defaultdict(list)
    for actor in actors:
        actor.made, actor.addressed = made.get(actor.pk, 0), addressed.get(actor.pk, 0)
        by_kind[actor.get_kind_display()].append(actor)
    return render(request, "tracker/actor_list.html", {"groups": sorted(by_kind.items()), "count": len(actors)})


def actor_detail(request, slug):
    actor = get_object_or_404(Actor.objects.select_related("parent"), slug=slug)
    made = Item.objects.made_by_any([actor.pk])
    addressed = Item.objects.addressed_to_any([actor.pk])
    context = {
        "actor": actor,
        "made_summary": _status_summary(actor=actor.pk, role="made_by"),
        "addressed_summary": _status_summary(actor=actor.pk, role="addressed_to"),
        "made_items": made.with_list_relations().order_by("id")[:ACTOR_PAGE_ITEMS],
        "addressed_items": addressed.with_list_relations().order_by("id")[:ACTOR_PAGE_ITEMS],
        "children": actor.children.only("slug", "name").order_by("name"),
        "limit": ACTOR_PAGE_ITEMS,
    }
    context["made_total"] = sum(row["count"] for row in context["made_summary"])
    context["addressed_total"] = sum(row["count"] for row in context["addressed_summary"])
    return render(request, "tracker/actor_detail.html", context)


def theme_list(request):
    themes = list(Theme.objects.only("id", "slug", "name", "code", "path", "parent_id", "position"))
    by_theme = counts.summed("theme_id")
    nodes = {theme.id: {"theme": theme, "count": by_theme.get(theme.id, 0), "children": []} for theme in themes}
    roots = []
    for theme in sorted(themes, key=lambda t: (t.depth, t.position, t.path)):
        parent = nodes.get(theme.parent_id)
        (parent["children"] if parent else roots).append(nodes[theme.id])
    return render(request, "tracker/theme_list.html", {"tree": roots})


def theme_detail(request, slug):
    theme = get_object_or_404(Theme, slug=slug)
    ancestors = sorted(Theme.objects.filter(path__in=_ancestor_paths(theme.path)), key=lambda t: t.depth)
    items = Item.objects.in_themes([theme])
    summary = _status_summary(theme=theme.pk)
    context = {
        "theme": theme,
        "ancestors": ancestors,
        "children": theme.children.order_by("position", "path"),
        "summary": summary,
        "total": sum(row["count"] for row in summary),
        "items": items.with_list_relations().order_by("id")[:ACTOR_PAGE_ITEMS],
        "limit": ACTOR_PAGE_ITEMS,
    }
    return render(request, "tracker/theme_detail.html", context)


def _ancestor_paths(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


# --- Status scale -----------------------------------------------------------------------------------


def status_scale(request):
    by_status = counts.summed("status")
    statuses = [
        {"value": value, "label": label, "definition": STATUS_DEFINITIONS[value], "count": by_status.get(value, 0)}
        for value, label in Status.choices
    ]
    explained = [
        ("kinds", "Kinds of item", "kind", ItemKind.choices, KIND_DEFINITIONS),
        ("strength", "Strength", "strength", Strength.choices, STRENGTH_DEFINITIONS),
        ("review", "Review state", "review_state", ReviewState.choices, REVIEW_STATE_DEFINITIONS),
    ]
    glossary = [
        {
            "id": anchor,
            "heading": heading,
            "terms": [
                {"label": label, "definition": definitions[value], "query": urlencode({param: value})}
                for value, label in choices
            ],
        }
        for anchor, heading, param, choices, definitions in explained
    ]
    return render(request, "tracker/status_scale.html", {"statuses": statuses, "glossary": glossary})
