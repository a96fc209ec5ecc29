"""A small realistic corpus for the page tests (views and browser), and the headless-Chromium fixtures.

Imported by tests/conftest.py, so its fixtures are available to every test module.
"""

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from tests import factories
from tracker.enums import ActorKind, DatePrecision, DocumentKind, ItemKind, LinkKind, Status, Strength
from tracker.models import BoilerplateSpan, Theme
from tracker.services import record_status_update

STRATEGY_TEXT = (
    "Regional Security Strategy for South East Europe\n"
    "\n"
    "Cookie notice: this site uses cookies to count visitors. Accept all.\n"
    "\n"
    "1. Border Security Management\n"
    "NATO and the European Union should support joint border monitoring between Serbia and Kosovo. "
    "The governments of the region must exchange border surveillance data in real time.\n"
    "\n"
    "1.1 Illegal Immigration\n"
    "Serbia commits to open a regional centre against trafficking in human beings by 2008.\n"
    "\n"
    "2. Strengthening the Rule of Law\n"
    "The governments of the region should establish independent judicial councils.\n"
    "\n"
    "Share this article: Facebook | Twitter | E-mail\n"
)

STATEMENT_TEXT = (
    "Statement on the Western Balkans, 2019\n\nNATO will keep supporting border security management in the region.\n"
)


