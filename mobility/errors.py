"""Domain errors every app raises: each carries a message for a person, a code and an HTTP status.

The API's exception handler answers with ``http_status``; web views catch them and show the message.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError


class DomainError(Exception):
    code = "domain_error"
    http_status = 400

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class Conflict(DomainError):
    """A request that conflicts with the current state of things."""

    code = "conflict"
    http_status = 409


class NotPermitted(DomainError, PermissionDenied):
    """The user can see the object but their role may not do this to it.

    Also a ``PermissionDenied`` so Django answers a web request with a 403.
    """

    code = "not_permitted"
    http_status = 403


class Invalid(DomainError):
    """Input a person can correct; ``field`` names the input at fault, if one is."""

    code = "invalid"
    http_status = 400

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.field = field


def required_text(value: str, *, field: str, message: str) -> str:
    """``value`` without surrounding white space; blank, a ``ValidationError`` on ``field``."""
    if not value.strip():
        raise ValidationError({field: message})
    return value.strip()
