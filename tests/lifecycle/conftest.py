"""A small world for lifecycle tests: one school with an adviser, one compliant employer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from employers.models import Employer, Opportunity
from mobility.accounts.models import User
from mobility.outbox.models import OutboxMessage
from placements.lifecycle import services
from placements.models import Match, MatchRun, MatchStatus
from schools.models import CareersAdviser, Pupil, School, SchoolStaff
from tests import factories as f

NOW = f.NOW


@dataclass
class World:
    school: School
    staff: SchoolStaff
    adviser: CareersAdviser
    employer: Employer
    member: User
    opportunity: Opportunity
    run: MatchRun

    def pupil(self, **fields: Any) -> Pupil:
        fields.setdefault("school", self.school)
        return f.PupilFactory.create(**fields)

    def opportunity_with(self, **fields: Any) -> Opportunity:
        fields.setdefault("employer", self.employer)
        return f.OpportunityFactory.create(**fields)

    def match(
        self,
        *,
        pupil: Pupil | None = None,
        opportunity: Opportunity | None = None,
        to: str = MatchStatus.PROPOSED,
        run: MatchRun | None = None,
    ) -> Match:
        """A match moved through the real services to status ``to``."""
        match = f.MatchFactory.create(
            run=run or self.run, pupil=pupil or self.pupil(), opportunity=opportunity or self.opportunity
        )
        return advance(self, match, to)


PATH = [
    MatchStatus.APPROVED,
    MatchStatus.OFFERED,
    MatchStatus.EMPLOYER_CONFIRMED,
    MatchStatus.ACCEPTED,
    MatchStatus.CONFIRMED,
]


def advance(world: World, match: Match, to: str, *, now: dt.datetime = NOW) -> Match:
    adviser = world.adviser.user
    member = match.opportunity.employer.members.first()
    assert member is not None
    steps = {
        MatchStatus.APPROVED: lambda: services.match_approve(match_id=match.pk, actor=adviser, now=now),
        MatchStatus.OFFERED: lambda: services.match_offer(match_id=match.pk, actor=adviser, now=now),
        MatchStatus.EMPLOYER_CONFIRMED: lambda: services.match_employer_confirm(
            match_id=match.pk, actor=member.user, now=now
        ),
        MatchStatus.ACCEPTED: lambda: services.match_accept(
            match_id=match.pk, actor=match.pupil.user, now=now
        ),
        MatchStatus.CONFIRMED: lambda: services.match_confirm(
            match_id=match.pk, actor=world.staff.user, now=now
        ),
    }
    if to == MatchStatus.PROPOSED:
        return match
    for status in PATH:
        match.refresh_from_db()
        if match.status != status:
            steps[status]()
            relayed(now)
        if status == to:
            break
    match.refresh_from_db()
    assert match.status == to, (match.status, to)
    return match


def relayed(at: dt.datetime) -> None:
    """The outbox relay handed the waiting tasks to the broker at ``at`` (these tests run no relay)."""
    OutboxMessage.objects.filter(sent_at__isnull=True).update(sent_at=at)


@pytest.fixture
def world(db: None) -> World:
    school = f.SchoolFactory.create()
    f.WindowFactory.create(school=school)
    employer = f.EmployerFactory.create()
    f.ComplianceFactory.create(employer=employer)
    member = f.EmployerMemberFactory.create(employer=employer)
    return World(
        school=school,
        staff=f.SchoolStaffFactory.create(school=school),
        adviser=f.CareersAdviserFactory.create(schools=[school]),
        employer=employer,
        member=member.user,
        opportunity=f.OpportunityFactory.create(employer=employer, capacity=2),
        run=f.MatchRunFactory.create(),
    )