def span(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


@dataclass
class Corpus:
    strategy: object
    statement: object
    actors: dict = field(default_factory=dict)
    themes: dict = field(default_factory=dict)
    sections: dict = field(default_factory=dict)
    items: dict = field(default_factory=dict)
    citations: dict = field(default_factory=dict)
    boilerplate: list = field(default_factory=list)


def _theme(slug: str) -> Theme:
    # The default taxonomy comes with migration 0003; a flushed database (transactional tests) gets it back here.
    from tracker.taxonomy import THEMES_BY_SLUG

    spec = THEMES_BY_SLUG[slug]
    parent = _theme(spec.parent) if spec.parent else None
    theme, _ = Theme.objects.get_or_create(
        slug=slug, defaults={"name": spec.name, "description": spec.description, "code": spec.code, "parent": parent}
    )
    return theme


def build_corpus() -> Corpus:
    strategy = factories.DocumentFactory(
        slug="ata-test-strategy",
        reference_prefix="ATA-T",
        title="Regional Security Strategy for South East Europe",
        kind=DocumentKind.STRATEGY,
        publisher="Atlantic Treaty Association",
        published=date(2006, 10, 1),
        date_precision=DatePrecision.MONTH,
        text=STRATEGY_TEXT,
    )
    statement = factories.DocumentFactory(
        slug="nato-test-statement",
        reference_prefix="NATO-T",
        title="Statement on the Western Balkans",
        kind=DocumentKind.STATEMENT,
        publisher="NATO",
        published=date(2019, 6, 1),
        date_precision=DatePrecision.MONTH,
        text=STATEMENT_TEXT,
    )
    corpus = Corpus(strategy=strategy, statement=statement)
    text = STRATEGY_TEXT
    for label, quote in (
        ("Cookie notice", "Cookie notice: this site uses cookies to count visitors. Accept all."),
        ("Share buttons", "Share this article: Facebook | Twitter | E-mail"),
    ):
        start, end = span(text, quote)
        corpus.boilerplate.append(BoilerplateSpan.objects.create(document=strategy, start=start, end=end, label=label))
    s1_start = text.index("1. Border")
    s2_start = text.index("2. Strengthening")
    s11_start = text.index("1.1 Illegal")
    share = text.index("Share this")
    corpus.sections["1"] = factories.SectionFactory(
        document=strategy, number="1", heading="Border Security Management", start=s1_start, end=s2_start
    )
    corpus.sections["1.1"] = factories.SectionFactory(
        document=strategy,
        number="1.1",
        heading="Illegal Immigration",
        start=s11_start,
        end=s2_start,
        parent=corpus.sections["1"],
    )
    corpus.sections["2"] = factories.SectionFactory(
        document=strategy, number="2", heading="Strengthening the Rule of Law", start=s2_start, end=share
    )

    a = corpus.actors
    a["nato"] = factories.ActorFactory(name="NATO", slug="nato", kind=ActorKind.INTERNATIONAL_ORGANISATION)
    a["eu"] = factories.ActorFactory(
        name="European Union", slug="european-union", kind=ActorKind.INTERNATIONAL_ORGANISATION
    )
    a["serbia"] = factories.ActorFactory(name="Serbia", slug="serbia", kind=ActorKind.STATE, iso_code="RS")
    a["kosovo"] = factories.ActorFactory(name="Kosovo", slug="kosovo", kind=ActorKind.STATE, iso_code="XK")
    a["ata"] = factories.ActorFactory(name="Atlantic Treaty Association", slug="ata", kind=ActorKind.CIVIL_SOCIETY)

    t = corpus.themes
    for slug in ("border-security", "border-monitoring", "illegal-immigration", "rule-of-law", "independent-justice"):
        t[slug] = _theme(slug)

    def item(reference, quote, *, document=strategy, section=None, **kwargs):
        new = factories.ItemFactory(
            reference=reference, document=document, section=section, text=quote, date=document.published, **kwargs
        )
        start, end = span(document.text, quote)
        corpus.citations[reference] = factories.CitationFactory(
            item=new, document=document, section=section, start=start, end=end
        )
        corpus.items[reference] = new
        return new

    item(
        "ATA-T-01",
        "NATO and the European Union should support joint border monitoring between Serbia and Kosovo.",
        section=corpus.sections["1"],
        title="Joint border monitoring between Serbia and Kosovo",
        made_by=[a["ata"]],
        addressed_to=[a["nato"], a["eu"]],
        themes=[t["border-monitoring"]],
        strength=Strength.SHOULD,
    )
    item(
        "ATA-T-02",
        "The governments of the region must exchange border surveillance data in real time.",
        section=corpus.sections["1"],
        title="Real-time exchange of border surveillance data",
        made_by=[a["ata"]],
        addressed_to=[a["serbia"], a["kosovo"]],
        themes=[t["border-security"], t["border-monitoring"]],
        strength=Strength.MUST,
    )
    item(
        "ATA-T-03",
        "Serbia commits to open a regional centre against trafficking in human beings by 2008.",
        section=corpus.sections["1.1"],
        kind=ItemKind.COMMITMENT,
        title="A regional centre against trafficking",
        made_by=[a["serbia"]],
        addressed_to=[a["serbia"]],
        themes=[t["illegal-immigration"]],
    )
    item(
        "ATA-T-04",
        "The governments of the region should establish independent judicial councils.",
        section=corpus.sections["2"],
        title="Independent judicial councils",
        made_by=[a["ata"]],
        addressed_to=[a["serbia"], a["kosovo"]],
        themes=[t["independent-justice"]],
        strength=Strength.SHOULD,
    )
    # An author's proposal quoting a passage inside ATA-T-01's: the overlap the reading view must handle.
    item(
        "ATA-T-05",
        "support joint border monitoring",
        section=corpus.sections["1"],
        kind=ItemKind.PROPOSAL,
        title="Support for joint border monitoring",
        addressed_to=[a["nato"]],
        themes=[t["border-monitoring"]],
        strength=Strength.COULD,
    )
    item(
        "NATO-T-01",
        "NATO will keep supporting border security management in the region.",
        document=statement,
        kind=ItemKind.COMMITMENT,
        title="NATO keeps supporting border security",
        made_by=[a["nato"]],
        addressed_to=[a["nato"]],
        themes=[t["border-security"]],
    )
    i = corpus.items
    record_status_update(item=i["ATA-T-01"], status=Status.NOT_STARTED, assessed_on=date(2008, 1, 15), note="No talks.")
    record_status_update(
        item=i["ATA-T-01"],
        status=Status.IN_PROGRESS,
        assessed_on=date(2012, 5, 1),
        note="A joint working group met twice.",
        evidence_url="https://example.org/working-group",
    )
    record_status_update(item=i["ATA-T-02"], status=Status.IMPLEMENTED, assessed_on=date(2015, 3, 1), note="Done.")
    record_status_update(item=i["ATA-T-03"], status=Status.STALLED, assessed_on=date(2010, 9, 1))
    record_status_update(item=i["NATO-T-01"], status=Status.IN_PROGRESS, assessed_on=date(2020, 2, 1))
    factories.ItemLinkFactory(source=i["NATO-T-01"], target=i["ATA-T-01"], kind=LinkKind.FOLLOWS_UP)
    factories.ItemLinkFactory(source=i["ATA-T-05"], target=i["ATA-T-01"], kind=LinkKind.RESTATES)
    for reference in i:
        i[reference].refresh_from_db()
    return corpus


@pytest.fixture
def corpus(db) -> Corpus:
    return build_corpus()


# --- Headless Chromium --------------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI installs it (.ci/run): never let the browser tests vanish there
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses that unless told.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
