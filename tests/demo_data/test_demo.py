"""The Liverpool City Region demo: size, realism, reach of its postcodes, logins and determinism."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import Count

from demo.loader import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    SIZES,
    DemoAlreadyLoaded,
    DemoSummary,
    build_demo,
    demo_digest,
    reset_demo,
)
from demo.reference import KNOWSLEY, LIVERPOOL, LOCAL_AUTHORITIES
from employers.models import Employer, Opportunity, Site
from mobility.accounts.models import Role, User
from mobility.geography.models import Region
from mobility.geography.postcodes import locate
from placements.models import Application
from schools.models import DISADVANTAGE_FLAGS, Pupil, School, WorkExperienceWindow

from .conftest import DEMO_SEED

pytestmark = pytest.mark.django_db
SUMMER_2027 = (dt.date(2027, 6, 1), dt.date(2027, 7, 31))


def test_small_size_has_the_promised_counts(small_demo: DemoSummary) -> None:
    size = SIZES["small"]
    counts = small_demo.counts
    assert counts["schools"] == School.objects.filter(kind="school").count() == size.schools == 12
    assert counts["pupils"] == Pupil.objects.filter(cohort="school_pupil").count() == 600
    assert counts["youth services"] == 1 and counts["young people outside school"] == 6
    assert counts["Year 10 pupils"] == size.year10_pupils
    assert counts["employers"] == Employer.objects.count() == 80
    assert counts["opportunities"] == Opportunity.objects.filter(starts_on__gte=SUMMER_2027[0]).count() == 250
    assert counts["applications"] == Application.objects.filter(status=Application.Status.ACTIVE).count()
    # The whole summary for this seed: any change to the generator shows up here.
    assert counts == {
        "schools": 12,
        "pupils": 600,
        "Year 10 pupils": 420,
        "Year 12 pupils": 180,
        "pupils with no applications": 113,
        "young people outside school": 6,
        "school staff": 12,
        "careers advisers": 3,
        "employers": 80,
        "employers not cleared for the summer": 7,
        "sites": 103,
        "opportunities": 250,
        "published opportunities": 240,
        "seats on published opportunities": 587,
        "applications": 1582,  # 1,559 from school pupils, 23 from young people outside school
        "placements last year": 88,
        "users": 704,
        "youth services": 1,
    }


def test_the_region_and_its_six_authorities(small_demo: DemoSummary) -> None:
    region = Region.objects.get(code="lcr")
    assert region.name == "Liverpool City Region"
    assert dict(region.local_authorities.values_list("code", "name")) == LOCAL_AUTHORITIES
    assert region.growth_sectors.count() == 7


def test_every_postcode_is_real_and_inside_the_region(small_demo: DemoSummary) -> None:
    rows = [
        *School.objects.values_list("postcode", "easting", "northing", "local_authority_code"),
        *Pupil.objects.values_list("postcode", "easting", "northing", "local_authority_code"),
        *Site.objects.values_list("postcode", "easting", "northing", "local_authority_code"),
    ]
    assert len(rows) > 700
    for postcode, easting, northing, la_code in rows:
        location = locate(postcode)  # raises if not in the ONS directory
        assert (location.easting, location.northing) == (easting, northing)
        assert location.local_authority_code == la_code
        assert la_code in LOCAL_AUTHORITIES, postcode
    for school in School.objects.select_related("local_authority"):
        assert school.local_authority.code == school.local_authority_code
        assert school.is_youth_service or (len(school.urn) == 6 and school.urn.isdigit())


FLAGS = (*DISADVANTAGE_FLAGS, "needs_step_free_access")


def test_disadvantage_flags_come_at_plausible_rates(small_demo: DemoSummary) -> None:
    pupils = Pupil.objects.filter(cohort="school_pupil")
    n = pupils.count()

    def rate(**flag: bool) -> float:
        return pupils.filter(**flag).count() / n

    assert 0.22 < rate(fsm_or_pupil_premium=True) < 0.38
    assert 0.0 < rate(care_experienced=True) < 0.04
    assert 0.10 < rate(send=True) < 0.20
    assert 0.02 < rate(young_carer=True) < 0.09
    assert 0.04 < rate(at_risk_of_neet=True) < 0.13
    assert 0.0 < rate(needs_step_free_access=True) < 0.05
    # The exact numbers for this seed, pupil by pupil.
    assert {flag: pupils.filter(**{flag: True}).count() for flag in FLAGS} == {
        "fsm_or_pupil_premium": 197,
        "care_experienced": 5,
        "send": 80,
        "young_carer": 30,
        "at_risk_of_neet": 61,
        "needs_step_free_access": 10,
    }
    consent = Counter(pupils.values_list("parental_consent", flat=True))
    assert consent == {"given": 368, "requested": 154, "not_requested": 62, "refused": 16}
    interests = Counter(pupils.annotate(n=Count("sector_interests")).values_list("n", flat=True))
    assert set(interests) == {1, 2, 3}
    travel = set(pupils.values_list("max_travel_minutes", flat=True))
    assert min(travel) == 30 and max(travel) == 60


def test_windows_and_opportunities_fall_in_summer_2027(small_demo: DemoSummary) -> None:
    windows = list(WorkExperienceWindow.objects.all())
    assert {w.school_id for w in windows} == set(School.objects.values_list("pk", flat=True))
    for window in windows:
        assert SUMMER_2027[0] <= window.starts_on <= window.ends_on <= SUMMER_2027[1]
        assert window.application_deadline is not None
        assert window.starts_on.weekday() == 0 and window.application_deadline < window.starts_on
        if window.year_group == 10:
            assert (window.ends_on - window.starts_on).days == 4
    by_school = Counter(w.school_id for w in windows if w.pupil_id is None)
    for school_id, n in by_school.items():
        weeks = {w.starts_on for w in windows if w.school_id == school_id}
        assert len(weeks) == n  # Year 10 and Year 12 go out in different weeks

    opportunities = list(Opportunity.objects.filter(starts_on__gte=SUMMER_2027[0]))
    assert {o.capacity for o in opportunities} == {1, 2, 3, 4, 5, 6}
    assert all(SUMMER_2027[0] <= o.starts_on <= o.ends_on <= SUMMER_2027[1] for o in opportunities)
    in_some_window = [
        o
        for o in opportunities
        if any(w.starts_on <= o.ends_on and o.starts_on <= w.ends_on for w in windows)
    ]
    assert len(in_some_window) > 0.8 * len(opportunities)
    sixteen_plus = [o for o in opportunities if o.minimum_age == 16]
    assert 0.03 * len(opportunities) < len(sixteen_plus) < 0.3 * len(opportunities)


def test_about_one_employer_in_eleven_is_not_cleared(small_demo: DemoSummary) -> None:
    placement_end = dt.date(2027, 7, 30)
    not_cleared = [
        e
        for e in Employer.objects.select_related("compliance")
        if not hasattr(e, "compliance") or not e.compliance.valid_through(placement_end)
    ]
    assert len(not_cleared) == small_demo.counts["employers not cleared for the summer"]
    assert len(not_cleared) == 7  # 7 of 80 for this seed


def test_applications_are_ranked_lists_a_pupil_could_attend(small_demo: DemoSummary) -> None:
    windows = {(w.school_id, w.year_group): w for w in WorkExperienceWindow.objects.filter(pupil=None)}
    # A young person outside school has their own dates.
    own_windows = {w.pupil_id: w for w in WorkExperienceWindow.objects.exclude(pupil=None)}
    lists: dict[int, list[Application]] = {}
    for application in Application.objects.filter(status=Application.Status.ACTIVE).select_related(
        "pupil", "opportunity"
    ):
        lists.setdefault(application.pupil_id, []).append(application)
    for applications in lists.values():
        assert sorted(a.rank for a in applications) == list(range(1, len(applications) + 1))
        assert len(applications) <= 5
        assert len({a.opportunity_id for a in applications}) == len(applications)
        for a in applications:
            if a.pupil.is_young_person:
                window = own_windows[a.pupil_id]
            else:
                window = windows[a.pupil.school_id, a.pupil.year_group]
            assert a.opportunity.status == Opportunity.Status.PUBLISHED
            assert a.opportunity.starts_on <= window.ends_on and window.starts_on <= a.opportunity.ends_on
            assert a.pupil.age_on(a.opportunity.starts_on) >= a.opportunity.minimum_age


def test_each_demo_login_authenticates_with_its_role(small_demo: DemoSummary) -> None:
    assert small_demo.logins == DEMO_LOGINS and len(DEMO_LOGINS) == len(Role)
    for role, email in DEMO_LOGINS.items():
        user = authenticate(email=email, password=DEMO_PASSWORD)
        assert user is not None and user.role == role
        assert authenticate(email=email, password="wrong") is None
    admin = User.objects.get(email=DEMO_LOGINS[Role.ADMIN])
    assert admin.is_staff and admin.is_superuser
    assert list(User.objects.filter(is_staff=True)) == [admin]


def test_every_demo_user_has_the_profile_of_its_role_and_no_other(small_demo: DemoSummary) -> None:
    profiles = {
        Role.PUPIL: "pupil",
        Role.EMPLOYER: "employer_member",
        Role.SCHOOL_STAFF: "school_staff",
        Role.ADVISER: "careers_adviser",
        Role.REGION_LEAD: "region_lead",
    }
    for user in User.objects.select_related(*profiles.values()):
        has = {role for role, attr in profiles.items() if hasattr(user, attr)}
        if user.role == Role.YOUTH_WORKER:  # a staff record at a youth service
            assert has == {Role.SCHOOL_STAFF} and user.school_staff.school.is_youth_service
            continue
        assert has == ({user.role} if user.role in profiles else set()), user.email


def test_the_demo_accounts_tell_one_story(small_demo: DemoSummary) -> None:
    pupil = Pupil.objects.get(user__email=DEMO_LOGINS[Role.PUPIL])
    assert pupil.year_group == 10 and pupil.fsm_or_pupil_premium
    assert pupil.school.local_authority.code in (KNOWSLEY, LIVERPOOL)
    window = pupil.school.windows.get(year_group=10)
    assert pupil.sector_interests.exists()
    ranked = list(pupil.applications.order_by("rank"))
    assert [a.rank for a in ranked] == [1, 2]

    member = User.objects.get(email=DEMO_LOGINS[Role.EMPLOYER]).employer_member
    firm = member.employer
    assert firm.sector.slug == "advanced-manufacturing"
    assert {site.local_authority_code for site in firm.sites.all()} == {KNOWSLEY}
    (placement,) = firm.opportunities.filter(starts_on__gte=SUMMER_2027[0])
    assert placement.capacity == 2 and placement.starts_on.month == 6
    assert placement.starts_on <= window.ends_on and window.starts_on <= placement.ends_on
    assert firm.compliance.valid_through(placement.ends_on)
    assert ranked[0].opportunity == placement

    adviser = User.objects.get(email=DEMO_LOGINS[Role.ADVISER]).careers_adviser
    assert adviser.schools.count() >= 3 and adviser.schools.filter(pk=pupil.school_id).exists()
    staff = User.objects.get(email=DEMO_LOGINS[Role.SCHOOL_STAFF]).school_staff
    assert staff.school == pupil.school


def test_loading_twice_is_refused_and_changes_nothing(small_demo: DemoSummary) -> None:
    before = demo_digest()
    with pytest.raises(DemoAlreadyLoaded):
        build_demo(size="small", seed=DEMO_SEED)
    with pytest.raises(CommandError, match="--reset"):
        call_command("load_demo", stdout=StringIO())
    assert demo_digest() == before
    assert User.objects.filter(email=DEMO_LOGINS[Role.PUPIL]).count() == 1


@pytest.mark.slow
def test_same_seed_same_data_other_seed_other_data(small_demo: DemoSummary) -> None:
    first = demo_digest()
    out = StringIO()
    call_command("load_demo", "--reset", "--seed", str(DEMO_SEED), stdout=out)
    assert demo_digest() == first
    for email in DEMO_LOGINS.values():
        assert email in out.getvalue()
    assert DEMO_PASSWORD in out.getvalue() and "pupils" in out.getvalue()

    reset_demo()
    assert not Pupil.objects.exists() and not School.objects.exists() and not Employer.objects.exists()
    build_demo(size="small", seed=DEMO_SEED + 1)
    assert demo_digest() != first
