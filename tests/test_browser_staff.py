"""End-to-end in headless Chromium: the review workbench and the intake page, as a reviewer uses them."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from tests import factories
from tests.browser_conftest import build_corpus
from tracker.enums import ReviewState
from tracker.models import Citation, Document, Item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SELECT_JS = """([quote, collapsed]) => {
  const source = document.getElementById("source-text");
  const full = source.textContent;
  const at = full.indexOf(quote);
  if (at < 0) throw new Error("quote not on the page: " + quote);
  const walker = document.createTreeWalker(source, NodeFilter.SHOW_TEXT);
  let total = 0, node, start = null, end = null;
  const stop = collapsed ? at : at + quote.length;
  while ((node = walker.nextNode())) {
    const next = total + node.data.length;
    if (start === null && at < next) start = [node, at - total];
    if (end === null && stop <= next) { end = [node, stop - total]; break; }
    total = next;
  }
  const range = document.createRange();
  range.setStart(...start);
  range.setEnd(...end);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  return selection.toString();
}"""


def sign_in(page, live_server):
    user = factories.UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="tracker"))
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return user


def select(page, quote: str, *, collapsed: bool = False) -> str:
    return page.evaluate(SELECT_JS, [quote, collapsed])


def open_workbench(page, live_server, item=None):
    url = f"{live_server.url}/staff/documents/ata-test-strategy/workbench/"
    page.goto(url + (f"?item={item.pk}" if item else ""))


def press(page, key: str):
    with page.expect_navigation():
        page.keyboard.press(key)


def test_browser_select_a_span_and_create_an_item(live_server, page, screenshot):
    build_corpus()
    sign_in(page, live_server)
    open_workbench(page, live_server)
    messages = []
    page.on("console", lambda message: messages.append(message.text))

    selected = select(page, "establish independent judicial councils")
    press(page, "c")

    item = Item.objects.get(citations_curated=True)
    assert item.citations.get().quote == selected == "establish independent judicial councils"
    assert page.url.endswith(f"?item={item.pk}")
    assert page.locator("#selected-item h2").inner_text().startswith(item.reference)
    assert "".join(page.locator(".workbench__mark--selected").all_inner_texts()) == selected
    assert [m for m in messages if "Content Security Policy" in m or "Refused" in m] == []
    screenshot(page, "workbench-created")


def test_browser_move_a_citation(live_server, page):
    corpus = build_corpus()
    sign_in(page, live_server)
    item = corpus.items["ATA-T-02"]
    open_workbench(page, live_server, item)

    selected = select(page, "exchange border surveillance data in real time")
    press(page, "m")

    citation = Citation.objects.get(item=item)
    assert citation.quote == selected
    assert citation.document.text[citation.start : citation.end] == selected


def test_browser_split_an_item_at_the_cursor(live_server, page):
    corpus = build_corpus()
    sign_in(page, live_server)
    item = corpus.items["ATA-T-04"]
    open_workbench(page, live_server, item)

    select(page, "establish independent", collapsed=True)
    press(page, "s")

    item.refresh_from_db()
    assert item.citations.get().quote == "The governments of the region should"
    new = Item.objects.get(citations__quote="establish independent judicial councils.")
    assert page.url.endswith(f"?item={new.pk}")
    assert list(new.themes.values_list("slug", flat=True)) == ["independent-justice"]


def test_browser_merge_two_items(live_server, page, screenshot):
    corpus = build_corpus()
    sign_in(page, live_server)
    item, other = corpus.items["ATA-T-02"], corpus.items["ATA-T-04"]
    open_workbench(page, live_server, item)

    page.locator("#merge-other").select_option(str(other.pk))
    with page.expect_navigation():
        page.get_by_role("button", name="Merge", exact=True).click()

    assert not Item.objects.filter(pk=other.pk).exists()
    assert [c.quote for c in Citation.objects.filter(item=item).order_by("position")] == [
        "The governments of the region must exchange border surveillance data in real time.",
        "The governments of the region should establish independent judicial councils.",
    ]
    screenshot(page, "workbench-merged")


def test_browser_accept_with_the_keyboard_then_next_needing_review(live_server, page):
    corpus = build_corpus()
    sign_in(page, live_server)
    Item.objects.update(review_state=ReviewState.NEEDS_REVIEW)
    first, following = corpus.items["ATA-T-01"], corpus.items["ATA-T-02"]
    open_workbench(page, live_server, first)

    press(page, "a")

    first.refresh_from_db()
    assert first.review_state == ReviewState.CONFIRMED
    assert page.url.endswith(f"?item={following.pk}")
    press(page, "r")
    following.refresh_from_db()
    assert following.review_state == ReviewState.REJECTED


def test_browser_edit_actors_with_autocomplete(live_server, page):
    corpus = build_corpus()
    sign_in(page, live_server)
    item = corpus.items["ATA-T-04"]
    open_workbench(page, live_server, item)

    page.get_by_role("button", name="Remove Atlantic Treaty Association").click()
    field = page.get_by_label("Add an actor who made it")
    field.press_sequentially("Europ")
    page.wait_for_function("document.querySelectorAll('#list-made_by option').length > 0")
    assert page.locator("#list-made_by option").evaluate_all("os => os.map(o => o.value)") == ["European Union"]
    field.fill("European Union")
    field.dispatch_event("input")
    with page.expect_navigation():
        page.get_by_role("button", name="Save actors and themes").click()

    assert list(item.made_by.values_list("slug", flat=True)) == ["european-union"]


# --- Intake -----------------------------------------------------------------------------------------------

STATEMENT = (
    "NATO pledged to keep its peacekeepers in Kosovo to deter any clashes. "
    "The European Union will continue to support the dialogue between Belgrade and Pristina."
)


def fill_metadata(page, slug: str, prefix: str):
    page.get_by_label("Title").fill(f"Test {slug}")
    page.get_by_label("Slug").fill(slug)
    page.get_by_label("Reference prefix").fill(prefix)
    page.get_by_label("Kind").select_option("statement")
    page.get_by_label("Published").fill("2026-07")


def upload_file(page, live_server, path):
    page.goto(f"{live_server.url}/staff/documents/add/")
    page.get_by_label("File").set_input_files(str(path))
    with page.expect_navigation():
        page.get_by_role("button", name="Read the file").click()


def preview_and_confirm(page, screenshot, name):
    with page.expect_navigation():
        page.get_by_role("button", name="Preview").click()
    assert page.locator(".intake-text mark").count() >= 2
    assert re.search(r"new document, [2-9] item\(s\) created", page.locator("#preview-report").inner_text())
    screenshot(page, f"intake-preview-{name}")
    assert not Document.objects.exists()
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm and import").click()
    assert "item(s) created" in page.locator("#import-report").inner_text()


def test_browser_intake_txt_preview_confirm(live_server, page, screenshot, tmp_path):
    sign_in(page, live_server)
    path = tmp_path / "statement.txt"
    path.write_text(STATEMENT + "\n", encoding="utf-8")
    upload_file(page, live_server, path)
    fill_metadata(page, "txt-statement", "TXT")

    preview_and_confirm(page, screenshot, "txt")

    document = Document.objects.get(slug="txt-statement")
    assert document.text == STATEMENT + "\n" and document.source.media_type == "text/plain"


def test_browser_intake_html_prefilled_preview_confirm(live_server, page, screenshot, tmp_path):
    sign_in(page, live_server)
    path = tmp_path / "page.html"
    path.write_text(
        '<!doctype html><html lang="en"><head><title>Summit pledge</title>'
        '<meta property="article:published_time" content="2026-07-08"></head><body>'
        '<nav><a href="/">Home</a> <a href="/about">About us</a></nav>'
        '<div id="cookie-notice">This website uses cookies.</div>'
        f"<article><h1>Summit pledge</h1><p>{STATEMENT}</p></article></body></html>",
        encoding="utf-8",
    )
    upload_file(page, live_server, path)
    assert page.get_by_label("Title").input_value() == "Summit pledge"
    assert page.get_by_label("Published").input_value() == "2026-07-08"
    page.get_by_label("Reference prefix").fill("HTML")
    page.get_by_label("Kind").select_option("statement")

    preview_and_confirm(page, screenshot, "html")

    document = Document.objects.get(slug="summit-pledge")
    assert "About us" not in document.text and "cookies" not in document.text
    assert document.source.media_type == "text/html"


def test_browser_intake_pdf_printed_by_chromium(live_server, page, screenshot, tmp_path, browser):
    # The PDF is printed from known text by Chromium itself (print-to-PDF), one paragraph a page.
    printer = browser.new_page()
    printer.set_content(
        "<html><head><title>Printed statement</title></head><body>"
        f"<p>{STATEMENT.split('. ')[0]}.</p><p style='break-before: page'>{STATEMENT.split('. ')[1]}</p></body></html>"
    )
    path = tmp_path / "statement.pdf"
    path.write_bytes(printer.pdf(format="A4"))
    printer.close()
    sign_in(page, live_server)
    upload_file(page, live_server, path)
    assert "application/pdf" in page.locator(".intake-source").inner_text()
    assert "2 page(s)" in page.locator(".intake-source").inner_text()
    fill_metadata(page, "pdf-statement", "PDF")

    preview_and_confirm(page, screenshot, "pdf")

    document = Document.objects.get(slug="pdf-statement")
    assert document.source.media_type == "application/pdf" and len(document.source.page_starts) == 2
    citation = Citation.objects.get(document=document, quote__contains="European Union")
    assert document.source.page_at(citation.start) == 2
    assert document.text[citation.start : citation.end] == citation.quote
    page.goto(f"{live_server.url}/staff/documents/pdf-statement/workbench/?item={citation.item_id}")
    assert ", p. 2" in page.locator(".workbench__citations").inner_text()


def test_browser_intake_cancel_writes_nothing(live_server, page, tmp_path):
    sign_in(page, live_server)
    path = tmp_path / "statement.txt"
    path.write_text(STATEMENT + "\n", encoding="utf-8")
    upload_file(page, live_server, path)
    fill_metadata(page, "cancelled", "CAN")
    with page.expect_navigation():
        page.get_by_role("button", name="Preview").click()

    with page.expect_navigation():
        page.get_by_role("button", name="Cancel").click()

    assert "nothing was written" in page.locator(".staff-messages").inner_text()
    assert not Document.objects.exists()
