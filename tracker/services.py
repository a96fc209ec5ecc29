"""Write operations that touch several rows. The admin, the API and the import commands all call these."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from tracker.enums import DocumentKind, ItemKind, LinkKind, ReviewState, Status
from tracker.models import Citation, Document, Item, ItemLink, StatusUpdate


def refresh_current_status(item: Item, *, touch: bool = False, origin: str = "") -> str:
    """Set the item's denormalised status from its latest update (or unknown without one).

    With touch, the item is saved even if its status stays (a back-dated or same-status update): its
    updated_at, and so its ETag, moves with every change to its history, so a stale If-Match fails.
    `origin` (tracker.history) is recorded as the change's reason in the item's edit history.
    """
    latest = item.status_updates.order_by("-assessed_on", "-created_at", "-id").values_list("status", flat=True).first()
    status = latest or Status.UNKNOWN
    if touch or item.status != status:
        item.status = status
        if origin:
            item._change_reason = origin
        item.save(update_fields=["status", "updated_at"])
    return status


@transaction.atomic
def record_status_update(
    *,
    item: Item,
    status: str,
    assessed_on: date | None = None,
    note: str = "",
    evidence_url: str = "",
    evidence_citation: Citation | None = None,
    evidence_document: Document | None = None,
    evidence_start: int | None = None,
    evidence_end: int | None = None,
    is_sample: bool = False,
    author=None,
    origin: str = "",
) -> StatusUpdate:
    """Append a dated assessment to the item's history; the item's current status follows the latest one.

    Evidence: a URL, one of the item's own citations, and/or a passage of any document given by its
    offsets (the quote is taken from the text, so it is exact).
    """
    if status not in Status.values:
        raise ValidationError({"status": f"“{status}” is not on the status scale ({', '.join(Status.values)})."})
    if evidence_citation is not None and evidence_citation.item_id != item.pk:
        raise ValidationError({"evidence_citation": "The evidence citation belongs to another item."})
    evidence_quote = ""
    if evidence_document is not None:
        if evidence_start is None or evidence_end is None or not 0 <= evidence_start < evidence_end:
            raise ValidationError({"evidence_start": "An evidence passage needs a start before its end."})
        if evidence_end > len(evidence_document.text):
            raise ValidationError({"evidence_end": f"The passage ends after the text of “{evidence_document}”."})
        evidence_quote = evidence_document.text[evidence_start:evidence_end]
        if not evidence_quote.strip():
            raise ValidationError({"evidence_start": "The evidence passage is blank."})
    update = StatusUpdate(
        item=item,
        status=status,
        assessed_on=assessed_on or timezone.localdate(),
        note=note,
        evidence_url=evidence_url,
        evidence_citation=evidence_citation,
        evidence_document=evidence_document,
        evidence_start=evidence_start if evidence_document is not None else None,
        evidence_end=evidence_end if evidence_document is not None else None,
        evidence_quote=evidence_quote,
        is_sample=is_sample,
        author=author if author is not None and author.is_authenticated else None,
    )
    update.full_clean()
    update.save()
    refresh_current_status(item, touch=True, origin=origin)
    return update


def repeating_latest(*, items, status: str, assessed_on, note: str = "", evidence_url: str = "", **_ignored) -> list:
    """The items whose latest status update already says exactly this (status, date, note, evidence):
    recording it again would add a duplicate line to their history. One query."""
    latest = (
        StatusUpdate.objects.filter(item_id=OuterRef("item_id"))
        .order_by("-assessed_on", "-created_at", "-id")
        .values("id")[:1]
    )
    repeated = StatusUpdate.objects.filter(
        item__in=items,
        id=Subquery(latest),
        status=status,
        assessed_on=assessed_on or timezone.localdate(),
        note=note,
        evidence_url=evidence_url,
    ).values_list("item__reference", flat=True)
    return sorted(repeated)


@transaction.atomic
def record_status_updates(*, items: Iterable[Item], **fields) -> list[StatusUpdate]:
    """The same assessment for several items (admin bulk action, spreadsheet import): all or nothing."""
    return [record_status_update(item=item, **fields) for item in items]


@transaction.atomic
def set_review_state(*, items: Iterable[Item], state: str, user=None) -> int:
    """Confirm or reject items one by one, so each change lands in the item's history with its author."""
    if state not in ReviewState.values:
        raise ValidationError({"review_state": f"“{state}” is not a review state."})
    changed = 0
    for item in items:
        if item.review_state != state:
            item.review_state = state
            if user is not None and user.is_authenticated:
                item._history_user = user
            item.save(update_fields=["review_state", "updated_at"])
            changed += 1
    return changed


# --- The review workbench: items placed on the source text by reviewers ------------------------------
#
# Offsets come from a selection in the browser and the quote is always cut from the document's own
# text here, so it is exact. Each function checks the user's permission, runs in one transaction and
# leaves its trace in the edit history (simple_history, with the user and a reason).

TITLE_LIMIT = 100


