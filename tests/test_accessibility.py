"""axe-core over every public page and the admin's item list, change and history pages, at a desktop and
a phone width, in headless Chromium: no violations.

axe-core is the npm package's axe.min.js, vendored in tests/assets/axe-core/ (version in its header,
licence beside it) and injected by Playwright through the DevTools protocol, so nothing is fetched
from the network and the site's script-src 'self' policy needs no exception.
"""

import json
from pathlib import Path

import pytest
from django.test import Client

from tests import factories
from tests.browser_conftest import build_corpus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = Path(__file__).resolve().parent / "assets" / "axe-core" / "axe.min.js"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}

PUBLIC_PAGES = {
    "dashboard": "/",
    "item-list": "/items/",
    "item-list-filtered": "/items/?addressed_to=nato&theme=border-security&as_of=2012-12-31",
    "item-list-bad-filter": "/items/?theme=no-such-theme&date_after=yesterday",
    "item-detail": "/items/ATA-T-01/",
    "item-detail-as-of": "/items/ATA-T-01/?as_of=2010-01-01",
    "documents": "/documents/",
    "document-reading-view": "/documents/ata-test-strategy/",
    "actors": "/actors/",
    "actor-detail": "/actors/nato/",
    "themes": "/themes/",
    "theme-detail": "/themes/border-security/",
    "status-scale": "/status/",
    "not-found": "/items/NO-SUCH-ITEM/",
}


def axe_violations(page) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + n.failureSummary),
            }));
        }"""
    )


RESULTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "axe"


def record(name: str, found: dict) -> None:
    """The violations as JSON in test-artifacts/axe/ (an empty object when clean), for a person to read."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(found, indent=1), encoding="utf-8")


def check(page, url: str, name: str, screenshot, prepare=None) -> dict:
    found = {}
    for width_name, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        response = page.goto(url)
        assert response is not None and response.status in (200, 400, 404), (url, response and response.status)
        if prepare:
            prepare(page)
        violations = axe_violations(page)
        if violations:
            found[f"{name} at {width_name}"] = violations
        screenshot(page, f"axe-{name}-{width_name}")
    return found


def test_axe_finds_no_violation_on_public_pages(live_server, page, screenshot):
    build_corpus()
    found = {}
    pages = PUBLIC_PAGES
    for name, path in pages.items():
        found.update(check(page, f"{live_server.url}{path}", name, screenshot))
    record("public" if pages is PUBLIC_PAGES else "admin", found)
    assert found == {}, json.dumps(found, indent=1)


def swagger_rendered(page) -> None:
    """Swagger UI builds /api/docs/ in the browser: check its operations, not its "loading" state."""
    page.wait_for_selector(".opblock")


def swagger_opened(page) -> None:
    """/api/docs/ with the item list's operation open (parameters, a choice list, examples); the schemas are
    listed open by default."""
    swagger_rendered(page)
    page.click("#operations-v1-v1_items_list .opblock-summary-control")
    page.wait_for_selector("#operations-v1-v1_items_list tr[data-param-name]")
    page.wait_for_selector(".models .model-container")


def swagger_authorize_dialog(page) -> None:
    """/api/docs/ with the Authorize dialog open (token and session credentials)."""
    swagger_rendered(page)
    page.click(".btn.authorize")
    page.wait_for_selector(".modal-ux .auth-container")


def test_axe_finds_no_violation_on_admin_item_pages(live_server, page, screenshot):
    corpus = build_corpus()
    user = factories.UserFactory(username="reviewer", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    item = corpus.items["ATA-T-01"]
    pages = {
        "admin-item-list": "/admin/tracker/item/",
        "admin-item-change": f"/admin/tracker/item/{item.pk}/change/",
        "admin-item-history": f"/admin/tracker/item/{item.pk}/history/",
        "api-browsable": "/api/v1/items/",
        "api-root": "/api/v1/",
        "api-docs": "/api/docs/",
    }
    prepare = {"api-docs": swagger_rendered}
    found = {}
    for name, path in pages.items():
        found.update(check(page, f"{live_server.url}{path}", name, screenshot, prepare.get(name)))
    docs = f"{live_server.url}/api/docs/"
    found.update(check(page, docs, "api-docs-opened", screenshot, swagger_opened))
    found.update(check(page, docs, "api-docs-authorize", screenshot, swagger_authorize_dialog))
    record("public" if pages is PUBLIC_PAGES else "admin", found)
    assert found == {}, json.dumps(found, indent=1)
