"""Puts the signed-in user's id and the URL on every change the request makes (pghistory context)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from pghistory.middleware import HistoryMiddleware


class AuditContextMiddleware(HistoryMiddleware):
    def __call__(self, request: Any) -> Any:
        # The context rides on PostgreSQL session settings; the embedded SQLite demo has no triggers.
        if connection.vendor != "postgresql":
            return self.get_response(request)
        return super().__call__(request)  # type: ignore[no-untyped-call]
