"""A school with a Year 10 window, its staff and adviser, and a pupil who found a placement."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from mobility.geography.models import Sector
from placements.selffound import services
from placements.selffound.models import Proposal
from schools.models import CareersAdviser, ConsentStatus, Pupil, School, SchoolStaff
from tests import factories as f

PROPOSED = {
    "employer_name": "Corner Bakery",
    "contact_name": "Pat Baker",
    "contact_email": "pat@bakery.example",
    "contact_phone": "0151 000 0000",
    "address": "2 Bold Street, Liverpool",
    "postcode": "L1 4DS",
    "starts_on": f.WINDOW_START,
    "ends_on": f.WINDOW_END,
    "pupil_plans": "Help in the shop and learn to bake bread.",
}
CHECKS = {"health_and_safety_checked": True, "safeguarding_checked": True, "note": "Certificate seen."}


def employer_part(sector: Sector, **over: Any) -> dict[str, Any]:
    return {
        "sector": sector,
        "site_name": "Bold Street shop",
        "step_free_access": True,
        "daily_hours": 6,
        "supervisor_name": "Pat Baker",
        "supervisor_role": "Owner",
        "duties": "Serving customers, stock and baking.",
        "insurer": "Test Mutual",
        "insurance_policy_number": "EL-1234",
        "insurance_expires_on": f.WINDOW_END + dt.timedelta(days=365),
        "risk_assessment_on": f.TODAY - dt.timedelta(days=10),
        **over,
    }


@dataclass
class Found:
    school: School
    staff: SchoolStaff
    adviser: CareersAdviser
    pupil: Pupil
    sector: Sector

    def propose(self, pupil: Pupil | None = None, **over: Any) -> Proposal:
        return services.proposal_submit(pupil=pupil or self.pupil, data={**PROPOSED, **over})

    def completed(self, pupil: Pupil | None = None, **over: Any) -> Proposal:
        proposal = self.propose(pupil)
        token = services.employer_link_issue(proposal=proposal)
        link = services.employer_link_open(token=token)
        return services.proposal_employer_complete(link=link, data=employer_part(self.sector, **over))

    def approved(self, pupil: Pupil | None = None) -> Proposal:
        proposal = self.completed(pupil)
        return services.proposal_approve(proposal_id=proposal.pk, actor=self.staff.user, checks=CHECKS)


@pytest.fixture
def found(db: None) -> Found:
    school = f.SchoolFactory.create()
    f.WindowFactory.create(school=school)
    return Found(
        school=school,
        staff=f.SchoolStaffFactory.create(school=school),
        adviser=f.CareersAdviserFactory.create(schools=[school]),
        pupil=f.PupilFactory.create(school=school, parental_consent=ConsentStatus.NOT_REQUESTED),
        sector=f.SectorFactory.create(),
    )
