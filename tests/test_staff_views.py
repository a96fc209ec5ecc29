"""Staff pages through the test client: intake, workbench endpoints, evidence; permissions and query counts."""

import json
import re
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.pdf_files import make_pdf
from tracker.enums import ReviewState, Status
from tracker.models import Document, Item, ItemLink, SourceFile, StatusUpdate

pytestmark = pytest.mark.django_db

UPLOAD = reverse("staff:intake-upload")
TEXT = (
    "NATO Summit statement on the Western Balkans\n\n"
    "NATO pledged to keep its peacekeepers in Kosovo to deter any clashes.\n\n"
    "The European Union will continue to support the dialogue between Belgrade and Pristina.\n"
)
META = {
    "title": "Summit statement",
    "slug": "summit-2026",
    "reference_prefix": "SUM-2026",
    "kind": "statement",
    "publisher": "NATO",
    "published": "2026-07",
    "language": "en",
}


@pytest.fixture
def reviewer(client, staff_user):
    client.force_login(staff_user)
    return client


def upload(client, name, data):
    response = client.post(UPLOAD, {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def test_intake_needs_sign_in_and_the_add_document_permission(client):
    assert client.get(UPLOAD)["Location"].startswith(reverse("admin:login"))
    user = factories.UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="change_item"))
    client.force_login(user)
    assert client.get(UPLOAD).status_code == 403


def test_intake_text_preview_then_confirm(reviewer):
    review = upload(reviewer, "statement.txt", TEXT.encode())
    assert not Document.objects.exists()

    preview = reviewer.post(review, {**META, "action": "preview"})

    html = preview.content.decode()
    assert "summit-2026: new document, 2 item(s) created" in html
    assert html.count("<mark") == 2 and "Confirm and import" in html
    assert not Document.objects.exists()  # the preview is rolled back

    done = reviewer.post(review, {**META, "action": "confirm"})

    document = Document.objects.get(slug="summit-2026")
    assert "summit-2026: new document, 2 item(s) created" in done.content.decode()
    assert document.text == TEXT and document.items.count() == 2
    assert bytes(document.source.content) == TEXT.encode()
    assert reviewer.get(review).status_code == 404  # the upload is gone once imported


def test_intake_cancel_writes_nothing(reviewer):
    review = upload(reviewer, "statement.txt", TEXT.encode())

    response = reviewer.post(review, {"action": "cancel"}, follow=True)

    assert "nothing was written" in response.content.decode()
    assert not Document.objects.exists() and not SourceFile.objects.exists()
    assert reviewer.get(review).status_code == 404


def test_intake_metadata_prefilled_from_an_html_page(reviewer):
    html = (
        '<!doctype html><html lang="en"><head><title>Pledge</title><meta name="author" content="Jane Doe">'
        '<meta property="article:published_time" content="2024-05-02"></head><body><nav>Home News</nav>'
        "<article><p>NATO pledged to keep its peacekeepers in Kosovo to deter any clashes, the spokesperson said.</p>"
        "</article></body></html>"
    )
    review = upload(reviewer, "page.htm", html.encode())

    form = reviewer.get(review).context["form"]

    assert (form["title"].value(), form["author"].value(), form["published"].value()) == (
        "Pledge",
        "Jane Doe",
        "2024-05-02",
    )
    assert form["slug"].value() == "pledge"


def test_intake_errors_per_field_and_file(reviewer):
    response = reviewer.post(UPLOAD, {"file": SimpleUploadedFile("scan.pdf", make_pdf([["x"]], text_layer=False))})
    assert "this PDF has no text layer" in response.content.decode()

    review = upload(reviewer, "statement.txt", TEXT.encode())
    response = reviewer.post(review, {**META, "slug": "Bad Slug", "published": "2026-13", "action": "preview"})
    errors = response.context["form"].errors
    assert errors["slug"] == ["must be lowercase letters, digits and single hyphens: 'Bad Slug'"]
    assert not Document.objects.exists()


def test_intake_refuses_a_slug_of_another_file_unless_replace(reviewer):
    reviewer.post(upload(reviewer, "statement.txt", TEXT.encode()), {**META, "action": "confirm"})
    review = upload(reviewer, "other.txt", TEXT.replace("any clashes", "all clashes").encode())

    response = reviewer.post(review, {**META, "action": "preview"})
    assert "already belongs to the document imported from &#x27;statement.txt&#x27;" in response.content.decode()

    response = reviewer.post(review, {**META, "replace": "on", "action": "confirm"})
    assert "1 re-anchored" in response.content.decode()
    assert Document.objects.get().source_file == "other.txt"


