"""Shared factory_boy factories. Each builds one valid, ready-to-use row.

Conventions, so tests can rely on them:
- Places use real Liverpool City Region postcodes; the grid point and local authority are
  looked up with `mobility.geography.postcodes.locate`, never typed in. Pass `postcode=` to pin one.
- Dates hang off `TODAY`, a fixed day: every test runs with the clock frozen on it at `NOW`
  (tests/conftest.py), so code that asks for today agrees with the data. The Year 10 window
  and opportunities run the week of `WINDOW_START` (a Monday about two months ahead);
  applications close on `DEADLINE`.
- A pupil is Year 10, aged 15 on `WINDOW_START`, with parental consent given.
- An opportunity is published, in its employer's sector, at a site of that employer.
- An employer is verified (`pending=True`: signed itself up, awaiting an adviser).
- A compliance record is valid through the window.
- Every user's password is `PASSWORD`; `UserFactory(admin=True)` makes a superuser.
- Region, local authorities and sectors are get-or-create by code, so they can be made twice.

    pupil = PupilFactory(school=school, sector_interests=[sector])
    opportunity = OpportunityFactory(capacity=1)
    ApplicationFactory(pupil=pupil, opportunity=opportunity)  # rank: the pupil's next
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from demo.reference import LOCAL_AUTHORITIES, REGION_CODE, REGION_NAME, SECTORS
from employers.models import ComplianceRecord, Employer, EmployerMember, Opportunity, Site
from mobility.accounts.models import Role, User
from mobility.geography.models import LocalAuthority, Region, Sector
from mobility.geography.postcodes import locate
from placements.models import Application, Match, MatchRun, MatchStatus
from placements.selffound.models import Proposal, ProposalStatus
from schools.models import (
    CareersAdviser,
    Cohort,
    ConsentStatus,
    Pupil,
    School,
    SchoolStaff,
    WorkExperienceWindow,
)

PASSWORD = "factory-password-1"
# A Wednesday in term time, years ahead, so dates the code compares with the real clock (a
# Celery worker in its own process, the browser) are still in the future for them.
TODAY = dt.date(2031, 3, 5)
NOW = dt.datetime.combine(TODAY, dt.time(10), tzinfo=ZoneInfo("Europe/London"))
WINDOW_START = TODAY + dt.timedelta(days=63 - TODAY.weekday())  # a Monday 8-9 weeks ahead
WINDOW_END = WINDOW_START + dt.timedelta(days=4)
DEADLINE = TODAY + dt.timedelta(days=20)

# Real postcodes a few kilometres apart in central and south Liverpool (E08000012).
HOME_POSTCODES = ("L6 1AL", "L7 8XP", "L8 0RX", "L15 4LW", "L13 2BY")
SCHOOL_POSTCODES = ("L7 0LG", "L6 3AL", "L15 0HD")
SITE_POSTCODES = ("L2 2DH", "L3 8EN", "L1 8JQ")
# One real postcode in each of the six local authorities, for tests that need them all.
POSTCODE_IN = {
    "E08000012": "L1 8JQ",  # Liverpool
    "E08000011": "L36 9YU",  # Knowsley
    "E08000014": "L20 3NJ",  # Sefton
    "E08000013": "WA10 1HP",  # St Helens
    "E08000015": "CH41 5FN",  # Wirral
    "E06000006": "WA8 7QE",  # Halton
}
_SECTORS = {spec.slug: spec for spec in SECTORS}
_Located = TypeVar("_Located", School, Pupil, Site, Proposal)


def _many_to_many(field: str) -> Any:
    """``Factory.create(field=[...])`` sets that many-to-many relation once the row exists."""

    def fill(obj: Any, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            getattr(obj, field).set(extracted)

    return factory.PostGeneration(fill)


class LocatedFactory(factory.django.DjangoModelFactory[_Located]):
    """Fills the grid point and local authority from `postcode`, as `Located.clean()` does."""

    class Meta:
        abstract = True

    easting = factory.LazyAttribute(lambda o: locate(o.postcode).easting)
    northing = factory.LazyAttribute(lambda o: locate(o.postcode).northing)
    local_authority_code = factory.LazyAttribute(lambda o: locate(o.postcode).local_authority_code)


class RegionFactory(factory.django.DjangoModelFactory[Region]):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = REGION_CODE
    name = REGION_NAME


class LocalAuthorityFactory(factory.django.DjangoModelFactory[LocalAuthority]):
    class Meta:
        model = LocalAuthority
        django_get_or_create = ("code",)

    code = "E08000012"
    name = factory.LazyAttribute(lambda o: LOCAL_AUTHORITIES.get(o.code, o.code))
    region = factory.SubFactory(RegionFactory)


class SectorFactory(factory.django.DjangoModelFactory[Sector]):
    """Known slugs (see demo.reference.SECTORS) get their real name and SIC sections."""

    class Meta:
        model = Sector
        django_get_or_create = ("slug",)

    slug = "digital-creative"
    name = factory.LazyAttribute(lambda o: _SECTORS[o.slug].name if o.slug in _SECTORS else o.slug.title())
    sic_sections = factory.LazyAttribute(
        lambda o: _SECTORS[o.slug].sic_sections if o.slug in _SECTORS else "S"
    )


def world_sectors() -> dict[str, Sector]:
    """The three sectors the matching and web test worlds are built on, by short name."""
    return {
        slug: SectorFactory.create(slug=slug, name=name, sic_sections=sic)
        for slug, name, sic in (
            ("digital", "Digital and creative", "J"),
            ("health", "Health and social care", "Q"),
            ("retail", "Retail", "G"),
        )
    }


class UserFactory(factory.django.DjangoModelFactory[User]):
    """A user of `role` (pupil by default); `admin=True` gives a staff superuser."""

    class Meta:
        model = User

    class Params:
        admin = factory.Trait(role=Role.ADMIN, is_staff=True, is_superuser=True)

    email = factory.Sequence(lambda n: f"person{n}@factory.mobility.test")
    first_name = factory.Sequence(lambda n: f"Person{n}")
    last_name = "Example"
    role = Role.PUPIL
    password = factory.django.Password(PASSWORD)


class SchoolFactory(LocatedFactory[School]):
    class Meta:
        model = School

    # 88xxxx: outside the range DfE has issued, so never a real school's URN.
    urn = factory.Sequence(lambda n: f"{880000 + n}")
    name = factory.Sequence(lambda n: f"Test High School {n}")
    phase = School.Phase.SECONDARY
    postcode = factory.Iterator(SCHOOL_POSTCODES)
    local_authority = factory.SubFactory(
        LocalAuthorityFactory, code=factory.SelfAttribute("..local_authority_code")
    )


class WindowFactory(factory.django.DjangoModelFactory[WorkExperienceWindow]):
    class Meta:
        model = WorkExperienceWindow

    school = factory.SubFactory(SchoolFactory)
    year_group = 10
    starts_on = WINDOW_START
    ends_on = WINDOW_END
    application_deadline = DEADLINE


class PupilFactory(LocatedFactory[Pupil]):
    """`sector_interests=[...]` sets interests; the school gets no window unless you make one."""

    class Meta:
        model = Pupil
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, role=Role.PUPIL)
    school = factory.SubFactory(SchoolFactory)
    year_group = 10
    # Aged year_group + 5 on the first day of the window: 15 in Year 10.
    date_of_birth = factory.LazyAttribute(
        lambda o: dt.date(WINDOW_START.year - o.year_group - 5, WINDOW_START.month, 1)
    )
    postcode = factory.Iterator(HOME_POSTCODES)
    max_travel_minutes = 45
    parental_consent = ConsentStatus.GIVEN
    parental_consent_recorded_at = factory.LazyFunction(timezone.now)

    sector_interests = _many_to_many("sector_interests")


class YouthServiceFactory(SchoolFactory):
    """A youth service: a school-like organisation for young people outside school."""

    kind = School.Kind.YOUTH_SERVICE
    urn = factory.Sequence(lambda n: f"YS{n:04d}")
    name = factory.Sequence(lambda n: f"Test Youth Service {n}")
    phase = School.Phase.YOUTH


class YoungPersonFactory(PupilFactory):
    """Not in education or work, 17 on the first day of ``WINDOW_START``, with their own consent
    given and no window: make one with ``OwnWindowFactory``."""

    school = factory.SubFactory(YouthServiceFactory)
    cohort = Cohort.NEET
    year_group = 13
    date_of_birth = factory.LazyAttribute(lambda o: dt.date(WINDOW_START.year - 17, WINDOW_START.month, 1))


class OwnWindowFactory(factory.django.DjangoModelFactory[WorkExperienceWindow]):
    """A young person's own window: pass ``pupil``."""

    class Meta:
        model = WorkExperienceWindow

    school = factory.SelfAttribute("pupil.school")
    year_group = factory.SelfAttribute("pupil.year_group")
    starts_on = WINDOW_START
    ends_on = WINDOW_END
    application_deadline = DEADLINE


