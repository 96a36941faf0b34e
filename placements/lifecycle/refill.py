"""Re-offering a freed seat by policy, never to whoever clicks first.

When a seat comes free (an offer lapses, a side declines, a placement is cancelled),
``opportunity_refill`` proposes it to the next pupils in this order, as a small
incremental match run with the source run's seed:

1. pupils with an active application to that opportunity;
2. eligible: consent not refused, dates overlap one of their windows, and able to reach
   it by ``placements.reach`` (old enough on the first day, within their maximum travel
   time, step-free access if they need it, online needs no travel);
3. unmatched: no live placement and no proposal waiting for an adviser, and never
   matched to this opportunity before (a pupil turned down for it is not asked again);
4. highest priority tier first (the run's tiers, else the engine's defaults), then a
   lottery drawn from the run's seed: sha256(seed, pupil id). That is the same rule as
   the engine's, though not the engine's own permutation, which depends on the whole
   population of the original run.

The new match is *proposed*: an adviser still approves it, as for any other run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from employers.models import Opportunity
from employers.selectors import compliance_problems
from placements.models import (
    LIVE_STATUSES,
    Application,
    Match,
    MatchRun,
    MatchStatus,
    MatchStatusChange,
    side_runs,
)
from placements.priority import run_tiers
from placements.reach import pupils_reaching
from schools.models import ConsentStatus, Pupil, WorkExperienceWindow
from schools.selectors import windows_of_outer_pupil

from .follow_up import notification_record

if TYPE_CHECKING:
    from mobility.accounts.models import User
    from mobility.geography.models import Region


def lottery_number(*, seed: int, pupil_id: int) -> int:
    digest = hashlib.sha256(f"{seed}:{pupil_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def priority_tier(*, pupil: Pupil, tiers: tuple[tuple[str, ...], ...]) -> int:
    for index, flags in enumerate(tiers):
        if any(getattr(pupil, flag) for flag in flags):
            return index
    return len(tiers)


def _tiers(run: MatchRun | None) -> tuple[tuple[str, ...], ...]:
    return run_tiers(run.parameters if run else None)


def current_run(*, region_id: int) -> MatchRun | None:
    """The region's latest finished live run: the one whose proposals advisers act on."""
    return (
        MatchRun.objects.filter(region_id=region_id, what_if=False, status=MatchRun.Status.SUCCEEDED)
        .exclude(side_runs())
        .order_by("-created_at", "-pk")
        .first()
    )


def run_family(run: MatchRun | None) -> Q:
    """Matches of ``run`` and of the refills made from it."""
    if run is None:
        return Q(pk__in=[])
    return Q(run=run) | Q(run__parameters__refill__source_run_id=run.pk)


def refill_candidates(*, opportunity: Opportunity, run: MatchRun | None) -> list[tuple[Pupil, int, int]]:
    """Eligible unmatched applicants in policy order, as (pupil, tier, travel minutes).

    Only the current run's proposals count as waiting; what-if runs count for nothing.
    """
    applied = Application.objects.filter(
        pupil_id=OuterRef("pk"), opportunity=opportunity, status=Application.Status.ACTIVE
    )
    busy = Match.objects.filter(pupil_id=OuterRef("pk")).filter(
        Q(status__in=LIVE_STATUSES)
        | (Q(status=MatchStatus.PROPOSED) & run_family(run))
        | (Q(opportunity=opportunity) & Q(run__what_if=False))
    )
    window = WorkExperienceWindow.objects.filter(
        windows_of_outer_pupil(),
        starts_on__lte=opportunity.ends_on,
        ends_on__gte=opportunity.starts_on,
    )
    pupils = list(
        Pupil.objects.filter(Exists(applied), Exists(window), ~Exists(busy))
        .exclude(parental_consent=ConsentStatus.REFUSED)
        .select_related("user")
    )
    reaching = pupils_reaching(opportunity=opportunity, pupils=pupils)
    tiers, seed = _tiers(run), run.seed if run else 0
    ranked = [(p, priority_tier(pupil=p, tiers=tiers), m) for p, m in reaching]
    ranked.sort(key=lambda row: (row[1], lottery_number(seed=seed, pupil_id=row[0].pk)))
    return ranked


def side_run_create(
    *,
    region: Region,
    parameters: dict[str, Any],
    now: dt.datetime,
    policy: str = MatchRun.Policy.STABLE,
    seed: int = 0,
    created_by: User | None = None,
) -> MatchRun:
    """A finished run of its own for matches made outside a match run (a refill, a placement a
    pupil found), so advisers review them as any other; ``current_run`` never returns one."""
    return MatchRun.objects.create(
        region=region,
        policy=policy,
        seed=seed,
        parameters=parameters,
        status=MatchRun.Status.SUCCEEDED,
        stage=MatchRun.Stage.DONE,
        progress=1.0,
        started_at=now,
        finished_at=now,
        created_by=created_by,
    )


def opportunity_refill(
    *, opportunity_id: int, run_id: int | None = None, now: dt.datetime | None = None
) -> list[Match]:
    """Propose free, unclaimed seats to the next pupils by policy. Safe to run twice."""
    now = now or timezone.now()
    with transaction.atomic():
        opportunity = (
            Opportunity.objects.select_for_update(of=("self",))
            .select_related("employer", "site")
            .get(pk=opportunity_id)
        )
        if not opportunity.is_open_to_pupils or opportunity.starts_on <= timezone.localdate(now):
            return []
        hint = (
            MatchRun.objects.filter(pk=run_id).first()
            if run_id
            else MatchRun.objects.filter(matches__opportunity=opportunity, what_if=False)
            .order_by("-created_at")
            .first()
        )
        source = current_run(region_id=hint.region_id) if hint else None
        waiting = (
            Match.objects.filter(opportunity=opportunity, status=MatchStatus.PROPOSED)
            .filter(run_family(source))
            .count()
        )
        free = opportunity.capacity - opportunity.seats_taken - waiting
        if free <= 0 or compliance_problems(employer=opportunity.employer, through=opportunity.ends_on):
            return []
        chosen = refill_candidates(opportunity=opportunity, run=source)[:free]
        if not chosen or source is None:
            return []
        run = side_run_create(
            region=source.region,
            policy=source.policy,
            seed=source.seed,
            parameters={
                **source.parameters,
                "refill": {"opportunity_id": opportunity.pk, "source_run_id": source.pk},
            },
            now=now,
        )
        made = []
        for pupil, tier, minutes in chosen:
            match = Match.objects.create(
                run=run,
                pupil=pupil,
                opportunity=opportunity,
                travel_minutes=minutes,
                priority_tier=tier,
                explanation="A place came free; you were next by priority group and the run's lottery.",
            )
            change = MatchStatusChange.objects.create(
                match=match, to_status=MatchStatus.PROPOSED, reason="refill"
            )
            notification_record(change=change)
            made.append(match)
    return made
