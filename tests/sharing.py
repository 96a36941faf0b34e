"""Test data built once for a module and rolled back when the module is done."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction


@contextmanager
def rolled_back_at_end(django_db_blocker: Any) -> Iterator[None]:
    """Whatever is written inside stays for the module's tests, then is rolled back.

    Each test still runs in its own savepoint on top (the ``db`` fixture), so tests cannot see
    each other's changes.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
