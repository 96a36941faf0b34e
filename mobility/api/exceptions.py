"""Map domain errors to HTTP answers: nothing a client sends should produce a 500."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from mobility.errors import DomainError, Invalid

logger = logging.getLogger(__name__)


def _as_drf_validation_error(error: DjangoValidationError) -> ValidationError:
    if hasattr(error, "error_dict"):
        detail: Any = {
            ("non_field_errors" if field == "__all__" else field): messages
            for field, messages in error.message_dict.items()
        }
    else:
        detail = {"non_field_errors": error.messages}
    return ValidationError(detail)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus: domain errors → their status, integrity errors → 409, Django validation → 400."""
    if isinstance(exc, Invalid):
        exc = ValidationError({exc.field or "non_field_errors": [exc.message]}, code=exc.code)
    elif isinstance(exc, DomainError):
        set_rollback()
        return Response({"detail": exc.message, "code": exc.code}, status=exc.http_status)
    if isinstance(exc, IntegrityError):
        set_rollback()
        logger.info("Integrity conflict answered with 409: %s", exc)
        return Response(
            {
                "detail": "That conflicts with the current data; reload and try again.",
                "code": "integrity_conflict",
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        exc = _as_drf_validation_error(exc)
    return drf_exception_handler(exc, context)
