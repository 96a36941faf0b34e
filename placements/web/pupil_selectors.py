"""Reads behind the pupil's pages: where they are, what they can find, how they get there."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from employers.models import Opportunity
from employers.selectors import opportunities_for_user
from mobility.geography.travel import Journey
from placements.lifecycle.selectors import applications_for_user, matches_for_user, offer_lapses_at
from placements.models import Application, Match, MatchRun, MatchStatus, UnplacedPupil, side_runs
from placements.reach import Reachable, journeys_to, opportunities_of, opportunities_reachable
from schools.models import CareersAdviser, Pupil

S = MatchStatus

# The pupil's journey, in the order they go through it.
STAGES = {
    "none": "You have not applied yet",
    "applied": "You have applied",
    "matched": "You have been matched",
    "offer": "An offer is waiting for your answer",
    "accepted": "You said yes: waiting for your parent or carer's consent",
    "unplaced": "You have not been placed yet",
    "confirmed": "Your placement is confirmed",
    "done": "Your placement is finished",
}
# A young person outside school gives their own consent.
OWN_CONSENT_STAGES = {**STAGES, "accepted": "You said yes: waiting for your own consent to be recorded"}
STAGE_OF_STATUS: dict[str, str] = {
    S.OFFERED: "matched",
    S.EMPLOYER_CONFIRMED: "offer",
    S.ACCEPTED: "accepted",
    S.CONFIRMED: "confirmed",
    S.COMPLETED: "done",
}


@dataclass(frozen=True)
class PupilState:
    stage: str
    match: Match | None
    applications: list[Application]
    unplaced: UnplacedPupil | None = None

    @property
    def heading(self) -> str:
        if self.match and self.match.pupil.is_young_person:
            return OWN_CONSENT_STAGES[self.stage]
        return STAGES[self.stage]

    @property
    def answer_by(self) -> dt.datetime | None:
        """When an open offer lapses if the pupil has not answered."""
        return offer_lapses_at(self.match) if self.match else None


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
    unplaced = latest_unplaced(user=user)
    if unplaced is not None:
        return PupilState("unplaced", None, applications, unplaced)
    return PupilState("applied" if applications else "none", None, applications)


def latest_unplaced(*, user: Any) -> UnplacedPupil | None:
    """Why the region's latest live run could not place the pupil, if it could not."""
    pupil = Pupil.objects.filter(user=user).select_related("school__local_authority").first()
    if pupil is None:
        return None
    latest = (
        MatchRun.objects.filter(
            region_id=pupil.school.local_authority.region_id,
            what_if=False,
            status=MatchRun.Status.SUCCEEDED,
        )
        .exclude(side_runs())
        .order_by("-created_at", "-pk")
        .first()
    )
    if latest is None:
        return None
    return UnplacedPupil.objects.filter(run=latest, pupil=pupil).first()


def advisers_for(*, pupil: Pupil) -> list[CareersAdviser]:
    """Who the pupil can talk to about their placement."""
    return list(CareersAdviser.objects.filter(schools=pupil.school_id).select_related("user"))


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


def withdrawn_applications(*, user: Any) -> list[Application]:
    return list(
        applications_for_user(user=user)
        .filter(status=Application.Status.WITHDRAWN)
        .select_related("opportunity__employer")
        .order_by("-updated_at")[:10]
    )


def max_applications() -> int:
    return int(settings.MOBILITY["MAX_APPLICATIONS"])