class SchoolStaffFactory(factory.django.DjangoModelFactory[SchoolStaff]):
    class Meta:
        model = SchoolStaff

    user = factory.SubFactory(UserFactory, role=Role.SCHOOL_STAFF)
    school = factory.SubFactory(SchoolFactory)  # job title: the model's default, "Careers leader"


class YouthWorkerFactory(SchoolStaffFactory):
    """A youth worker: a staff record at a youth service, with the youth worker role."""

    user = factory.SubFactory(UserFactory, role=Role.YOUTH_WORKER)
    school = factory.SubFactory(YouthServiceFactory)
    job_title = "Youth worker"


class CareersAdviserFactory(factory.django.DjangoModelFactory[CareersAdviser]):
    """`schools=[...]` assigns the adviser to those schools."""

    class Meta:
        model = CareersAdviser
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, role=Role.ADVISER)
    organisation = "Test Careers Service"

    schools = _many_to_many("schools")


class EmployerFactory(factory.django.DjangoModelFactory[Employer]):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"Test Employer {n} Ltd")
    sector = factory.SubFactory(SectorFactory)
    # Verified by default; ``pending=True`` is an organisation that signed itself up.
    verification_status = Employer.Verification.VERIFIED
    verification_decided_at = factory.LazyFunction(timezone.now)
    verification_note = "Set up by the placement organisers."

    class Params:
        pending = factory.Trait(
            verification_status=Employer.Verification.PENDING,
            verification_decided_at=None,
            verification_note="",
        )


