"""A national run: one match run per region, fanned out over the workers, and a combined report.

Regions never share pupils or seats, so their runs are independent. Each is handed out through
the outbox like any run (so the recovery sweep covers them too), whichever worker is free takes
the next one, and the worker that finishes the last region writes the combined report. Adding
workers (on more machines) shortens the national run.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from mobility.geography.models import Region
from placements.models import MatchRun, NationalRun

from .services import match_run_create

if TYPE_CHECKING:
    from mobility.accounts.models import User


def national_run_start(
    *,
    regions: Iterable[Region],
    policy: str = MatchRun.Policy.STABLE,
    seed: int | None = None,
    parameters: dict[str, Any] | None = None,
    actor: User | None = None,
) -> NationalRun:
    """Record one queued run per region and hand them all to the workers once this commits.

    All or nothing: if any region already has a live run, ``RunInProgress`` is raised and no
    run is recorded.
    """
    if seed is None:
        seed = secrets.randbelow(2**31)
    with transaction.atomic():
        national = NationalRun.objects.create(policy=policy, seed=seed, created_by=actor)
        for region in regions:
            match_run_create(
                region=region,
                policy=policy,
                seed=seed,
                parameters=parameters,
                created_by=actor,
                national_run=national,
            )
    return national


def national_run_combine_if_done(*, national_run_id: int) -> None:
    """Combine the report once every region's run has succeeded or failed for good (called by
    the worker that finished a region; the row lock makes sure only one of them writes it)."""
    with transaction.atomic():
        national = NationalRun.objects.select_for_update().get(pk=national_run_id)
        finished = (MatchRun.Status.SUCCEEDED, MatchRun.Status.FAILED)
        if national.finished_at is not None or national.match_runs.exclude(status__in=finished).exists():
            return
        national_run_combine(national_run_id=national_run_id)


def national_run_combine(*, national_run_id: int) -> NationalRun:
    """Write the combined report: totals, per priority group and per region."""
    national = NationalRun.objects.get(pk=national_run_id)
    runs = list(national.match_runs.select_related("region").order_by("region__code"))
    pupils = placed = 0
    by_tier: dict[str, dict[str, Any]] = {}
    by_region: dict[str, dict[str, Any]] = {}
    for run in runs:
        s = run.statistics or {}
        by_region[run.region.code] = {
            "run": run.pk,
            "status": run.status,
            "pupils": s.get("pupils", 0),
            "placed": s.get("placed", 0),
            "placed_rate": s.get("placed_rate"),
            "seconds": (run.timings or {}).get("total"),
        }
        if run.status != MatchRun.Status.SUCCEEDED:
            continue
        pupils += s["pupils"]
        placed += s["placed"]
        for tier in s["by_tier"]:
            group = by_tier.setdefault(tier["group"], {"group": tier["group"], "pupils": 0, "placed": 0})
            group["pupils"] += tier["pupils"]
            group["placed"] += tier["placed"]
    for group in by_tier.values():
        group["rate"] = group["placed"] / group["pupils"] if group["pupils"] else 0.0
    # From the first region's start to the last one's end, both on the workers' clocks.
    started = [run.started_at for run in runs if run.started_at is not None]
    finished = [run.finished_at for run in runs if run.finished_at is not None]
    national.statistics = {
        "regions": len(runs),
        "succeeded": sum(run.status == MatchRun.Status.SUCCEEDED for run in runs),
        "failed": [run.region.code for run in runs if run.status == MatchRun.Status.FAILED],
        "pupils": pupils,
        "placed": placed,
        "placed_rate": placed / pupils if pupils else 0.0,
        "by_tier": list(by_tier.values()),
        "by_region": by_region,
        "seconds": (max(finished) - min(started)).total_seconds() if finished and started else None,
    }
    national.finished_at = timezone.now()
    national.save(update_fields=["statistics", "finished_at"])
    return national
