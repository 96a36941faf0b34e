"""Demo placements: mostly a week in June or July, one to six seats each."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import TYPE_CHECKING

from employers.models import Opportunity

from . import names
from .plan import OPPORTUNITY_WEEKS, YEAR10_WEEKS, weighted

if TYPE_CHECKING:
    from .employers import EmployerPlan

CAPACITY = ((1, 30), (2, 30), (3, 15), (4, 12), (5, 7), (6, 6))
# (first day after Monday, last day after Monday): a week, three days, two weeks, a taster day.
SPANS = (((0, 4), 70), ((0, 2), 8), ((2, 4), 7), ((0, 11), 10), ((2, 2), 5))
# Share of placements open only to 16 and over (site safety, laboratories, ports).
SIXTEEN_PLUS = {
    "construction": 0.35,
    "maritime-logistics": 0.3,
    "life-sciences-health": 0.25,
    "advanced-manufacturing": 0.2,
    "clean-growth": 0.2,
}
SIXTEEN_PLUS_OTHERWISE = 0.06
MODES = {
    "digital-creative": (("in_person", 60), ("hybrid", 30), ("virtual", 10)),
    "financial-professional": (("in_person", 75), ("hybrid", 20), ("virtual", 5)),
}
MODES_OTHERWISE = (("in_person", 95), ("hybrid", 5))
STATUS = ((Opportunity.Status.PUBLISHED, 94), (Opportunity.Status.DRAFT, 4), (Opportunity.Status.CLOSED, 2))
DAILY_HOURS = ((Decimal("6.0"), 2), (Decimal("6.5"), 3), (Decimal("7.0"), 4), (Decimal("7.5"), 1))


def build_opportunities(
    rng: random.Random, plans: list[EmployerPlan], per_employer: list[int]
) -> list[Opportunity]:
    opportunities = []
    for plan, count in zip(plans, per_employer, strict=True):
        if plan.is_demo_firm:
            opportunities.append(_demo_firm_placement(plan))
            continue
        for _ in range(count):
            opportunities.append(_opportunity(rng, plan))
    return Opportunity.objects.bulk_create(opportunities, batch_size=1000)


def _opportunity(rng: random.Random, plan: EmployerPlan) -> Opportunity:
    employer, sector = plan.employer, plan.employer.sector
    site = rng.choice(plan.sites)
    title = rng.choice(names.OPPORTUNITY_TITLES[sector.slug])
    monday = weighted(rng, OPPORTUNITY_WEEKS)
    first, last = weighted(rng, SPANS)
    sixteen_plus = rng.random() < SIXTEEN_PLUS.get(sector.slug, SIXTEEN_PLUS_OTHERWISE)
    return Opportunity(
        employer=employer,
        site=site,
        sector=sector,
        title=title,
        description=_description(title, employer.name, site.address),
        capacity=weighted(rng, CAPACITY),
        starts_on=monday + dt.timedelta(days=first),
        ends_on=monday + dt.timedelta(days=last),
        daily_hours=weighted(rng, DAILY_HOURS),
        minimum_age=16 if sixteen_plus else 14,
        mode=weighted(rng, MODES.get(sector.slug, MODES_OTHERWISE)),
        accessibility="Step-free entrance and an accessible toilet." if site.step_free_access else "",
        status=weighted(rng, STATUS),
    )


def _demo_firm_placement(plan: EmployerPlan) -> Opportunity:
    """Two seats in the demo school's Year 10 week."""
    monday = YEAR10_WEEKS[0][0]
    title = "Engineering workshop placement"
    site = plan.sites[0]
    return Opportunity(
        employer=plan.employer,
        site=site,
        sector=plan.employer.sector,
        title=title,
        description=_description(title, plan.employer.name, site.address),
        capacity=2,
        starts_on=monday,
        ends_on=monday + dt.timedelta(days=4),
        daily_hours=Decimal("7.0"),
        minimum_age=14,
        accessibility="Step-free entrance and an accessible toilet.",
        status=Opportunity.Status.PUBLISHED,
    )


def _description(title: str, employer: str, address: str) -> str:
    return (
        f"{title} with {employer} at {address}. You will work alongside the team, take on a small project "
        "of your own and find out what the jobs here involve day to day. Wear comfortable clothes; "
        "any protective equipment is provided."
    )
