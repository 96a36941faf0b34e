"""The small demo with one stable and one max-coverage run, built once for the privacy tests."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from mobility.geography.models import Region
from placements.matching.services import match_run_create, match_run_execute
from placements.models import MatchRun


@pytest.fixture(scope="package")
def demo_runs(django_db_setup: None, django_db_blocker: Any) -> Iterator[list[MatchRun]]:
    """Committed outside the per-test transactions, so each test sees it; tests still need `db`."""
    with django_db_blocker.unblock():
        call_command("load_demo", "--size", "small", stdout=StringIO())
        region = Region.objects.get(code="lcr")
        runs = []
        for policy in (MatchRun.Policy.MAX_COVERAGE, MatchRun.Policy.STABLE):
            run = match_run_create(region=region, policy=policy, seed=11)
            # Executed in-process: the queued task finds the run already done and skips it.
            match_run_execute(run_id=run.pk)
            run.refresh_from_db()
            assert run.status == MatchRun.Status.SUCCEEDED, run.error
            runs.append(run)
    yield runs
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
