"""The review workbench's page data: a document's text cut into segments with every item's citations."""

from dataclasses import dataclass

from django.db.models import Prefetch

from tracker import reading
from tracker.enums import ItemKind, LinkKind, ReviewState, Status
from tracker.models import Actor, Citation, Document, Item, SourceFile


@dataclass
class Workbench:
    document: Document
    items: list[Item]
    blocks: list
    selected: Item | None
    others: list[Item]  # items the selected one can be merged with (same document)

    kinds = ItemKind.choices
    review_states = ReviewState.choices
    statuses = Status.choices
    link_kinds = LinkKind.choices


def build(document: Document, selected_id: int | None = None) -> Workbench:
    """Everything the page shows, in a fixed number of queries whatever the number of items."""
    actors = Actor.objects.only("id", "slug", "name")
    items = list(
        Item.objects.filter(document=document)
        .select_related("section")
        .prefetch_related(
            Prefetch("citations", queryset=Citation.objects.filter(document=document).order_by("position", "id")),
            Prefetch("made_by", queryset=actors),
            Prefetch("addressed_to", queryset=actors),
            "themes",
        )
        .order_by("id")
    )
    spans = [
        reading.CitedSpan(citation.start, citation.end, citation.pk, str(item.pk))
        for item in items
        for citation in item.citations.all()
    ]
    boilerplate = [
        reading.LabelledSpan(start, end, label)
        for start, end, label in document.boilerplate_spans.values_list("start", "end", "label")
    ]
    items.sort(key=lambda item: min((c.start for c in item.citations.all()), default=len(document.text)))
    selected = next((item for item in items if item.pk == selected_id), None)
    if selected is None and items:
        selected = next((item for item in items if item.review_state == ReviewState.NEEDS_REVIEW), items[0])
    source = SourceFile.objects.filter(document=document).only("page_starts").first()
    for item in items:
        for citation in item.citations.all():
            # "p. 4" for a document read from a PDF (None otherwise).
            citation.page = source.page_at(citation.start) if source is not None else None
    return Workbench(
        document=document,
        items=items,
        blocks=reading.blocks(reading.segments(document.text, spans, boilerplate)),
        selected=selected,
        others=[item for item in items if selected is not None and item.pk != selected.pk],
    )
