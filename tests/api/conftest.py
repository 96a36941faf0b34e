"""Two of everything for the API tests: what each role owns, and what belongs to others.

"Own" objects are in scope for the pupil, the employer member, the school staff member and
the adviser below; "other" objects (another school in another region, another employer)
are in scope for none of them, only for the admin.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from employers.models import ComplianceRecord, Employer, Opportunity, Site
from mobility.accounts.models import Role, User
from placements.models import SEAT_HOLDING_STATUSES, Application, Match, MatchRun, MatchStatus
from schools.models import Pupil, School, WorkExperienceWindow
from tests import factories as f
from tests.sharing import rolled_back_at_end

ROLES = ("anonymous", "pupil", "employer", "school_staff", "adviser", "admin")


@dataclass
class Side:
    """One side of the world: a school, a pupil, an employer and what joins them."""

    school: School
    window: WorkExperienceWindow
    pupil: Pupil
    employer: Employer
    site: Site
    spare_site: Site
    opportunity: Opportunity
    draft: Opportunity
    compliance: ComplianceRecord
    application: Application
    run: MatchRun
    match: Match


@dataclass
class ApiWorld:
    own: Side
    other: Side
    users: dict[str, User] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)  # plain API tokens, by role
    spare_opportunity: Opportunity | None = None

    def side(self, which: str) -> Side:
        return self.own if which == "own" else self.other

    def client(self, role: str) -> APIClient:
        client = APIClient()
        if role != "anonymous":
            client.credentials(HTTP_AUTHORIZATION=f"Token {self.tokens[role]}")
        return client

    def set_status(self, status: str, **opportunity_fields: Any) -> None:
        """Test set-up only: put both sides' matches straight into ``status``."""
        for side in (self.own, self.other):
            Match.objects.filter(pk=side.match.pk).update(status=status)
            seats = int(status in SEAT_HOLDING_STATUSES)
            Opportunity.objects.filter(pk=side.opportunity.pk).update(seats_taken=seats, **opportunity_fields)


def build_side(code: str, la_code: str) -> Side:
    region = f.RegionFactory.create(code=code, name=f"Region {code}")
    la = f.LocalAuthorityFactory.create(code=la_code, name=f"Authority {la_code}", region=region)
    school = f.SchoolFactory.create(local_authority=la)
    window = f.WindowFactory.create(school=school)
    # Home and workplace about a kilometre apart in central Liverpool.
    pupil = f.PupilFactory.create(
        school=school, postcode="L1 8JQ", access_needs="Needs a quiet room", care_experienced=True
    )
    employer = f.EmployerFactory.create()
    compliance = f.ComplianceFactory.create(employer=employer)
    site = f.SiteFactory.create(employer=employer, postcode="L2 2DH")
    opportunity = f.OpportunityFactory.create(employer=employer, site=site)
    run = f.MatchRunFactory.create(region=region)
    return Side(
        school=school,
        window=window,
        pupil=pupil,
        employer=employer,
        site=site,
        spare_site=f.SiteFactory.create(employer=employer, name="Spare"),
        opportunity=opportunity,
        draft=f.OpportunityFactory.create(employer=employer, site=site, status=Opportunity.Status.DRAFT),
        compliance=compliance,
        application=f.ApplicationFactory.create(pupil=pupil, opportunity=opportunity),
        run=run,
        match=f.MatchFactory.create(
            run=run, pupil=pupil, opportunity=opportunity, status=MatchStatus.OFFERED
        ),
    )


def build_world() -> ApiWorld:
    own, other = build_side("lcr", "E08000012"), build_side("other", "E06000006")
    Opportunity.objects.filter(pk__in=[own.opportunity.pk, other.opportunity.pk]).update(seats_taken=1)
    world = ApiWorld(own=own, other=other)
    world.users = {
        "pupil": own.pupil.user,
        "employer": f.EmployerMemberFactory.create(employer=own.employer).user,
        "school_staff": f.SchoolStaffFactory.create(school=own.school).user,
        "adviser": f.CareersAdviserFactory.create(schools=[own.school]).user,
        "admin": f.UserFactory.create(role=Role.ADMIN),
    }
    for role, user in world.users.items():
        world.tokens[role] = AuthToken.objects.create(user=user)[1]
    f.EmployerMemberFactory.create(employer=other.employer)
    world.spare_opportunity = f.OpportunityFactory.create(employer=own.employer, site=own.site)
    return world


@pytest.fixture(scope="module")
def shared_api_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[ApiWorld]:
    """Built once per module inside a transaction that is rolled back at the end; each test
    runs in its own savepoint on top (the ``db`` fixture), so tests still cannot see each
    other's changes."""
    with rolled_back_at_end(django_db_blocker):
        yield build_world()


@pytest.fixture
def api_world(shared_api_world: ApiWorld, db: None) -> ApiWorld:
    return shared_api_world


def results(response: Any) -> list[dict[str, Any]]:
    body = response.json()
    found: list[dict[str, Any]] = body["results"] if isinstance(body, dict) and "results" in body else body
    return found


def all_keys(value: Any) -> set[str]:
    """Every key anywhere in a JSON value."""
    if isinstance(value, dict):
        return set(value) | set().union(*(all_keys(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(all_keys(v) for v in value)) if value else set()
    return set()


YESTERDAY = f.TODAY - dt.timedelta(days=1)