def post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_workbench_endpoints_change_items_through_the_services(reviewer, corpus):
    text = corpus.strategy.text
    start = text.index("independent judicial councils")

    created = post_json(
        reviewer,
        reverse("staff:api-create-item", kwargs={"slug": corpus.strategy.slug}),
        {"start": start, "end": start + 29},
    )

    assert created.status_code == 201
    item = Item.objects.get(pk=created.json()["item"])
    assert item.citations.get().quote == "independent judicial councils"
    review = post_json(reviewer, reverse("staff:api-review-item", kwargs={"pk": item.pk}), {"state": "rejected"})
    assert review.status_code == 200
    item.refresh_from_db()
    assert item.review_state == ReviewState.REJECTED
    bad = post_json(reviewer, reverse("staff:api-create-item", kwargs={"slug": corpus.strategy.slug}), {"start": "x"})
    assert bad.status_code == 400 and bad.json() == {"errors": {"start": ["start must be an integer offset."]}}
    refused = post_json(reviewer, reverse("staff:api-set-relations", kwargs={"pk": item.pk}), {"themes": ["nope"]})
    assert refused.json() == {"errors": {"themes": ["Unknown theme slug(s): nope."]}}


def test_workbench_page_query_count_does_not_grow_with_items(reviewer, corpus):
    url = reverse("staff:workbench", kwargs={"slug": corpus.strategy.slug})
    reviewer.get(url)
    with CaptureQueriesContext(connection) as few:
        response = reviewer.get(url)
    assert response.status_code == 200
    text = corpus.strategy.text
    for quote in ("The governments of the region", "judicial councils", "Serbia commits", "region should"):
        factories.CitationFactory(
            item=factories.ItemFactory(document=corpus.strategy, text=quote),
            document=corpus.strategy,
            start=text.index(quote),
            end=text.index(quote) + len(quote),
        )
    with CaptureQueriesContext(connection) as many:
        reviewer.get(url)
    assert len(many) == len(few)
    # The text in the page is the document's text, character for character (offsets come from it).
    body = response.content.decode()
    inner = re.search(r'id="source-text">(.*?)</div>\s*<aside', body, re.S).group(1)
    import html as html_module

    assert html_module.unescape(re.sub(r"<[^>]+>", "", inner)) == text


def test_autocomplete_finds_actors_by_name(reviewer, corpus):
    response = reviewer.get(reverse("staff:api-autocomplete", kwargs={"kind": "actors"}), {"q": "euro"})
    assert response.json() == {"results": [{"slug": "european-union", "name": "European Union"}]}


@pytest.fixture
def bundled(db):
    call_command("import_corpus", stdout=StringIO())


def test_evidence_page_ranks_the_kfor_passage_first_and_records_it(bundled, reviewer):
    item = Item.objects.get(text__contains="16,000 peacekeepers")
    url = reverse("staff:evidence", kwargs={"pk": item.pk})

    response = reviewer.get(url)

    passages = response.context["passages"]
    assert passages[0].quote.startswith("NATO continues to lead the Kosovo Force (KFOR)")
    assert passages[0].document.slug == "cignews-2025-rutte-kosovo"
    top = passages[0]
    reviewer.post(
        reverse("staff:evidence-status", kwargs={"pk": item.pk}),
        {
            "document": top.document.pk,
            "start": top.start,
            "end": top.end,
            "status": "partially_implemented",
            "assessed_on": "2025-03-11",
            "note": "4,700, not 16,000",
        },
    )
    update = StatusUpdate.objects.get(item=item)
    assert (update.evidence_quote, update.status, update.assessed_on.isoformat()) == (
        top.quote,
        Status.PARTIALLY_IMPLEMENTED,
        "2025-03-11",
    )
    item.refresh_from_db()
    assert item.status == Status.PARTIALLY_IMPLEMENTED


def test_evidence_link_suggestions_and_one_click_link(bundled, reviewer):
    item = Item.objects.get(text__contains="United Nations-mediated talks")
    response = reviewer.get(reverse("staff:evidence", kwargs={"pk": item.pk}))
    suggestion = response.context["links"][0]
    assert suggestion.item.document != item.document

    reviewer.post(
        reverse("staff:evidence-link", kwargs={"pk": item.pk}), {"other": suggestion.item.pk, "kind": "follows_up"}
    )

    assert ItemLink.objects.filter(source=suggestion.item, target=item, kind="follows_up").exists()
    after = reviewer.get(reverse("staff:evidence", kwargs={"pk": item.pk})).context["links"]
    assert suggestion.item.pk not in [s.item.pk for s in after]  # linked items are no longer suggested


def test_admin_index_links_to_the_staff_pages(reviewer):
    html = reviewer.get(reverse("admin:index")).content.decode()
    assert f'href="{UPLOAD}"' in html
    assert f'href="{reverse("staff:next-needing-review")}"' in html
