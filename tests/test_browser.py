"""End-to-end: the public pages in headless Chromium against a live server, with a screenshot of each page
in test-artifacts/screenshots/ for a person to look at."""

import re

import pytest

from tests.browser_conftest import build_corpus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def references(page, selector: str = "#results") -> list[str]:
    return page.locator(f"{selector} .item-row").evaluate_all("rows => rows.map(r => r.dataset.reference)")


def test_browser_list_filtered_by_actor_and_theme_then_item_then_reading_view(live_server, page, screenshot):
    corpus = build_corpus()
    page.goto(f"{live_server.url}/items/")
    assert references(page) == ["ATA-T-01", "ATA-T-02", "ATA-T-03", "ATA-T-04", "ATA-T-05", "NATO-T-01"]
    screenshot(page, "item-list")

    page.locator("#id_actor").select_option("nato")
    page.get_by_role("radio", name="Addressed to", exact=True).check()
    page.get_by_role("checkbox", name=re.compile(r"^Border Security Management")).check()
    page.get_by_role("button", name="Apply filters").last.click()
    page.wait_for_load_state()
    # Empty fields stay out of the shared URL (filters.js).
    assert page.url == f"{live_server.url}/items/?addressed_to=nato&theme=border-security"
    assert references(page) == ["ATA-T-01", "ATA-T-05", "NATO-T-01"]
    assert page.locator("#results-heading").inner_text() == "3 items"
    assert page.get_by_role("link", name="Download CSV").get_attribute("href") == (
        "/api/v1/items/export.csv?addressed_to=nato&theme=border-security"
    )
    assert page.get_by_role("link", name="Atom feed of status updates").first.get_attribute("href") == (
        "/items/feed/?addressed_to=nato&theme=border-security"
    )
    screenshot(page, "item-list-filtered")

    page.get_by_role("link", name="Joint border monitoring between Serbia and Kosovo").click()
    assert page.url == f"{live_server.url}/items/ATA-T-01/"
    assert page.locator("h1").inner_text() == "Joint border monitoring between Serbia and Kosovo"
    citation = corpus.citations["ATA-T-01"]
    assert page.locator(".passage mark").all_inner_texts() == [citation.quote]
    screenshot(page, "item-detail")

    page.get_by_role("link", name=re.compile("Read this passage")).click()
    assert page.url == f"{live_server.url}/documents/ata-test-strategy/#c{citation.id}"
    marked = page.locator(f'mark[data-citations~="{citation.id}"]').all_inner_texts()
    assert "".join(marked) == citation.quote
    # The overlapping proposal (ATA-T-05) splits ATA-T-01's quote into three marks, the middle one doubly cited.
    assert len(marked) == 3
    assert page.locator(f"#c{citation.id}").inner_text() == "ATA-T-01"
    assert page.evaluate("location.hash") == f"#c{citation.id}"
    assert page.locator(".boilerplate__label").all_text_contents() == [
        "Cookie notice — not part of the document",
        "Share buttons — not part of the document",
    ]
    screenshot(page, "document-reading-view")


def test_browser_dashboard_chart_numbers(live_server, page, screenshot):
    build_corpus()
    page.goto(f"{live_server.url}/")
    border = page.locator('.bar-row[data-theme="border-security"]')
    assert border.get_attribute("data-total") == "5"
    assert border.locator(".bar-row__total").inner_text() == "5"
    segments = border.locator("rect.bar-segment").evaluate_all(
        "rects => rects.map(r => [r.dataset.status, r.dataset.count, Math.round(r.getBoundingClientRect().width)])"
    )
    assert [(status, count) for status, count, _ in segments] == [
        ("implemented", "1"),
        ("in_progress", "2"),
        ("stalled", "1"),
        ("unknown", "1"),
    ]
    widths = [width for _, _, width in segments]
    assert widths[1] == pytest.approx(2 * widths[0], abs=2)  # drawn to scale
    assert page.locator('.bar-row[data-theme="rule-of-law"] .bar-row__total').inner_text() == "1"
    assert page.locator('.card[data-kind="recommendation"] .card__number').inner_text() == "3"
    assert page.locator('.card[data-kind="commitment"] .card__number').inner_text() == "2"
    assert page.locator('.card[data-kind="proposal"] .card__number').inner_text() == "1"
    screenshot(page, "dashboard")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "dashboard-phone")


def test_browser_screenshots_of_every_other_page(live_server, page, screenshot):
    build_corpus()
    pages = {
        "documents": "/documents/",
        "actors": "/actors/",
        "actor-detail": "/actors/nato/",
        "themes": "/themes/",
        "theme-detail": "/themes/border-security/",
        "status-scale": "/status/",
        "item-list-bad-filter": "/items/?theme=no-such-theme&date_after=yesterday",
        "not-found": "/items/NO-SUCH-ITEM/",
    }
    headings = {}
    for name, path in pages.items():
        page.goto(f"{live_server.url}{path}")
        headings[name] = page.locator("h1").inner_text()
        screenshot(page, name)
    assert headings == {
        "documents": "Documents",
        "actors": "Actors",
        "actor-detail": "NATO",
        "themes": "Themes",
        "theme-detail": "4.3 Border Security Management",
        "status-scale": "Status scale",
        "item-list-bad-filter": "Recommendations and commitments",
        "not-found": "Not found",
    }
    page.set_viewport_size({"width": 390, "height": 844})
    for name, path in (
        ("item-list-phone", "/items/"),
        ("document-reading-view-phone", "/documents/ata-test-strategy/"),
    ):
        page.goto(f"{live_server.url}{path}")
        screenshot(page, name)


