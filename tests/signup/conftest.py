"""A region with a school and its adviser, and an organisation that has just signed itself up."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from employers.models import Employer, EmployerMember, Opportunity
from mobility.accounts.models import User
from schools.models import Pupil
from tests import factories as f


@dataclass
class SignUpWorld:
    adviser: User  # advises a school in the Liverpool City Region
    far_adviser: User  # advises a school in another region only
    pupil: Pupil
    pending: Employer  # signed itself up; its contact has set a password
    contact: EmployerMember
    opportunity: Opportunity  # the pending organisation's, published and in the pupil's reach


def pending_employer(*, postcode: str = "L2 2DH", **fields: object) -> tuple[Employer, EmployerMember]:
    employer = f.EmployerFactory.create(pending=True, **fields)
    f.SiteFactory.create(employer=employer, postcode=postcode)
    member = f.EmployerMemberFactory.create(employer=employer)
    Employer.objects.filter(pk=employer.pk).update(contact=member.user)
    employer.refresh_from_db()
    return employer, member


@pytest.fixture
def sign_up_world(db: None) -> SignUpWorld:
    school = f.SchoolFactory.create()
    f.WindowFactory.create(school=school)
    far_region = f.RegionFactory.create(code="gm", name="Greater Manchester")
    far_la = f.LocalAuthorityFactory.create(code="E08000003", name="Manchester", region=far_region)
    far_school = f.SchoolFactory.create(postcode="M1 1AE", local_authority=far_la)
    employer, member = pending_employer()
    f.ComplianceFactory.create(employer=employer)
    return SignUpWorld(
        adviser=f.CareersAdviserFactory.create(schools=[school]).user,
        far_adviser=f.CareersAdviserFactory.create(schools=[far_school]).user,
        pupil=f.PupilFactory.create(school=school, postcode="L1 8JQ"),
        pending=employer,
        contact=member,
        opportunity=f.OpportunityFactory.create(employer=employer, site=employer.sites.get()),
    )
