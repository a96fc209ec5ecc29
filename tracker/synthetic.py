"""A synthetic data set for benchmarks: many items with actors, themes, citations and status histories.

Fast by design, so it bypasses the ORM for the big tables:
- documents (with sections) and ~300 actors are created with bulk_create; themes are the taxonomy;
- items, their actor/theme join rows, citations and status updates are written as raw rows, with
  PostgreSQL's COPY (psycopg 3) or executemany elsewhere, in batches, with ids allocated up front;
- django-simple-history is bypassed (no historical rows: this is benchmark data, not edits), and so
  are model save() and full_clean; the rows still satisfy every database constraint, each citation
  quotes its document exactly, and each item's status is its latest update's;
- on PostgreSQL the search_vector trigger fills the full-text column as rows arrive, and the tables
  are ANALYZEd at the end so the planner knows their sizes.
Everything is reproducible from the seed. References are "SYN-<item id>", so runs add to each other.
"""

import hashlib
import random
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone

from tracker import counts
from tracker.enums import (
    ActorKind,
    DatePrecision,
    DocumentKind,
    ItemKind,
    ReviewState,
    Status,
    Strength,
)
from tracker.models import Actor, Citation, Document, Item, Section, StatusUpdate, Theme

TOPIC_WORDS = [
    "trade",
    "border",
    "police",
    "energy",
    "corruption",
    "roma",
    "refugees",
    "media",
    "minorities",
    "defence",
    "army",
    "reform",
    "judiciary",
    "elections",
    "parliament",
    "customs",
    "visa",
    "investment",
    "railway",
    "pipeline",
    "tourism",
    "education",
    "youth",
    "cooperation",
    "reconciliation",
    "security",
    "intelligence",
    "terrorism",
    "trafficking",
    "smuggling",
    "water",
    "environment",
    "agriculture",
    "banking",
    "privatisation",
    "decentralisation",
    "kosovo",
    "serbia",
    "albania",
    "croatia",
    "bosnia",
    "montenegro",
    "macedonia",
    "bulgaria",
    "romania",
    "greece",
    "nato",
    "union",
    "council",
    "secretariat",
    "summit",
]
FILLER_WORDS = [
    "the",
    "countries",
    "of",
    "region",
    "should",
    "must",
    "could",
    "establish",
    "support",
    "strengthen",
    "develop",
    "implement",
    "national",
    "regional",
    "joint",
    "common",
    "framework",
    "programme",
    "agency",
    "centre",
    "initiative",
    "network",
    "dialogue",
    "measures",
    "standards",
    "capacity",
    "institutions",
    "authorities",
    "with",
    "among",
    "between",
    "for",
    "and",
    "in",
    "on",
    "by",
]
ACTOR_PREFIXES = ("Ministry of", "Office for", "Council of", "Agency for", "Forum on", "Committee on")
DOCUMENT_COUNT = 24
SECTIONS_PER_DOCUMENT = 6


@dataclass
class SyntheticSummary:
    items: int = 0
    actors: int = 0
    documents: int = 0
    citations: int = 0
    status_updates: int = 0
    join_rows: int = 0


