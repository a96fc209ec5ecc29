"""Optimistic concurrency for writes: ETag on item responses, If-Match checked before any change.

The ETag is strong and derived from the row's id and `updated_at` (auto_now: every save moves it,
including a status change, which re-saves the item). A write carrying an If-Match that does not
match the current ETag fails with 412 and changes nothing; the check runs on the row locked with
SELECT ... FOR UPDATE inside the write's transaction, so two writers with the same ETag cannot
both pass it. A write without If-Match is accepted (last writer wins): clients that want
protection send the ETag they read.
"""

from rest_framework import status
from rest_framework.exceptions import APIException


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The item was changed since you read it (If-Match does not match its ETag). Fetch it again."
    default_code = "precondition_failed"


def etag_for(instance) -> str:
    return _etag(instance.pk, instance.updated_at)


def etag_for_row(values: dict) -> str:
    """The same ETag from a values() row with "id" and "updated_at"."""
    return _etag(values["id"], values["updated_at"])


def _etag(pk, updated_at) -> str:
    stamp = updated_at.strftime("%Y%m%d%H%M%S%f") if updated_at else "0"
    return f'"{pk}-{stamp}"'


def check_if_match(request, instance) -> None:
    """Raise PreconditionFailed when an If-Match header is present and none of its tags is current."""
    header = request.headers.get("If-Match")
    if header is None:
        return
    header = header.strip()
    if header == "*":
        return
    current = etag_for(instance)
    # If-Match uses the strong comparison (RFC 9110 13.1.1): weak tags never match.
    tags = [tag.strip() for tag in header.split(",")]
    if current not in tags:
        raise PreconditionFailed()
