"""Optimistic concurrency for writes: ETag on item responses, If-Match checked before any change.

The ETag is strong and derived from the row's id and `updated_at` (auto_now: every save moves it,
including a status change, which re-saves the item). A write carrying an If-Match that does not
match the current ETag fails with 412 and changes nothing; the check runs on the row locked with
SELECT ... FOR UPDATE inside the write's transaction, so two writers with the same ETag cannot
both pass it. A write without If-Match is accepted (last writer wins): clients that want
protection send the ETag they read.
"""

from django.db import transaction
from django.http import Http404
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from tracker.ids import parse_id


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


class ETagMixin:
    """If-Match and ETag for a ModelViewSet's writes, written once (as NetBox's ETagMixin).

    update, partial_update and destroy lock the row (SELECT ... FOR UPDATE) inside the write's
    transaction and compare If-Match with it before changing anything; create and update answer
    with the new ETag. A detail action that writes calls `get_locked_object()` inside its own
    transaction.atomic() and `etag_headers()` for its response.
    """

    def get_locked_object(self):
        pk = parse_id(self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        if pk is None:
            raise Http404
        try:
            instance = self.get_queryset().select_for_update().get(pk=pk)
        except self.get_queryset().model.DoesNotExist:
            raise Http404 from None
        self.check_object_permissions(self.request, instance)
        check_if_match(self.request, instance)
        return instance

    def etag_headers(self, instance) -> dict:
        return {"ETag": etag_for(instance)}

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return Response(serializer.data, status=status.HTTP_201_CREATED, headers=self.etag_headers(serializer.instance))

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        with transaction.atomic():
            instance = self.get_locked_object()
            serializer = self.get_serializer(instance, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            # Every save moves updated_at (auto_now), m2m-only changes included: the ETag always moves.
            self.perform_update(serializer)
        return Response(serializer.data, headers=self.etag_headers(serializer.instance))

    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            self.perform_destroy(self.get_locked_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