class EmployerMemberFactory(factory.django.DjangoModelFactory[EmployerMember]):
    class Meta:
        model = EmployerMember

    user = factory.SubFactory(UserFactory, role=Role.EMPLOYER)
    employer = factory.SubFactory(EmployerFactory)
    job_title = "Office manager"


class SiteFactory(LocatedFactory[Site]):
    class Meta:
        model = Site

    employer = factory.SubFactory(EmployerFactory)
    name = "Head office"
    address = factory.Sequence(lambda n: f"{n + 1} Dale Street, Liverpool")
    postcode = factory.Iterator(SITE_POSTCODES)
    step_free_access = True


class OpportunityFactory(factory.django.DjangoModelFactory[Opportunity]):
    class Meta:
        model = Opportunity

    employer = factory.SubFactory(EmployerFactory)
    site = factory.SubFactory(SiteFactory, employer=factory.SelfAttribute("..employer"))
    sector = factory.SelfAttribute("employer.sector")
    title = factory.Sequence(lambda n: f"Work experience placement {n}")
    description = "A week with the team, with a small project of your own."
    capacity = 2
    starts_on = WINDOW_START
    ends_on = WINDOW_END
    minimum_age = 14
    status = Opportunity.Status.PUBLISHED


def opportunity_form(o: Opportunity, **changes: Any) -> dict[str, Any]:
    """What the employer's form posts for ``o`` as it stands, with ``changes``."""
    return {
        "title": o.title,
        "description": o.description,
        "sector": o.sector_id,
        "site": o.site_id,
        "mode": o.mode,
        "capacity": o.capacity,
        "starts_on": o.starts_on.isoformat(),
        "ends_on": o.ends_on.isoformat(),
        "daily_hours": o.daily_hours,
        "minimum_age": o.minimum_age,
        "accessibility": "",
        "status": o.status,
        **changes,
    }