def _require(user, *permissions: str) -> None:
    if user is None or not user.is_authenticated or not user.has_perms(permissions):
        raise PermissionDenied(f"This needs the permission(s) {', '.join(permissions)}.")


def _trace(user, reason: str, *records) -> None:
    for record in records:
        record._history_user = user
        record._change_reason = reason


def _span(document: Document, start: int, end: int) -> tuple[int, int]:
    """The span with surrounding whitespace left out; refuses one outside the text or blank."""
    text = document.text
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(text):
        raise ValidationError({"start": f"The span {start}-{end} is not inside the text ({len(text)} characters)."})
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise ValidationError({"start": "The selection holds only whitespace."})
    return start, end


def _section_at(document: Document, offset: int):
    return document.sections.filter(start__lte=offset, end__gt=offset).order_by("-start").first()


def _title(quote: str) -> str:
    title = " ".join(quote.split()).rstrip(" .;,:")
    if len(title) > TITLE_LIMIT:
        title = title[:TITLE_LIMIT].rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"
    return (title[:1].upper() + title[1:]) or "Untitled item"


def _new_reference(document: Document, section) -> str:
    stem = document.reference_prefix + (f"-{section.number}" if section is not None and section.number else "")
    taken = set(Item.objects.filter(reference__startswith=f"{stem}-").values_list("reference", flat=True))
    number = 1
    while f"{stem}-{number:02d}" in taken:
        number += 1
    return f"{stem}-{number:02d}"


def _renumber(item: Item) -> None:
    for position, citation in enumerate(item.citations.order_by("position", "id")):
        if citation.position != position:
            Citation.objects.filter(pk=citation.pk).update(position=position)


@transaction.atomic
def create_item_from_span(*, document: Document, start: int, end: int, user, kind: str = "") -> Item:
    """A new item quoting document.text[start:end] (whitespace at the ends left out), confirmed by its author."""
    _require(user, "tracker.add_item", "tracker.add_citation")
    start, end = _span(document, start, end)
    quote = document.text[start:end]
    section = _section_at(document, start)
    if not kind:
        kind = ItemKind.RECOMMENDATION if document.kind == DocumentKind.STRATEGY else ItemKind.COMMITMENT
    if kind not in ItemKind.values:
        raise ValidationError({"kind": f"“{kind}” is not an item kind."})
    item = Item(
        kind=kind,
        reference=_new_reference(document, section),
        document=document,
        section=section,
        title=_title(quote),
        text=quote,
        date=document.published,
        review_state=ReviewState.CONFIRMED,
        citations_curated=True,
    )
    _trace(user, "workbench: created from a selection", item)
    item.full_clean(exclude=["source_key"])
    item.save()
    citation = Citation(item=item, document=document, section=section, start=start, end=end, quote=quote)
    _trace(user, "workbench: created from a selection", citation)
    citation.save()
    return item


@transaction.atomic
def move_citation(*, citation: Citation, start: int, end: int, user) -> Citation:
    """Give a citation a new span of its document (the first citation's quote is also the item's text)."""
    _require(user, "tracker.change_item", "tracker.change_citation")
    document = citation.document
    start, end = _span(document, start, end)
    citation.start, citation.end, citation.quote = start, end, document.text[start:end]
    citation.section = _section_at(document, start)
    _trace(user, "workbench: citation moved", citation)
    citation.save()
    item = citation.item
    fields = ["citations_curated", "updated_at"]
    item.citations_curated = True
    if citation.position == 0 and citation.document_id == item.document_id:
        item.text, item.section = citation.quote, citation.section
        fields += ["text", "section"]
    _trace(user, "workbench: citation moved", item)
    item.save(update_fields=fields)
    return citation


@transaction.atomic
def split_item(*, item: Item, at: int, user) -> Item:
    """Cut the citation holding offset `at` in two: the item keeps the first part, a new item (same
    kind, strength, actors, themes and review state) takes the second. Returns the new item."""
    _require(user, "tracker.add_item", "tracker.change_item", "tracker.change_citation", "tracker.add_citation")
    citation = next((c for c in item.citations.select_related("document") if c.start < at < c.end), None)
    if citation is None:
        raise ValidationError({"at": f"Offset {at} is not inside a citation of {item.reference}."})
    document = citation.document
    text = document.text
    first = _span_or_none(document, citation.start, at)
    second = _span_or_none(document, at, citation.end)
    if first is None or second is None:
        raise ValidationError({"at": "Both parts of a split need some text."})
    reason = f"workbench: split into {item.reference} and a new item"
    citation.start, citation.end, citation.quote = first[0], first[1], text[first[0] : first[1]]
    _trace(user, reason, citation)
    citation.save()
    section = _section_at(document, second[0])
    new = Item(
        kind=item.kind,
        reference=_new_reference(document, section),
        document=item.document,
        section=section,
        title=_title(text[second[0] : second[1]]),
        text=text[second[0] : second[1]],
        strength=item.strength,
        review_state=item.review_state,
        date=item.date,
        target_date=item.target_date,
        citations_curated=True,
    )
    _trace(user, f"workbench: split from {item.reference}", new)
    new.save()
    new.made_by.set(item.made_by.all())
    new.addressed_to.set(item.addressed_to.all())
    new.themes.set(item.themes.all())
    second_citation = Citation(
        item=new, document=document, section=section, start=second[0], end=second[1], quote=text[second[0] : second[1]]
    )
    _trace(user, f"workbench: split from {item.reference}", second_citation)
    second_citation.save()
    item.citations_curated = True
    if citation.position == 0:
        item.text = citation.quote
    _trace(user, f"workbench: split, second part now {new.reference}", item)
    item.save(update_fields=["citations_curated", "text", "updated_at"])
    return new


