"""Write operations that touch several rows. The admin, the API and the import commands all call these."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from tracker.enums import ReviewState, Status
from tracker.models import Citation, Document, Item, StatusUpdate


def refresh_current_status(item: Item, *, origin: str = "") -> str:
    """Set the item's denormalised status from its latest update (or unknown without one).
    `origin` (tracker.history) is recorded as the change's reason in the item's edit history."""
    latest = item.status_updates.order_by("-assessed_on", "-created_at", "-id").values_list("status", flat=True).first()
    status = latest or Status.UNKNOWN
    if item.status != status:
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
    refresh_current_status(item, origin=origin)
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