class ComplianceFactory(factory.django.DjangoModelFactory[ComplianceRecord]):
    """Insurance and risk assessment both valid through the window."""

    class Meta:
        model = ComplianceRecord

    employer = factory.SubFactory(EmployerFactory)
    insurer = "Test Mutual"
    insurance_policy_number = factory.Sequence(lambda n: f"EL-{n:06d}")
    insurance_expires_on = WINDOW_END + dt.timedelta(days=365)
    risk_assessment_on = TODAY - dt.timedelta(days=30)
    supervisor_name = "Sam Supervisor"
    supervisor_role = "Team leader"
    safeguarding_checks = "Supervisor briefed on safeguarding."
    checked_on = TODAY
    verified_at = factory.LazyFunction(timezone.now)
    verification_note = "Insurance certificate and risk assessment seen."


class ApplicationFactory(factory.django.DjangoModelFactory[Application]):
    """Rank defaults to the pupil's next free rank."""

    class Meta:
        model = Application

    pupil = factory.SubFactory(PupilFactory)
    opportunity = factory.SubFactory(OpportunityFactory)
    rank = factory.LazyAttribute(lambda o: _next_rank(o.pupil))


def _next_rank(pupil: Pupil) -> int:
    if pupil.pk is None:
        return 1
    return pupil.applications.filter(status=Application.Status.ACTIVE).count() + 1


class MatchRunFactory(factory.django.DjangoModelFactory[MatchRun]):
    """A finished stable run."""

    class Meta:
        model = MatchRun

    region = factory.SubFactory(RegionFactory)
    policy = MatchRun.Policy.STABLE
    seed = 1
    status = MatchRun.Status.SUCCEEDED
    stage = MatchRun.Stage.DONE
    progress = 1.0


class MatchFactory(factory.django.DjangoModelFactory[Match]):
    """A match as a run leaves it: proposed, holding no seat."""

    class Meta:
        model = Match

    run = factory.SubFactory(MatchRunFactory)
    pupil = factory.SubFactory(PupilFactory)
    opportunity = factory.SubFactory(OpportunityFactory)
    status = MatchStatus.PROPOSED
    rank = 1


class ProposalFactory(LocatedFactory[Proposal]):
    """A placement a pupil found, with the employer's part done: waiting for the school's check."""

    class Meta:
        model = Proposal

    pupil = factory.SubFactory(PupilFactory)
    status = ProposalStatus.AWAITING_VETTING
    employer_name = factory.Sequence(lambda n: f"Corner Bakery {n}")
    contact_name = "Pat Baker"
    contact_email = factory.Sequence(lambda n: f"pat{n}@bakery.example")
    contact_phone = "0151 000 0000"
    address = "2 Bold Street, Liverpool"
    postcode = "L1 4DS"
    starts_on = WINDOW_START
    ends_on = WINDOW_END
    pupil_plans = "Help in the shop and learn to bake bread."
    sector = factory.SubFactory(SectorFactory)
    site_name = "Bold Street shop"
    daily_hours = 6
    supervisor_name = "Pat Baker"
    supervisor_role = "Owner"
    duties = "Serving customers, stock and baking."
    insurer = "Test Mutual"
    insurance_policy_number = factory.Sequence(lambda n: f"EL-SF-{n:05d}")
    insurance_expires_on = WINDOW_END + dt.timedelta(days=365)
    risk_assessment_on = TODAY - dt.timedelta(days=10)
    employer_completed_at = factory.LazyFunction(timezone.now)
