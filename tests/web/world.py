"""A small, hand-built world for the web tests: one of each role, with known logins.

Grid points are set directly so journeys are exact: the pupil lives at HOME and
opportunities are placed a known distance away.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from employers.models import ComplianceRecord, Employer, EmployerMember, Opportunity, Site
from mobility.accounts.models import Role, User
from mobility.geography.models import LocalAuthority, Region, Sector
from placements.lifecycle import services as lifecycle
from placements.models import Application, Match, MatchRun, MatchStatus
from schools.models import CareersAdviser, ConsentStatus, Pupil, School, SchoolStaff, WorkExperienceWindow

PASSWORD = "correct-horse-battery"
LIVERPOOL = "E08000012"
HOME = (335000, 390000)  # central Liverpool, British National Grid metres
_serial = itertools.count(1)


def user(email: str, role: str, first_name: str, last_name: str = "Example") -> User:
    return User.objects.create_user(email, PASSWORD, first_name=first_name, last_name=last_name, role=role)


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
            "year_group": 10,
            "date_of_birth": self.window_start - dt.timedelta(days=15 * 365 + 30),
            "postcode": "L1 8JQ",
            "easting": HOME[0],
            "northing": HOME[1],
            "local_authority_code": LIVERPOOL,
            "parental_consent": ConsentStatus.GIVEN,
        }
        values.update(fields)
        return Pupil.objects.create(user=account, school=self.school, **values)

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
        site = Site.objects.create(
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
            "capacity": 2,
            "starts_on": self.window_start,
            "ends_on": self.window_end,
            "status": Opportunity.Status.PUBLISHED,
        }
        values.update(fields)
        opportunity = Opportunity.objects.create(
            employer=employer, site=site, sector=self.sectors[sector], title=title, **values
        )
        self.opportunities.append(opportunity)
        return opportunity

    def match(self, pupil: Pupil, opportunity: Opportunity, *, to: str = MatchStatus.PROPOSED) -> Match:
        """A proposed match, then moved through the real lifecycle services to status ``to``."""
        run = MatchRun.objects.create(region=self.region, seed=1, status=MatchRun.Status.SUCCEEDED)
        match = Match.objects.create(
            run=run,
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
            Application.objects.create(pupil=pupil, opportunity=opportunity, rank=rank)


def build_world() -> WebWorld:
    region = Region.objects.create(code="lcr", name="Liverpool City Region")
    liverpool = LocalAuthority.objects.create(code=LIVERPOOL, name="Liverpool", region=region)
    sectors = {
        slug: Sector.objects.create(slug=slug, name=name, sic_sections=sic)
        for slug, name, sic in (
            ("digital", "Digital and creative", "J"),
            ("health", "Health and social care", "Q"),
            ("retail", "Retail", "G"),
        )
    }
    school = School.objects.create(
        urn="100001",
        name="Dale Street Academy",
        phase=School.Phase.SECONDARY,
        local_authority=liverpool,
        postcode="L1 8JQ",
        easting=HOME[0],
        northing=HOME[1],
        local_authority_code=LIVERPOOL,
    )
    start = dt.date.today() + dt.timedelta(days=30)
    WorkExperienceWindow.objects.create(
        school=school, year_group=10, starts_on=start, ends_on=start + dt.timedelta(days=4)
    )
    staff = user("staff@school.test", Role.SCHOOL_STAFF, "Sam")
    SchoolStaff.objects.create(user=staff, school=school)
    adviser = user("adviser@careers.test", Role.ADVISER, "Ada")
    CareersAdviser.objects.create(user=adviser, organisation="Careers Hub").schools.add(school)
    employer = Employer.objects.create(name="Mersey Code Works", sector=sectors["digital"])
    ComplianceRecord.objects.create(
        employer=employer,
        insurer="Acme Insurance",
        insurance_expires_on=start + dt.timedelta(days=20),
        risk_assessment_on=start - dt.timedelta(days=30),
        verified_at=timezone.now(),
        verification_note="Certificate seen.",
        supervisor_name="Pat Supervisor",
    )
    member = user("member@employer.test", Role.EMPLOYER, "Morgan")
    EmployerMember.objects.create(user=member, employer=employer)
    pupil_user = user("pupil@school.test", Role.PUPIL, "Riley", "Jones")
    pupil = Pupil.objects.create(
        user=pupil_user,
        school=school,
        year_group=10,
        date_of_birth=start - dt.timedelta(days=15 * 365 + 30),
        postcode="L1 8JQ",
        easting=HOME[0],
        northing=HOME[1],
        local_authority_code=LIVERPOOL,
        fsm_or_pupil_premium=True,
        access_needs="Needs a quiet space at lunch.",
        parental_consent=ConsentStatus.NOT_REQUESTED,
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
