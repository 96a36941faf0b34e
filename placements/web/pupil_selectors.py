"""Reads behind the pupil's pages: where they are, what they can find, how they get there."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from employers.models import Opportunity
from employers.selectors import opportunities_for_user
from mobility.geography.travel import Journey, reach_metres
from placements.lifecycle.selectors import applications_for_user, matches_for_user, offer_lapses_at
from placements.models import Application, Match, MatchRun, MatchStatus, UnplacedPupil
from placements.web.travel import journeys
from schools.models import CareersAdviser, Pupil
from schools.selectors import application_deadline

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
        return STAGES[self.stage]

    @property
    def answer_by(self) -> dt.datetime | None:
        """When an open offer lapses if the pupil has not answered."""
        return offer_lapses_at(self.match) if self.match else None


def pupil_state(*, user: Any) -> PupilState:
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
        if match.status == S.CONFIRMED and match.opportunity.ends_on < dt.date.today():
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
        .exclude(parameters__has_key="refill")
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


def opportunity_search(
    *,
    user: Any,
    pupil: Pupil,
    sector: Any = None,
    starts_after: dt.date | None = None,
    ends_before: dt.date | None = None,
    max_minutes: int | None = None,
    step_free: bool = False,
    show_all: bool = False,
) -> list[Result]:
    """Published opportunities a pupil could reach, nearest first. Unless ``show_all``, only
    those they can apply for now: in one of their work-experience windows, applications open."""
    today = dt.date.today()
    qs = opportunities_for_user(user=user).filter(status=Opportunity.Status.PUBLISHED, starts_on__gte=today)
    if sector is not None:
        qs = qs.filter(sector=sector)
    if starts_after:
        qs = qs.filter(starts_on__gte=starts_after)
    if ends_before:
        qs = qs.filter(ends_on__lte=ends_before)
    if step_free:
        qs = qs.filter(site__step_free_access=True)
    minutes = max_minutes or pupil.max_travel_minutes
    # A grid box around home first, so the exact estimate runs on few rows.
    reach = int(reach_metres(minutes))
    near = qs.filter(
        site__easting__range=(pupil.easting - reach, pupil.easting + reach),
        site__northing__range=(pupil.northing - reach, pupil.northing + reach),
    )
    opportunities = list(near | qs.filter(mode=Opportunity.Mode.VIRTUAL))
    applied = {a.opportunity_id for a in active_applications(user=user)}
    if not show_all:
        opportunities = [o for o in opportunities if open_to(pupil, o, today)]
    results = [
        Result(o, j, o.pk in applied)
        for o, j in zip(opportunities, journeys(pupil, opportunities), strict=True)
        if j.minutes <= minutes and pupil.age_on(o.starts_on) >= o.minimum_age
    ]
    results.sort(key=lambda r: (r.journey.minutes, r.opportunity.starts_on, r.opportunity.pk))
    return results


def open_to(pupil: Pupil, opportunity: Opportunity, today: dt.date) -> bool:
    """The pupil could apply now: the dates fall in one of their windows, applications open."""
    overlaps, deadline = application_deadline(
        pupil=pupil, starts_on=opportunity.starts_on, ends_on=opportunity.ends_on
    )
    return overlaps and (deadline is None or today <= deadline)


def withdrawn_applications(*, user: Any) -> list[Application]:
    return list(
        applications_for_user(user=user)
        .filter(status=Application.Status.WITHDRAWN)
        .select_related("opportunity__employer")
        .order_by("-updated_at")[:10]
    )


def max_applications() -> int:
    return int(settings.MOBILITY["MAX_APPLICATIONS"])
