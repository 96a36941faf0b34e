"""Demo compliance records: most employers checked and in date, about 9% not."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from employers.models import ComplianceRecord

from . import names
from .plan import TODAY, date_between

if TYPE_CHECKING:
    from .employers import EmployerPlan

# What can be wrong with an employer's checks; together about 9% of employers.
PROBLEM_RATE = 0.09
PROBLEMS = (
    "insurance_expired",
    "risk_assessment_stale",  # done more than a year before the placement
    "missing",  # never recorded
)
VERIFIED_NOTE = "Insurance certificate and risk assessment seen by the placement organiser."
SAFEGUARDING = "Named supervisor briefed on safeguarding; no regulated activity, so no DBS check."


def build_compliance(rng: random.Random, plans: list[EmployerPlan]) -> None:
    # The demo firm (first) is always in order.
    troubled = rng.sample(range(1, len(plans)), round(PROBLEM_RATE * len(plans)))
    problems = {number: PROBLEMS[n % len(PROBLEMS)] for n, number in enumerate(troubled)}
    records = []
    for number, plan in enumerate(plans):
        problem = problems.get(number)
        if problem == "missing":
            continue
        # In date: the assessment and the cover both outlast the summer placements.
        risk_assessed = date_between(rng, dt.date(TODAY.year, 8, 1), TODAY)
        checked_on = date_between(rng, risk_assessed, TODAY)
        insurance_expires = date_between(rng, dt.date(TODAY.year + 1, 8, 31), dt.date(TODAY.year + 2, 3, 31))
        if problem == "insurance_expired":
            insurance_expires = date_between(rng, dt.date(TODAY.year, 3, 31), TODAY - dt.timedelta(days=1))
        elif problem == "risk_assessment_stale":
            risk_assessed = date_between(rng, dt.date(TODAY.year - 2, 9, 1), TODAY - dt.timedelta(days=400))
        first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.SURNAMES)
        records.append(
            ComplianceRecord(
                employer=plan.employer,
                insurer=rng.choice(names.INSURERS),
                insurance_policy_number=f"EL-{rng.randint(100000, 999999)}",
                insurance_expires_on=insurance_expires,
                risk_assessment_on=risk_assessed,
                supervisor_name=f"{first} {last}",
                supervisor_role=rng.choice(names.SUPERVISOR_ROLES),
                safeguarding_checks=SAFEGUARDING,
                checked_on=checked_on,
                verified_at=dt.datetime.combine(checked_on, dt.time(10), tzinfo=dt.UTC),
                verification_note=VERIFIED_NOTE,
            )
        )
    ComplianceRecord.objects.bulk_create(records)
