"""The small demo, built once for these tests and removed after them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command

from demo.loader import DemoSummary, build_demo, reset_demo

DEMO_SEED = 4242


@pytest.fixture(scope="package")
def small_demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoSummary]:
    """Committed outside the per-test transactions, so each test sees it; tests still need `db`."""
    with django_db_blocker.unblock():
        summary = build_demo(size="small", seed=DEMO_SEED)
    yield summary
    with django_db_blocker.unblock():
        reset_demo()
        # The demo keeps the region, councils and sectors; later packages expect an empty database.
        call_command("flush", interactive=False, verbosity=0)
