"""Demo applications: each pupil ranks up to five nearby placements in their window, or none."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict

import numpy as np

from employers.models import Opportunity
from placements.models import Application
from schools.models import Pupil

from .plan import weighted
from .schools import SchoolPlan

APPLICATIONS_PER_PUPIL = ((0, 20), (1, 8), (2, 12), (3, 20), (4, 15), (5, 25))
# Pupils look at placements within this distance of school, and mostly in sectors they like.
SEARCH_RADIUS_M = 10_000
FROM_INTERESTS = 0.75


def build_applications(
    rng: random.Random,
    plans: list[SchoolPlan],
    pupils: list[Pupil],
    interests: dict[int, list[int]],
    opportunities: list[Opportunity],
) -> None:
    """Create ranked applications; the demo pupil ranks the demo firm's placement first."""
    table = _OpportunityTable(opportunities)
    by_cohort: dict[tuple[int, int], list[Pupil]] = defaultdict(list)
    for pupil in pupils:
        by_cohort[pupil.school_id, pupil.year_group].append(pupil)

    applications = []
    for plan in plans:
        for year, window in plan.windows.items():
            candidates = table.candidates(plan, year, window)
            by_sector: dict[int, list[int]] = defaultdict(list)
            for i in candidates:
                by_sector[int(table.sector[i])].append(int(i))
            for pupil in by_cohort[plan.school.pk, year]:
                if pupil is pupils[0]:
                    anywhere = table.candidates(plan, year, window, radius_m=math.inf)
                    chosen = _demo_pupil_choices(rng, candidates, anywhere, table)
                else:
                    chosen = _choose(rng, candidates, by_sector, interests[pupil.pk])
                applications += [
                    Application(pupil=pupil, opportunity=opportunities[i], rank=rank)
                    for rank, i in enumerate(chosen, start=1)
                ]
    Application.objects.bulk_create(applications, batch_size=2000)


class _OpportunityTable:
    def __init__(self, opportunities: list[Opportunity]) -> None:
        self.easting = np.array([o.site.easting if o.site else 0 for o in opportunities], dtype=np.float64)
        self.northing = np.array([o.site.northing if o.site else 0 for o in opportunities], dtype=np.float64)
        self.start = np.array([o.starts_on.toordinal() for o in opportunities])
        self.end = np.array([o.ends_on.toordinal() for o in opportunities])
        self.minimum_age = np.array([o.minimum_age for o in opportunities])
        self.sector = np.array([o.sector_id for o in opportunities])
        self.published = np.array([o.status == Opportunity.Status.PUBLISHED for o in opportunities])

    def candidates(
        self, plan: SchoolPlan, year: int, window: tuple[dt.date, dt.date], radius_m: float = SEARCH_RADIUS_M
    ) -> np.ndarray:
        """Indices of published placements near the school, inside the window, open to the year group."""
        distance = np.hypot(self.easting - plan.location.easting, self.northing - plan.location.northing)
        youngest_age = year + 4  # on the first day of a summer placement
        (found,) = np.nonzero(
            self.published
            & (distance <= radius_m)
            & (self.minimum_age <= youngest_age)
            & (self.start <= window[1].toordinal())
            & (self.end >= window[0].toordinal())
        )
        return found


def _choose(
    rng: random.Random, candidates: np.ndarray, by_sector: dict[int, list[int]], liked: list[int]
) -> list[int]:
    if not len(candidates):
        return []
    wanted = weighted(rng, APPLICATIONS_PER_PUPIL)
    liked = [s for s in liked if s in by_sector]
    chosen: list[int] = []
    for _ in range(wanted * 3):
        if len(chosen) == wanted:
            break
        pool = by_sector[rng.choice(liked)] if liked and rng.random() < FROM_INTERESTS else candidates
        pick = int(rng.choice(pool))
        if pick not in chosen:
            chosen.append(pick)
    return chosen


def _demo_pupil_choices(
    rng: random.Random, nearby: np.ndarray, anywhere: np.ndarray, table: _OpportunityTable
) -> list[int]:
    """The demo firm's placement (index 0) first, then another near school, in the same sector if possible.

    Always two choices, so the demo shows a ranked list.
    """
    others = [int(i) for i in nearby if i != 0] or [int(i) for i in anywhere if i != 0]
    same_sector = [i for i in others if table.sector[i] == table.sector[0]]
    return [0, rng.choice(same_sector or others)]
