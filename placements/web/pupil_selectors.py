"""Reads behind the pupil's pages: where they are, what they can find, how they get there."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from employers.models import Opportunity
from employers.selectors import opportunities_for_user
from mobility.geography.travel import Journey
from placements.lifecycle.selectors import applications_for_user, matches_for_user
from placements.models import Application, Match, MatchStatus
from placements.reach import Reachable, journeys_to, opportunities_of, opportunities_reachable
from schools.models import Pupil

S = MatchStatus

# The pupil's journey, in the order they go through it.
STAGES = {
    "none": "You have not applied yet",
    "applied": "You have applied",
    "matched": "You have been matched",
    "offer": "An offer is waiting for your answer",
    "confirmed": "Your placement is confirmed",
    "done": "Your placement is finished",
}
STAGE_OF_STATUS: dict[str, str] = {
    S.OFFERED: "matched",
    S.EMPLOYER_CONFIRMED: "offer",
    S.ACCEPTED: "confirmed",
    S.CONFIRMED: "confirmed",
    S.COMPLETED: "done",
}


@dataclass(frozen=True)
class PupilState:
    stage: str
    match: Match | None
    applications: list[Application]

    @property
    def heading(self) -> str:
        return STAGES[self.stage]


def pupil_state(*, user: Any, today: dt.date) -> PupilState:
    applications = list(active_applications(user=user))
    # The newest match the pupil may see that still matters to them.
    match = (
        matches_for_user(user=user)
        .filter(status__in=list(STAGE_OF_STATUS))
        .order_by("-created_at", "-pk")
        .first()
    )
    if match is not None:
        stage = STAGE_OF_STATUS[match.status]
        if match.status == S.CONFIRMED and match.opportunity.ends_on < today:
            stage = "done"  # finished; completed once both sides have given feedback
        return PupilState(stage, match, applications)
    return PupilState("applied" if applications else "none", None, applications)


def active_applications(*, user: Any) -> list[Application]:
    return list(
        applications_for_user(user=user)
        .filter(status=Application.Status.ACTIVE)
        .select_related("opportunity__site", "opportunity__sector")
        .order_by("rank")
    )


@dataclass(frozen=True)
class Result:
    opportunity: Opportunity
    journey: Journey
    applied: bool
    can_apply: bool


def opportunity_search(
    *,
    user: Any,
    pupil: Pupil,
    today: dt.date,
    sector: Any = None,
    starts_after: dt.date | None = None,
    ends_before: dt.date | None = None,
    max_minutes: int | None = None,
    step_free: bool = False,
    show_all: bool = False,
) -> list[Reachable]:
    """What the pupil can reach (by default: and apply for), nearest first, by ``placements.reach``."""
    qs = opportunities_for_user(user=user)
    if sector is not None:
        qs = qs.filter(sector=sector)
    if starts_after:
        qs = qs.filter(starts_on__gte=starts_after)
    if ends_before:
        qs = qs.filter(ends_on__lte=ends_before)
    return opportunities_reachable(
        pupil=pupil,
        today=today,
        opportunities=qs,
        max_minutes=max_minutes,
        step_free=step_free,
        show_all=show_all,
    )


def search_results(*, user: Any, pupil: Pupil, rows: list[Reachable]) -> list[Result]:
    """The shown page of a search, with journeys and fares worked out for those rows only."""
    applied = set(
        applications_for_user(user=user)
        .filter(status=Application.Status.ACTIVE)
        .values_list("opportunity_id", flat=True)
    )
    opportunities = opportunities_of(rows)
    return [
        Result(o, j, o.pk in applied, r.can_apply)
        for r, o, j in zip(rows, opportunities, journeys_to(pupil, opportunities), strict=True)
    ]


def max_applications() -> int:
    return int(settings.MOBILITY["MAX_APPLICATIONS"])