def test_browser_pages_raise_no_csp_violation(live_server, page):
    build_corpus()
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    for path in ("/", "/items/", "/items/ATA-T-01/", "/documents/ata-test-strategy/"):
        page.goto(f"{live_server.url}{path}")
    assert [m for m in messages if "Content Security Policy" in m or "Refused" in m] == []
    # The stylesheet loaded (CSP allows 'self'): the skip link is moved off screen by it.
    page.goto(f"{live_server.url}/")
    assert page.locator(".skip-link").bounding_box()["y"] < 0


def test_browser_chips_remove_one_filter_at_a_time(live_server, page, screenshot):
    build_corpus()
    page.goto(f"{live_server.url}/items/?addressed_to=nato&theme=border-security&kind=commitment")
    assert page.locator("#filter-summary").inner_text() == (
        "1 commitment addressed to NATO on Border Security Management."
    )
    assert page.locator(".active-filters li > span").all_inner_texts() == [
        "Addressed to: NATO",
        "Theme: Border Security Management",
        "Kind: Commitment",
    ]
    screenshot(page, "item-list-chips")
    page.get_by_role("link", name="Remove filter Kind: Commitment").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/items/?addressed_to=nato&theme=border-security"
    assert references(page) == ["ATA-T-01", "ATA-T-05", "NATO-T-01"]
    assert page.locator("#filters-heading").inner_text() == "Filters (2)"


def test_browser_as_of_banner_on_the_list_and_the_item_page(live_server, page, screenshot):
    build_corpus()
    page.goto(f"{live_server.url}/items/?as_of=2010-01-01&theme=border-monitoring")
    banner = page.locator(".results .as-of-banner")
    assert banner.inner_text().startswith("Statuses as of 1 January 2010")
    assert banner.is_visible()
    row = page.locator('.item-row[data-reference="ATA-T-01"]')
    assert row.locator(".status").inner_text() == "Not started"
    screenshot(page, "item-list-as-of")
    row.get_by_role("link", name="Joint border monitoring between Serbia and Kosovo").click()
    assert page.url == f"{live_server.url}/items/ATA-T-01/?as_of=2010-01-01"
    assert page.locator(".as-of-banner").inner_text().startswith("Status as of 1 January 2010: Not started")
    assert "Current status\nIn progress" in page.locator("dl.facts").inner_text()
    screenshot(page, "item-detail-as-of")


def test_browser_phone_filters_fold_so_results_are_on_the_first_screen(live_server, page, screenshot):
    build_corpus()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/items/?theme=border-security&status=in_progress")
    panel = page.locator("#filters-panel")
    assert panel.evaluate("el => el.open") is False
    assert page.locator("#filters-heading").inner_text() == "Filters (2)"
    first_result = page.locator("#results .item-row").first.bounding_box()
    assert first_result["y"] < 844  # on the first screen
    screenshot(page, "item-list-phone-folded")
    page.locator(".filters-panel__toggle").click()
    assert page.get_by_label("Text search").is_visible()
    screenshot(page, "item-list-phone-open")
    # At desktop width the panel stays open.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/items/")
    assert page.locator("#filters-panel").evaluate("el => el.open") is True


def test_browser_skip_links_visible_on_focus_at_every_width(live_server, page):
    build_corpus()
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/items/")
        page.keyboard.press("Tab")
        skip = page.locator(".skip-link")
        assert skip.evaluate("el => el === document.activeElement")
        box = skip.bounding_box()
        assert box["y"] >= 0 and box["width"] > 20
        page.keyboard.press("Tab")  # the site name, then the main navigation's six links
        for _ in range(7):
            page.keyboard.press("Tab")
        jump = page.get_by_role("link", name="Skip the filters to the results")
        assert jump.evaluate("el => el === document.activeElement"), width
        box = jump.bounding_box()
        assert box["x"] >= 0 and box["y"] >= 0 and box["width"] > 20, width
        jump.press("Enter")
        assert page.evaluate("location.hash") == "#results-heading"


def test_browser_admin_item_pages_fit_1280_px(live_server, page, screenshot):
    from django.test import Client

    from tests import factories

    corpus = build_corpus()
    user = factories.UserFactory(username="fit", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    item = corpus.items["ATA-T-01"]
    for name, path in (
        ("admin-item-list", "/admin/tracker/item/"),
        ("admin-item-change", f"/admin/tracker/item/{item.pk}/change/"),
    ):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1280, (name, width)
        screenshot(page, f"{name}-1280")
    page.goto(f"{live_server.url}/admin/tracker/item/{item.pk}/change/")
    title = page.locator("#id_title").bounding_box()
    row = page.locator(".form-row.field-title").bounding_box()
    assert title["width"] > 0.6 * row["width"]


def test_browser_record_status_update_date_field_has_its_calendar(live_server, page, screenshot):
    """The bulk action's page loads the admin's translation catalogue, so the date field gets its "Today"
    shortcut and calendar (DateTimeShortcuts.js needs gettext) and the page raises no script error."""
    from django.test import Client
    from django.utils import timezone

    from tests import factories

    build_corpus()
    user = factories.UserFactory(username="recorder", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/admin/tracker/item/")
    page.check("input.action-select >> nth=0")
    page.select_option("select[name=action]", "record_status_update")
    page.click("button[name=index]")
    page.wait_for_selector("#id_assessed_on")
    page.click(".field-assessed_on .datetimeshortcuts a:has-text('Today')")
    assert page.input_value("#id_assessed_on") == timezone.localdate().isoformat()
    icon = page.locator(".field-assessed_on .date-icon").bounding_box()  # drawn by the admin's widgets.css
    assert icon is not None and icon["width"] >= 12, icon
    screenshot(page, "admin-record-status-update")
    assert errors == []
    from tests.test_accessibility import axe_violations

    assert axe_violations(page) == []