def generate(*, items: int, actors: int = 300, seed: int = 1, batch_size: int = 10_000, progress=None):
    """Add `items` synthetic items (and the actors and documents they need). Returns a SyntheticSummary."""
    rng = random.Random(seed)
    summary = SyntheticSummary()
    with transaction.atomic():
        actor_ids = _ensure_actors(actors, summary)
        # Its own generator: whether documents exist already must not change the items drawn next.
        documents = _ensure_documents(random.Random(f"{seed}-documents"), summary)
        theme_ids = list(Theme.objects.values_list("id", flat=True))
    # Popular actors and themes get many more items (a Zipf-like skew), as in the real data.
    actor_weights = [1 / (rank + 1) for rank in range(len(actor_ids))]
    theme_weights = [1 / (rank + 1) ** 0.5 for rank in range(len(theme_ids))]
    next_item_id = (Item.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    now = timezone.now()
    with _counts_deferred():
        done = 0
        while done < items:
            count = min(batch_size, items - done)
            with transaction.atomic():
                _write_batch(
                    rng, range(next_item_id, next_item_id + count), documents, actor_ids, actor_weights,
                    theme_ids, theme_weights, now, summary,
                )  # fmt: skip
            next_item_id += count
            done += count
            summary.items = done
            if progress:
                progress(done)
        _finish(next_item_id)
    return summary


@contextmanager
def _counts_deferred():
    """PostgreSQL: the ItemCount triggers stand aside during the load, and the counts are rebuilt once after it
    (a per-statement update for each of hundreds of batches costs more than one recount)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET tracker.counts_deferred = on")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET tracker.counts_deferred")
            counts.rebuild()


def _ensure_actors(count: int, summary: SyntheticSummary) -> list[int]:
    existing = set(Actor.objects.filter(slug__startswith="syn-actor-").values_list("slug", flat=True))
    new = [
        Actor(
            slug=f"syn-actor-{n:03d}",
            name=f"{ACTOR_PREFIXES[n % len(ACTOR_PREFIXES)]} {TOPIC_WORDS[n % len(TOPIC_WORDS)].title()} {n:03d}",
            kind=ActorKind.GOVERNMENT_BODY,
        )
        for n in range(count)
        if f"syn-actor-{n:03d}" not in existing
    ]
    Actor.objects.bulk_create(new, batch_size=1000)
    summary.actors = len(new)
    return list(
        Actor.objects.filter(slug__startswith="syn-actor-").order_by("slug").values_list("id", flat=True)[:count]
    )


@dataclass
class _Doc:
    id: int
    published: date
    text: str
    sections: list[tuple[int, str]]


def _ensure_documents(rng: random.Random, summary: SyntheticSummary) -> list[_Doc]:
    created = 0
    for n in range(DOCUMENT_COUNT):
        slug = f"syn-document-{n:02d}"
        if Document.objects.filter(slug=slug).exists():
            continue
        text = " ".join(rng.choice(TOPIC_WORDS + FILLER_WORDS) for _ in range(3000)) + "\n"
        published = date(2000 + n % 24, 1 + n % 12, 1)
        document = Document.objects.create(
            slug=slug,
            reference_prefix=f"SYN-D{n:02d}",
            title=f"Synthetic document {n:02d}",
            kind=DocumentKind.REPORT,
            published=published,
            date_precision=DatePrecision.MONTH,
            sha256=hashlib.sha256(text.encode()).hexdigest(),
            text=text,
        )
        step = len(text) // SECTIONS_PER_DOCUMENT
        Section.objects.bulk_create(
            Section(document=document, number=str(s + 1), heading=f"Part {s + 1}", start=s * step, end=(s + 1) * step)
            for s in range(SECTIONS_PER_DOCUMENT)
        )
        created += 1
    summary.documents = created
    documents = []
    for document in Document.objects.filter(slug__startswith="syn-document-").order_by("slug"):
        sections = list(document.sections.order_by("start").values_list("id", "number"))
        documents.append(_Doc(document.pk, document.published, document.text, sections))
    return documents


STATUS_PATH = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.PARTIALLY_IMPLEMENTED, Status.IMPLEMENTED)
KINDS = (ItemKind.RECOMMENDATION,) * 6 + (ItemKind.COMMITMENT,) * 3 + (ItemKind.PROPOSAL,)
STRENGTHS = (Strength.MUST, Strength.SHOULD, Strength.SHOULD, Strength.COULD)
REVIEW_STATES = (ReviewState.CONFIRMED,) * 7 + (ReviewState.NEEDS_REVIEW,) * 2 + (ReviewState.REJECTED,)


def _write_batch(rng, ids, documents, actor_ids, actor_weights, theme_ids, theme_weights, now, summary):
    item_rows, made_rows, addressed_rows, theme_rows, citation_rows, update_rows = [], [], [], [], [], []
    words = TOPIC_WORDS + FILLER_WORDS
    for item_id in ids:
        document = documents[item_id % len(documents)]
        section_id, _number = document.sections[item_id % len(document.sections)]
        topic = rng.choice(TOPIC_WORDS)
        title = f"{topic.title()} {' '.join(rng.choices(words, k=4))}"[:200]
        text = " ".join([*rng.choices(words, k=8), topic, *rng.choices(words, k=8)]).capitalize() + "."
        # History: 0-3 dated assessments along the status path (or stalled); the item shows the latest.
        history = []
        day = date(2008, 1, 1) + timedelta(days=rng.randrange(4000))
        for step in range(rng.choice((0, 1, 1, 2, 2, 3))):
            status = Status.STALLED if rng.random() < 0.1 else STATUS_PATH[min(step, len(STATUS_PATH) - 1)]
            history.append((status, day))
            day += timedelta(days=rng.randrange(30, 700))
        current = history[-1][0] if history else Status.UNKNOWN
        item_rows.append(
            (
                item_id, rng.choice(KINDS), f"SYN-{item_id:08d}", document.id, section_id, "", title, text,
                rng.choice(STRENGTHS), rng.choice(REVIEW_STATES), current, None, document.published, False,
                now, now, "{}",
            )
        )  # fmt: skip
        for actor in set(rng.choices(actor_ids, actor_weights, k=rng.choice((1, 1, 2, 3)))):
            made_rows.append((item_id, actor))
        for actor in set(rng.choices(actor_ids, actor_weights, k=rng.choice((0, 1, 1, 2)))):
            addressed_rows.append((item_id, actor))
        for theme in set(rng.choices(theme_ids, theme_weights, k=rng.choice((1, 1, 2)))):
            theme_rows.append((item_id, theme))
        start = rng.randrange(0, len(document.text) - 200)
        end = start + rng.randrange(40, 160)
        citation_rows.append((item_id, document.id, None, start, end, document.text[start:end], 0))
        for status, assessed_on in history:
            update_rows.append((item_id, status, assessed_on, "Synthetic assessment.", "", None, "", False, None, now))
    _insert(Item, ITEM_COLUMNS, item_rows)
    _insert(Item.made_by.through, ("item_id", "actor_id"), made_rows)
    _insert(Item.addressed_to.through, ("item_id", "actor_id"), addressed_rows)
    _insert(Item.themes.through, ("item_id", "theme_id"), theme_rows)
    _insert(Citation, CITATION_COLUMNS, citation_rows)
    _insert(StatusUpdate, STATUS_UPDATE_COLUMNS, update_rows)
    summary.citations += len(citation_rows)
    summary.status_updates += len(update_rows)
    summary.join_rows += len(made_rows) + len(addressed_rows) + len(theme_rows)


ITEM_COLUMNS = (
    "id", "kind", "reference", "document_id", "section_id", "source_key", "title", "text", "strength",
    "review_state", "status", "target_date", "date", "is_orphaned", "created_at", "updated_at", "extraction",
)  # fmt: skip
CITATION_COLUMNS = ("item_id", "document_id", "section_id", "start", "end", "quote", "position")
STATUS_UPDATE_COLUMNS = (
    "item_id", "status", "assessed_on", "note", "evidence_url", "evidence_citation_id", "evidence_quote", "is_sample",
    "author_id", "created_at",
)  # fmt: skip


def _insert(model, columns, rows) -> None:
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", rows)  # noqa: S608


def _finish(next_item_id: int) -> None:
    """Move the id sequence past the ids given explicitly and refresh the planner's statistics."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('tracker_item', 'id'), %s)", [next_item_id])
        for model in (Item, Item.made_by.through, Item.addressed_to.through, Item.themes.through):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        for model in (Citation, StatusUpdate):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
