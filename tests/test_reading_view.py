"""The reading view (`/documents/<slug>/`) on a document with many overlapping, nested and adjacent quotes:
every quote is highlighted exactly and linked to its item, and the page gives the text back verbatim."""

import hashlib
import html
import random
import re

import pytest

from tests import factories
from tracker.models import Citation, Item

pytestmark = pytest.mark.django_db


def _document_with_quotes(count: int, seed: int = 7):
    rng = random.Random(seed)
    words = ["border", "<b>police</b>", "trade & customs", '"reform"', "O'Neill", "Kosovo", "Serbia", "\n\n"]
    text = " ".join(rng.choice(words) for _ in range(count * 3))
    document = factories.DocumentFactory(text=text, sha256=hashlib.sha256(text.encode()).hexdigest())
    edges = [0, len(text)]
    spans = set()
    while len(spans) < count:
        start = rng.choice(edges) if rng.random() < 0.5 else rng.randrange(len(text) - 1)
        end = rng.choice(edges) if rng.random() < 0.4 else start + rng.randint(1, 60)
        start, end = sorted((start, min(end, len(text))))
        if start < end:
            spans.add((start, end))
            edges += [start, end]
    items = Item.objects.bulk_create(
        factories.ItemFactory.build(document=document, reference=f"RV-{n:04d}") for n in range(count)
    )
    Citation.objects.bulk_create(
        Citation(item=item, document=document, start=start, end=end, quote=text[start:end])
        for item, (start, end) in zip(items, sorted(spans), strict=True)
    )
    return document


def test_reading_view_many_overlapping_and_adjacent_quotes(client):
    document = _document_with_quotes(400)
    page = client.get(f"/documents/{document.slug}/").content.decode()
    source = page.split('<section class="source"', 1)[1].split("</section>", 1)[0].split("</h2>", 1)[1]
    citations = list(Citation.objects.filter(document=document).select_related("item").order_by("start", "-end", "id"))

    # One link per quote, where it starts, in text order (longer quotes first at the same place).
    links = re.findall(r'<a class="cite-ref" id="c(\d+)" href="/items/([^/"]+)/" aria-label="Item \2">\2</a>', source)
    assert links == [(str(c.id), c.item.reference) for c in citations]

    # Every quote is exactly the concatenation of the highlighted stretches that carry its id.
    marks = re.findall(
        r'<mark class="cited( depth-2)?" data-citations="([\d ]+)" title="Cited by ([^"]+)">([^<]*)</mark>', source
    )
    by_citation = {c.id: [] for c in citations}
    reference_of = {c.id: c.item.reference for c in citations}
    for deep, ids, title, text in marks:
        ids = [int(i) for i in ids.split()]
        assert bool(deep) == (len(ids) > 1)
        assert title.split(", ") == list(dict.fromkeys(reference_of[i] for i in ids))
        for i in ids:
            by_citation[i].append(html.unescape(text))
    assert {i: "".join(parts) for i, parts in by_citation.items()} == {c.id: c.quote for c in citations}

    # The verbatim text survives, markup in it escaped.
    without_links = re.sub(r'<a class="cite-ref"[^>]*>[^<]*</a>', "", source)
    assert html.unescape(re.sub(r"<[^>]+>", "", without_links)).strip() == document.text.strip()
    assert "<b>" not in source