def _span_or_none(document, start, end):
    try:
        return _span(document, start, end)
    except ValidationError:
        return None


@transaction.atomic
def merge_items(*, item: Item, other: Item, user) -> Item:
    """Fold `other` into `item`: its citations, status updates, links, actors and themes move over; the
    other item is deleted (its edit history stays, ending with the merge). Same document only, so
    a re-import knows the other item's sentence belongs to this one."""
    _require(user, "tracker.change_item", "tracker.delete_item", "tracker.change_citation")
    if other.pk == item.pk:
        raise ValidationError({"other": "An item cannot be merged with itself."})
    if other.document_id != item.document_id:
        raise ValidationError({"other": f"{other.reference} is in another document than {item.reference}."})
    item = Item.objects.select_for_update().get(pk=item.pk)
    other = Item.objects.select_for_update().get(pk=other.pk)
    reason = f"workbench: merged {other.reference} into {item.reference}"
    spans = set(item.citations.values_list("document_id", "start", "end"))
    position = item.citations.count()
    for citation in other.citations.order_by("position", "id"):
        if (citation.document_id, citation.start, citation.end) in spans:
            continue
        citation.item, citation.position = item, position
        position += 1
        _trace(user, reason, citation)
        citation.save()
    for update in other.status_updates.all():
        update.item = item
        _trace(user, reason, update)
        update.save()
    for link in other.links_out.all():
        if link.target_id != item.pk and not ItemLink.objects.filter(source=item, target=link.target, kind=link.kind):
            link.source = item
            _trace(user, reason, link)
            link.save()
    for link in other.links_in.all():
        if link.source_id != item.pk and not ItemLink.objects.filter(source=link.source, target=item, kind=link.kind):
            link.target = item
            _trace(user, reason, link)
            link.save()
    item.made_by.add(*other.made_by.all())
    item.addressed_to.add(*other.addressed_to.all())
    item.themes.add(*other.themes.all())
    item.absorbed_keys = [*item.absorbed_keys, *([other.source_key] if other.source_key else []), *other.absorbed_keys]
    item.citations_curated = True
    _trace(user, reason, item, other)
    item.save(update_fields=["absorbed_keys", "citations_curated", "updated_at"])
    other.delete()
    refresh_current_status(item)
    return item


@transaction.atomic
def set_item_relations(*, item: Item, user, made_by=None, addressed_to=None, themes=None) -> Item:
    """Replace an item's actors (by role) and themes; each given list is a list of slugs."""
    _require(user, "tracker.change_item")
    from tracker.models import Actor, Theme

    changes = {}
    for name, slugs, model in (
        ("made_by", made_by, Actor),
        ("addressed_to", addressed_to, Actor),
        ("themes", themes, Theme),
    ):
        if slugs is None:
            continue
        found = {record.slug: record for record in model.objects.filter(slug__in=slugs)}
        unknown = [slug for slug in slugs if slug not in found]
        if unknown:
            raise ValidationError({name: f"Unknown {model._meta.verbose_name} slug(s): {', '.join(unknown)}."})
        changes[name] = [found[slug] for slug in dict.fromkeys(slugs)]
    _trace(user, "workbench: actors and themes edited", item)
    for name, records in changes.items():
        getattr(item, name).set(records)
    item.save(update_fields=["updated_at"])
    return item


def review_item(*, item: Item, state: str, user) -> Item:
    """Accept (confirm) or reject one item, with the user in its history."""
    _require(user, "tracker.change_item")
    set_review_state(items=[item], state=state, user=user)
    return item


@transaction.atomic
def link_items(*, source: Item, target: Item, kind: str, user, note: str = "") -> ItemLink:
    _require(user, "tracker.add_itemlink")
    if kind not in LinkKind.values:
        raise ValidationError({"kind": f"“{kind}” is not a link kind ({', '.join(LinkKind.values)})."})
    link, _created = ItemLink.objects.get_or_create(source=source, target=target, kind=kind, defaults={"note": note})
    return link


def next_needing_review(*, after: Item | None = None) -> Item | None:
    """The review queue across documents, in id order: items needing review and orphaned ones not rejected."""
    queue = Item.objects.filter(
        Q(review_state=ReviewState.NEEDS_REVIEW) | Q(is_orphaned=True) & ~Q(review_state=ReviewState.REJECTED)
    ).order_by("id")
    if after is not None:
        return queue.filter(id__gt=after.pk).first() or queue.exclude(pk=after.pk).first()
    return queue.first()
