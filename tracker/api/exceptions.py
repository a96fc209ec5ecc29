"""The API's one exception handler (REST_FRAMEWORK["EXCEPTION_HANDLER"]): DRF's, plus two Django errors.

- django.core.exceptions.ValidationError (a model's clean(), a service's checks) is a 400 with
  per-field messages, as DRF's own ValidationError: views and serializers need not translate it.
- A database that cannot be reached (OperationalError, InterfaceError: an outage, a restart, a
  connection limit) is a JSON 503 with Retry-After rather than an HTML 500: the client did nothing
  wrong and should come back.
"""

import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


def validation_error_detail(error: DjangoValidationError) -> dict:
    """Django's ValidationError as DRF's {field: [messages]} ("__all__" as non_field_errors)."""
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): messages
            for field, messages in error.message_dict.items()
        }
    return {"non_field_errors": error.messages}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(validation_error_detail(exc))
    elif isinstance(exc, OperationalError | InterfaceError):
        logger.error("Database unavailable: %s", exc)
        set_rollback()
        return Response(
            {"detail": "The database is unavailable. Try again shortly."},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    return drf_exception_handler(exc, context)
