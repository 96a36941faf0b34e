"""Labels every change made inside a block (a command, a scheduled job) for the audit trail."""

from __future__ import annotations

import contextlib
from typing import Any

from django.db import connection


def audit_context(**metadata: Any) -> contextlib.AbstractContextManager[Any]:
    # pghistory passes context through PostgreSQL settings; the SQLite demo keeps no trail.
    if connection.vendor != "postgresql":
        return contextlib.nullcontext()
    import pghistory

    return pghistory.context(**metadata)
