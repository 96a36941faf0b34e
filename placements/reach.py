"""Which opportunities a pupil can reach and apply for: one query, one set of rules.

The pupil's search page, the API's reachable list and refill all read these rules:

1. open to pupils (published, by an employer an adviser has verified: ``OPEN_TO_PUPILS``), and
   the first day is today or later;
2. an online (virtual) placement needs no travel: 0 minutes, whatever the distance;
3. asked for step-free access, a workplace must have it (an online placement always does);
4. the journey is within the pupil's longest journey (``max_travel_minutes``), or a shorter
   limit they choose, by the kernel's one travel estimate;
5. by default only what the pupil can apply for: old enough on the first day, and the dates
   overlap one of their year group's work-experience windows whose application deadline has
   not passed. ``show_all`` drops rule 5 (the page's "show all" toggle); the others always hold.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from django.db.models import Q, QuerySet

from employers.models import OPEN_TO_PUPILS, Opportunity
from mobility.geography.travel import (
    GridPoint,
    Journey,
    Traveller,
    estimate_travel_minutes,
    journey_minutes,
    journeys,
    reach_metres,
)
from schools.models import Pupil, WorkExperienceWindow
from schools.selectors import windows_of


@dataclass(frozen=True)
class Reachable:
    opportunity_id: int
    starts_on: dt.date
    minutes: int
    can_apply: bool  # old enough and within an open window of the pupil's


@dataclass(frozen=True)
class _Row:
    """The columns the rules need, read for every candidate (full rows only for a page)."""

    pk: int
    mode: str
    starts_on: dt.date
    ends_on: dt.date
    minimum_age: int
    easting: int | None  # None: no site (an online placement)
    northing: int | None

    @property
    def destination(self) -> GridPoint | None:
        if self.mode == Opportunity.Mode.VIRTUAL or self.easting is None or self.northing is None:
            return None
        return (self.easting, self.northing)


def destination_of(opportunity: Opportunity) -> GridPoint | None:
    """Where the pupil travels to; ``None`` for an online placement."""
    if opportunity.mode == Opportunity.Mode.VIRTUAL or opportunity.site is None:
        return None
    return opportunity.site.grid_point


def open_windows(*, pupil: Pupil, today: dt.date) -> list[WorkExperienceWindow]:
    """The pupil's windows (their year group's, or a young person's own) still taking applications."""
    return list(
        windows_of(pupil=pupil).filter(
            Q(application_deadline__isnull=True) | Q(application_deadline__gte=today)
        )
    )


def in_a_window(opportunity: Opportunity | _Row, windows: Iterable[WorkExperienceWindow]) -> bool:
    return any(w.starts_on <= opportunity.ends_on and opportunity.starts_on <= w.ends_on for w in windows)


def old_enough(pupil: Pupil, opportunity: Opportunity | _Row) -> bool:
    return pupil.age_on(opportunity.starts_on) >= opportunity.minimum_age


def step_free_ok(opportunity: Opportunity, *, step_free: bool) -> bool:
    site = opportunity.site
    return not step_free or destination_of(opportunity) is None or bool(site and site.step_free_access)


def minutes_limit(pupil: Pupil, max_minutes: int | None) -> int:
    """The pupil's own limit, or a shorter one they choose (never longer)."""
    return min(max_minutes, pupil.max_travel_minutes) if max_minutes else pupil.max_travel_minutes


def opportunities_reachable(
    *,
    pupil: Pupil,
    today: dt.date,
    opportunities: QuerySet[Opportunity] | None = None,
    max_minutes: int | None = None,
    step_free: bool = False,
    show_all: bool = False,
) -> list[Reachable]:
    """The opportunities (from ``opportunities``, default all) the pupil can reach, nearest first.

    Only a few columns and the minutes are worked out here, for every candidate; the rows shown
    come from ``opportunities_of`` and their fares from ``journeys_to``.
    """
    base = opportunities if opportunities is not None else Opportunity.objects.all()
    qs = base.filter(OPEN_TO_PUPILS, starts_on__gte=today)
    if step_free:
        qs = qs.filter(Q(mode=Opportunity.Mode.VIRTUAL) | Q(site__step_free_access=True))
    windows = open_windows(pupil=pupil, today=today)
    if not show_all:
        if not windows:
            return []
        qs = qs.filter(_any_of(Q(starts_on__lte=w.ends_on, ends_on__gte=w.starts_on) for w in windows))
    limit = minutes_limit(pupil, max_minutes)
    # A grid box around home first, so the exact estimate runs on few rows.
    reach = int(reach_metres(limit))
    qs = qs.filter(
        Q(mode=Opportunity.Mode.VIRTUAL)
        | Q(
            site__easting__range=(pupil.easting - reach, pupil.easting + reach),
            site__northing__range=(pupil.northing - reach, pupil.northing + reach),
        )
    )
    rows = [
        _Row(*values)
        for values in qs.values_list(
            "pk", "mode", "starts_on", "ends_on", "minimum_age", "site__easting", "site__northing"
        )
    ]
    minutes = journey_minutes(home=pupil.grid_point, destinations=[r.destination for r in rows])
    found = []
    for row, mins in zip(rows, minutes, strict=True):
        if mins > limit:
            continue
        can_apply = old_enough(pupil, row) and in_a_window(row, windows)
        if can_apply or show_all:
            found.append(Reachable(row.pk, row.starts_on, mins, can_apply))
    found.sort(key=lambda r: (r.minutes, r.starts_on, r.opportunity_id))
    return found


def opportunities_of(rows: Sequence[Reachable]) -> list[Opportunity]:
    """The full opportunities behind ``rows`` (a page of them), in the same order."""
    by_id = Opportunity.objects.select_related("employer", "site", "sector").in_bulk(
        [r.opportunity_id for r in rows]
    )
    return [by_id[r.opportunity_id] for r in rows]


def pupils_reaching(*, opportunity: Opportunity, pupils: Sequence[Pupil]) -> list[tuple[Pupil, int]]:
    """Rules 2-4 and the age rule seen from the opportunity: (pupil, minutes) for those who can
    reach it. Refill asks this; windows and the start date it checks in its own query."""
    pupils = [
        p
        for p in pupils
        if old_enough(p, opportunity) and step_free_ok(opportunity, step_free=p.needs_step_free_access)
    ]
    if not pupils:
        return []
    destination = destination_of(opportunity)
    homes = (np.array([p.easting for p in pupils]), np.array([p.northing for p in pupils]))
    minutes = estimate_travel_minutes(
        homes[0],
        homes[1],
        np.full(len(pupils), destination[0]) if destination else homes[0],
        np.full(len(pupils), destination[1]) if destination else homes[1],
        np.full(len(pupils), destination is None),
    )
    whole = [math.ceil(float(m)) for m in minutes]
    return [(p, m) for p, m in zip(pupils, whole, strict=True) if m <= minutes_limit(p, None)]


def journeys_to(pupil: Pupil, opportunities: Sequence[Opportunity]) -> list[Journey]:
    """One journey (minutes, walk or bus, fare) per opportunity, from the pupil's home on its first day."""
    return journeys(
        home=pupil.grid_point,
        trips=[(destination_of(o), o.starts_on) for o in opportunities],
        traveller=Traveller(pupil.date_of_birth, pupil.care_experienced),
    )


def _any_of(conditions: Iterable[Q]) -> Q:
    combined = Q(pk__in=[])
    for condition in conditions:
        combined |= condition
    return combined
