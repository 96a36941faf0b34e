"""Last school year, so the regional report and the open data have two years to show.

Pupils now in Year 12 had their placements a year ago: most completed one near school (a
first choice more often than not), the rest applied and were not placed. The placements are
last year's copies of this year's, closed, at the same sites.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from django.utils import timezone

from employers.models import Opportunity
from mobility.geography.models import Region
from placements.models import Application, Match, MatchRun, MatchStatus
from schools.models import Pupil

PLACED_SHARE = 0.7
FIRST_CHOICE_SHARE = 0.65
A_YEAR = dt.timedelta(weeks=52)
NEAR_M = 12_000
# What last year's placement had in common with this year's.
REPEATED = (
    "employer",
    "site",
    "title",
    "description",
    "sector",
    "capacity",
    "daily_hours",
    "minimum_age",
    "mode",
)


def build_history(
    rng: random.Random, region: Region, pupils: list[Pupil], opportunities: list[Opportunity]
) -> None:
    in_person = [o for o in opportunities if o.site is not None]
    last_year = [
        Opportunity(
            **{name: getattr(o, name) for name in REPEATED},
            starts_on=o.starts_on - A_YEAR,
            ends_on=o.ends_on - A_YEAR,
            status=Opportunity.Status.CLOSED,
        )
        for o in rng.sample(in_person, k=min(len(in_person), 120))
    ]
    Opportunity.objects.bulk_create(last_year)
    run = MatchRun.objects.create(
        region=region, seed=rng.randrange(1, 10**6), status=MatchRun.Status.SUCCEEDED
    )
    MatchRun.objects.filter(pk=run.pk).update(
        stage=MatchRun.Stage.DONE,
        progress=1.0,
        created_at=timezone.now() - A_YEAR,
        finished_at=timezone.now() - A_YEAR,
    )
    seats = {o.pk: o.capacity for o in last_year}
    applications, matches = [], []
    for pupil in (p for p in pupils if p.year_group == 12):
        near = sorted(last_year, key=lambda o: _metres(pupil, o))[:6]
        choices = rng.sample(near, k=min(3, len(near)))
        applications += [
            Application(pupil=pupil, opportunity=o, rank=rank, status=Application.Status.WITHDRAWN)
            for rank, o in enumerate(choices, start=1)
        ]
        if rng.random() >= PLACED_SHARE:
            continue
        rank = (
            1
            if rng.random() < FIRST_CHOICE_SHARE
            else rng.randint(2, len(choices))
            if len(choices) > 1
            else 1
        )
        placement = choices[rank - 1]
        if seats[placement.pk] == 0:
            continue
        seats[placement.pk] -= 1
        matches.append(
            Match(
                run=run,
                pupil=pupil,
                opportunity=placement,
                status=MatchStatus.COMPLETED,
                rank=rank,
                travel_minutes=min(90, round(10 + _metres(pupil, placement) / 300)),
                priority_tier=int(pupil.is_disadvantaged),
            )
        )
    Application.objects.bulk_create(applications)
    Match.objects.bulk_create(matches)
    for o in last_year:
        Opportunity.objects.filter(pk=o.pk).update(seats_taken=o.capacity - seats[o.pk])


def _metres(pupil: Pupil, opportunity: Opportunity) -> float:
    site = opportunity.site
    assert site is not None
    return math.hypot(pupil.easting - site.easting, pupil.northing - site.northing)
