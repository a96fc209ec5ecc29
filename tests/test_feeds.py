import re
from datetime import date

import pytest

from tracker.enums import Status
from tracker.services import record_status_update

pytestmark = pytest.mark.django_db


def entry_titles(response) -> list[str]:
    xml = response.content.decode()
    return re.findall(r"<entry><title>([^<]*)</title>", xml)


def test_feed_of_every_item_lists_status_updates_newest_first(client, corpus):
    response = client.get("/items/feed/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert entry_titles(response) == [
        "NATO-T-01: In progress (2020-02-01)",
        "ATA-T-03: Stalled (2010-09-01)",
        "ATA-T-02: Implemented (2015-03-01)",
        "ATA-T-01: In progress (2012-05-01)",
        "ATA-T-01: Not started (2008-01-15)",
    ]


def test_feed_follows_the_list_filter(client, corpus):
    response = client.get("/items/feed/?addressed_to=nato&theme=border-security")
    assert entry_titles(response) == [
        "NATO-T-01: In progress (2020-02-01)",
        "ATA-T-01: In progress (2012-05-01)",
        "ATA-T-01: Not started (2008-01-15)",
    ]
    xml = response.content.decode()
    assert "<title>Status updates: items where addressed_to=nato&amp;theme=border-security</title>" in xml
    assert 'href="http://testserver/items/?addressed_to=nato&amp;theme=border-security"' in xml
    update = corpus.items["NATO-T-01"].status_updates.get()
    assert f'<link href="http://testserver/items/NATO-T-01/#update-{update.pk}" rel="alternate"' in xml


def test_feed_hears_a_new_status_update(client, corpus):
    record_status_update(
        item=corpus.items["ATA-T-05"],
        status=Status.IMPLEMENTED,
        assessed_on=date(2024, 5, 1),
        note="Monitoring <live>.",
    )
    response = client.get("/items/feed/?addressed_to=nato&theme=border-security")
    assert entry_titles(response)[0] == "ATA-T-05: Implemented (2024-05-01)"
    xml = response.content.decode()
    # The summary is escaped text, never markup.
    assert (
        "Support for joint border monitoring — now Implemented (assessed 1 May 2024). Monitoring &amp;lt;live&amp;gt;."
        in xml
    )


def test_feed_with_a_bad_filter_is_a_400_with_the_reason(client, corpus):
    response = client.get("/items/feed/?theme=no-such-theme")
    assert response.status_code == 400
    assert response.content.decode() == "Bad filter: theme: Unknown theme id or slug: “no-such-theme”."
