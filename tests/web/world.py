"""A small world for the web tests: one of each role, with known logins, built on the shared
factories.

Grid points are set directly so journeys are exact: the pupil lives at HOME and
opportunities are placed a known distance away.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from employers.models import Employer, Opportunity
from mobility.accounts.models import Role, User
from mobility.geography.models import LocalAuthority, Region, Sector
from placements.lifecycle import services as lifecycle
from placements.models import Match, MatchStatus
from schools.models import ConsentStatus, Pupil, School
from tests import factories as f

PASSWORD = f.PASSWORD
LIVERPOOL = "E08000012"
HOME = (335000, 390000)  # central Liverpool, British National Grid metres
# A place in central Liverpool by postcode and grid point: the world's school and pupils stand here.
AT_HOME: dict[str, Any] = {
    "postcode": "L1 8JQ",
    "easting": HOME[0],
    "northing": HOME[1],
    "local_authority_code": LIVERPOOL,
}
_serial = itertools.count(1)


def user(email: str, role: str, first_name: str, last_name: str = "Example") -> User:
    return f.UserFactory.create(email=email, role=role, first_name=first_name, last_name=last_name)


@dataclass
class WebWorld:
    region: Region
    liverpool: LocalAuthority
    sectors: dict[str, Sector]
    school: School
    staff: User
    adviser: User
    employer: Employer
    member: User
    pupil: Pupil
    window_start: dt.date
    opportunities: list[Opportunity] = field(default_factory=list)

    @property
    def window_end(self) -> dt.date:
        return self.window_start + dt.timedelta(days=4)

    def add_pupil(self, first_name: str, **fields: Any) -> Pupil:
        n = next(_serial)
        account = user(f"pupil{n}@school.test", Role.PUPIL, first_name, f"Surname{n}")
        values: dict[str, Any] = {
            "date_of_birth": self.window_start - dt.timedelta(days=15 * 365 + 30),
            "postcode": "L1 8JQ",
            "easting": HOME[0],
            "northing": HOME[1],
            "local_authority_code": LIVERPOOL,
            "parental_consent_recorded_at": None,
            **fields,
        }
        return f.PupilFactory.create(user=account, school=self.school, **values)

    def add_opportunity(
        self,
        title: str,
        *,
        metres_east: int = 1000,
        sector: str = "digital",
        step_free: bool = True,
        employer: Employer | None = None,
        **fields: Any,
    ) -> Opportunity:
        n = next(_serial)
        employer = employer or self.employer
        site = f.SiteFactory.create(
            employer=employer,
            name=f"Site {n}",
            address=f"{n} Dale Street, Liverpool",
            postcode="L2 2DP",
            step_free_access=step_free,
            easting=HOME[0] + metres_east,
            northing=HOME[1],
            local_authority_code=LIVERPOOL,
        )
        values: dict[str, Any] = {
            "description": f"You will help the {title.lower()} team for a week.",
            "starts_on": self.window_start,
            "ends_on": self.window_end,
            **fields,
        }
        opportunity = f.OpportunityFactory.create(
            employer=employer, site=site, sector=self.sectors[sector], title=title, **values
        )
        self.opportunities.append(opportunity)
        return opportunity

    def match(self, pupil: Pupil, opportunity: Opportunity, *, to: str = MatchStatus.PROPOSED) -> Match:
        """A proposed match, then moved through the real lifecycle services to status ``to``."""
        match = f.MatchFactory.create(
            run=f.MatchRunFactory.create(region=self.region),
            pupil=pupil,
            opportunity=opportunity,
            rank=1,
            travel_minutes=12,
            priority_tier=3,
            explanation="Your first choice: you had priority as one of the nearest pupils.",
        )
        steps = [
            (MatchStatus.APPROVED, lambda: lifecycle.match_approve(match_id=match.pk, actor=self.adviser)),
            (MatchStatus.OFFERED, lambda: lifecycle.match_offer(match_id=match.pk, actor=self.adviser)),
            (
                MatchStatus.EMPLOYER_CONFIRMED,
                lambda: lifecycle.match_employer_confirm(match_id=match.pk, actor=self.member),
            ),
            (MatchStatus.CONFIRMED, lambda: lifecycle.match_accept(match_id=match.pk, actor=pupil.user)),
        ]
        for _status, step in steps:
            if match.status == to:
                break
            step()
            match.refresh_from_db()
        assert match.status == to, f"could not move the match to {to}, it is {match.status}"
        return match

    def apply(self, pupil: Pupil, *opportunities: Opportunity) -> None:
        for rank, opportunity in enumerate(opportunities, start=1):
            f.ApplicationFactory.create(pupil=pupil, opportunity=opportunity, rank=rank)


def build_world() -> WebWorld:
    region = f.RegionFactory.create(code="lcr", name="Liverpool City Region")
    liverpool = f.LocalAuthorityFactory.create(code=LIVERPOOL, name="Liverpool", region=region)
    sectors = f.world_sectors()
    school = f.SchoolFactory.create(
        urn="100001",
        name="Dale Street Academy",
        local_authority=liverpool,
        **AT_HOME,
    )
    start = f.TODAY + dt.timedelta(days=30)
    f.WindowFactory.create(
        school=school, starts_on=start, ends_on=start + dt.timedelta(days=4), application_deadline=None
    )
    staff = user("staff@school.test", Role.SCHOOL_STAFF, "Sam")
    f.SchoolStaffFactory.create(user=staff, school=school)
    adviser = user("adviser@careers.test", Role.ADVISER, "Ada")
    f.CareersAdviserFactory.create(user=adviser, organisation="Careers Hub", schools=[school])
    employer = f.EmployerFactory.create(name="Mersey Code Works", sector=sectors["digital"])
    f.ComplianceFactory.create(
        employer=employer,
        insurer="Acme Insurance",
        insurance_policy_number="",
        insurance_expires_on=start + dt.timedelta(days=20),
        risk_assessment_on=start - dt.timedelta(days=30),
        supervisor_name="Pat Supervisor",
        supervisor_role="",
        safeguarding_checks="",
        checked_on=None,
        verification_note="Certificate seen.",
    )
    member = user("member@employer.test", Role.EMPLOYER, "Morgan")
    f.EmployerMemberFactory.create(user=member, employer=employer, job_title="")
    pupil = f.PupilFactory.create(
        user=user("pupil@school.test", Role.PUPIL, "Riley", "Jones"),
        school=school,
        date_of_birth=start - dt.timedelta(days=15 * 365 + 30),
        **AT_HOME,
        fsm_or_pupil_premium=True,
        access_needs="Needs a quiet space at lunch.",
        parental_consent=ConsentStatus.NOT_REQUESTED,
        parental_consent_recorded_at=None,
    )
    return WebWorld(
        region=region,
        liverpool=liverpool,
        sectors=sectors,
        school=school,
        staff=staff,
        adviser=adviser,
        employer=employer,
        member=member,
        pupil=pupil,
        window_start=start,
    )
