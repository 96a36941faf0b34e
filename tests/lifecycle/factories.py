"""factory_boy factories for the lifecycle and API tests.

Grid points are set directly rather than looked up, so tests need no postcode data.
Dates hang off ``TODAY``: work-experience windows open in 30 days, applications close in 10.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from employers.models import ComplianceRecord, Employer, EmployerMember, Opportunity, Site
from mobility.accounts.models import Role, User
from mobility.geography.models import LocalAuthority, Region, Sector
from placements.models import Application, Match, MatchRun, MatchStatus
from schools.models import CareersAdviser, Pupil, School, SchoolStaff, WorkExperienceWindow

TODAY = timezone.localdate()
WINDOW_START = TODAY + dt.timedelta(days=30)
WINDOW_END = WINDOW_START + dt.timedelta(days=4)
DEADLINE = TODAY + dt.timedelta(days=10)
HOME = (335000, 390000)  # central Liverpool, British National Grid metres


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "lcr"
    name = "Liverpool City Region"


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority
        django_get_or_create = ("code",)

    code = "E08000012"
    name = "Liverpool"
    region = factory.SubFactory(RegionFactory)


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("slug",)

    slug = "digital"
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())
    sic_sections = "J"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Sequence(lambda n: f"Name{n}")
    last_name = "Surname"
    role = Role.PUPIL
    password = "correct horse battery"

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        return model_class.objects.create_user(*args, **kwargs)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    urn = factory.Sequence(lambda n: f"{200000 + n}")
    name = factory.Sequence(lambda n: f"School {n}")
    phase = School.Phase.SECONDARY
    local_authority = factory.SubFactory(LocalAuthorityFactory)
    postcode = "L1 8JQ"
    easting, northing = HOME
    local_authority_code = "E08000012"


class WindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkExperienceWindow

    school = factory.SubFactory(SchoolFactory)
    year_group = 10
    starts_on = WINDOW_START
    ends_on = WINDOW_END
    application_deadline = DEADLINE


class PupilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pupil

    user = factory.SubFactory(UserFactory, role=Role.PUPIL)
    school = factory.SubFactory(SchoolFactory)
    year_group = 10
    date_of_birth = WINDOW_START - dt.timedelta(days=int(15.2 * 365))
    postcode = "L1 8JQ"
    easting, northing = HOME
    local_authority_code = "E08000012"
    parental_consent = "given"


class SchoolStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolStaff

    user = factory.SubFactory(UserFactory, role=Role.SCHOOL_STAFF)
    school = factory.SubFactory(SchoolFactory)


class AdviserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareersAdviser
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, role=Role.ADVISER)
    organisation = "Careers Service"

    @factory.post_generation
    def schools(obj: CareersAdviser, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            obj.schools.set(extracted)


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"Employer {n}")
    sector = factory.SubFactory(SectorFactory)


class ComplianceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComplianceRecord

    employer = factory.SubFactory(EmployerFactory)
    insurer = "Mutual Insurance"
    insurance_policy_number = "EL-1"
    insurance_expires_on = WINDOW_END + dt.timedelta(days=200)
    risk_assessment_on = TODAY - dt.timedelta(days=30)
    supervisor_name = "Sam Supervisor"
    supervisor_role = "Team leader"
    verified_at = factory.LazyFunction(timezone.now)
    verification_note = "Insurance certificate and risk assessment seen."


class EmployerMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmployerMember

    user = factory.SubFactory(UserFactory, role=Role.EMPLOYER)
    employer = factory.SubFactory(EmployerFactory)


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    employer = factory.SubFactory(EmployerFactory)
    name = "Head office"
    address = "1 Dale Street, Liverpool"
    postcode = "L2 2DH"
    easting = HOME[0] + 1000  # a 1 km walk from the pupils' homes
    northing = HOME[1]
    local_authority_code = "E08000012"
    step_free_access = True


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    employer = factory.SubFactory(EmployerFactory)
    site = factory.SubFactory(SiteFactory, employer=factory.SelfAttribute("..employer"))
    title = factory.Sequence(lambda n: f"Placement {n}")
    description = "A week in the team."
    sector = factory.SubFactory(SectorFactory)
    capacity = 2
    starts_on = WINDOW_START
    ends_on = WINDOW_END
    status = Opportunity.Status.PUBLISHED


class MatchRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchRun

    region = factory.SubFactory(RegionFactory)
    seed = 42
    status = MatchRun.Status.SUCCEEDED
    stage = MatchRun.Stage.DONE
    progress = 1.0


class MatchFactory(factory.django.DjangoModelFactory):
    """A match as a run leaves it: proposed, holding no seat."""

    class Meta:
        model = Match

    run = factory.SubFactory(MatchRunFactory)
    pupil = factory.SubFactory(PupilFactory)
    opportunity = factory.SubFactory(OpportunityFactory)
    status = MatchStatus.PROPOSED


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    pupil = factory.SubFactory(PupilFactory)
    opportunity = factory.SubFactory(OpportunityFactory)
    rank = 1
