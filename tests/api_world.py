"""A small, fully known data set shared by the filterset, API and export tests."""

from dataclasses import dataclass
from datetime import date

from tests import factories
from tracker import services
from tracker.enums import ItemKind, ReviewState, Status, Strength


@dataclass
class World:
    nato: object
    eu: object
    serbia: object
    root: object
    child: object
    other: object
    doc_a: object
    doc_b: object
    section: object
    i1: object
    i2: object
    i3: object
    i4: object

    def refs(self, items) -> list[str]:
        return [item.reference for item in items]


def build_world() -> World:
    nato = factories.ActorFactory(slug="nato", name="NATO")
    eu = factories.ActorFactory(slug="eu", name="European Union")
    serbia = factories.ActorFactory(slug="serbia", name="Serbia")
    root = factories.ThemeFactory(slug="w-root", name="Root theme")
    child = factories.ThemeFactory(slug="w-child", name="Child theme", parent=root)
    other = factories.ThemeFactory(slug="w-other", name="Other theme")
    doc_a = factories.DocumentFactory(slug="doc-a")
    doc_b = factories.DocumentFactory(slug="doc-b", published=date(2010, 5, 1))
    section = factories.SectionFactory(document=doc_a, number="4.3", heading="Trade")
    i1 = factories.ItemFactory(
        reference="W-1",
        title="Free trade agreements",
        text="Countries in the region must conclude free trade agreements among each other.",
        kind=ItemKind.RECOMMENDATION,
        document=doc_a,
        section=section,
        strength=Strength.MUST,
        date=date(2006, 10, 1),
        review_state=ReviewState.CONFIRMED,
        made_by=[nato],
        addressed_to=[serbia],
        themes=[child],
    )
    i2 = factories.ItemFactory(
        reference="W-2",
        title="Regional Roma Centre",
        text="National governments should set up a Regional Roma Centre for the Balkans.",
        kind=ItemKind.COMMITMENT,
        document=doc_b,
        strength=Strength.SHOULD,
        date=date(2010, 5, 1),
        review_state=ReviewState.NEEDS_REVIEW,
        made_by=[eu],
        addressed_to=[nato],
        themes=[root],
    )
    i3 = factories.ItemFactory(
        reference="W-3",
        title="Media association",
        text="The media could form an Association of the Media in Southeast Europe.",
        kind=ItemKind.PROPOSAL,
        document=doc_b,
        strength=Strength.COULD,
        date=date(2015, 1, 1),
        review_state=ReviewState.REJECTED,
    )
    i4 = factories.ItemFactory(
        reference="W-4",
        title="Border police cooperation",
        text="Border police forces should exchange liaison officers.",
        kind=ItemKind.RECOMMENDATION,
        document=doc_a,
        strength=Strength.MUST,
        date=None,
        review_state=ReviewState.CONFIRMED,
        made_by=[serbia],
        addressed_to=[eu],
        themes=[other],
    )
    factories.CitationFactory(item=i1)
    services.record_status_update(item=i1, status=Status.IN_PROGRESS, assessed_on=date(2020, 1, 1), note="Talks.")
    services.record_status_update(
        item=i1,
        status=Status.IMPLEMENTED,
        assessed_on=date(2022, 1, 1),
        note="Signed.",
        evidence_url="https://example.org/cefta",
    )
    services.record_status_update(item=i2, status=Status.STALLED, assessed_on=date(2021, 6, 1))
    for item in (i1, i2, i3, i4):
        item.refresh_from_db()
    return World(nato, eu, serbia, root, child, other, doc_a, doc_b, section, i1, i2, i3, i4)
