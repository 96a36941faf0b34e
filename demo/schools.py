"""Demo schools with their work-experience windows, careers leaders and careers advisers."""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from mobility.accounts.models import Role, User
from mobility.geography.models import LocalAuthority
from mobility.geography.postcodes import Location
from schools.models import CareersAdviser, School, SchoolStaff, WorkExperienceWindow

from . import names
from .accounts import DEMO_LOGINS, DEMO_URN_PREFIX, demo_email, new_user
from .places import PostcodeIndex
from .plan import APPLICATION_LEAD, YEAR10_WEEKS, YEAR12_WEEKS, DemoSize, split_total, weighted
from .reference import HALTON, KNOWSLEY, LIVERPOOL, SEFTON, ST_HELENS, WIRRAL

# Rough share of the region's secondary-age population, which sets where schools are.
SCHOOL_SHARE = {LIVERPOOL: 31, KNOWSLEY: 10, SEFTON: 18, ST_HELENS: 12, WIRRAL: 20.5, HALTON: 8.5}
SECONDARY_WITH_SIXTH_FORM = 1 / 3
# The demo pupil's school: a few miles from the demo employer in Halewood.
DEMO_SCHOOL_PLACE = ("Huyton", "L36")


@dataclass
class SchoolPlan:
    school: School
    location: Location
    windows: dict[int, tuple[dt.date, dt.date]] = field(default_factory=dict)


def build_schools(
    rng: random.Random, index: PostcodeIndex, size: DemoSize, authorities: dict[str, LocalAuthority]
) -> list[SchoolPlan]:
    """Create schools and their windows. The first plan is a Knowsley secondary: the demo school."""
    per_la = dict(zip(SCHOOL_SHARE, split_total(size.schools, list(SCHOOL_SHARE.values())), strict=True))
    # Knowsley first, so the demo pupil's school is plans[0]; every authority gets a secondary.
    slots = [(KNOWSLEY, 0)]
    slots += [(la, i) for la, n in per_la.items() for i in range(n) if (la, i) != (KNOWSLEY, 0)]
    others = ["sixth_form"] * size.sixth_forms + ["fe_college"] * size.colleges
    others += ["secondary"] * (size.secondaries - len(per_la))
    rng.shuffle(others)
    phases = iter(others)

    used_names: set[str] = set()
    plans = []
    for number, (la_code, nth) in enumerate(slots, start=1):
        phase = "secondary" if nth == 0 else next(phases)
        place, district = DEMO_SCHOOL_PLACE if number == 1 else rng.choice(names.LOCALITIES[la_code])
        name = _school_name(rng, phase, place, used_names)
        location = index.in_district(rng, la_code, district)
        school = School(
            urn=f"{DEMO_URN_PREFIX}{number:04d}",
            name=name,
            phase=phase,
            local_authority=authorities[la_code],
            postcode=location.postcode,
            easting=location.easting,
            northing=location.northing,
            local_authority_code=location.local_authority_code,
        )
        plans.append(SchoolPlan(school, location))
    School.objects.bulk_create([p.school for p in plans])

    for number, plan in enumerate(plans):
        _plan_windows(rng, plan, demo_school=number == 0)
    WorkExperienceWindow.objects.bulk_create(
        WorkExperienceWindow(
            school=plan.school,
            year_group=year,
            starts_on=start,
            ends_on=end,
            application_deadline=start - APPLICATION_LEAD,
        )
        for plan in plans
        for year, (start, end) in plan.windows.items()
    )
    return plans


def _school_name(rng: random.Random, phase: str, place: str, used: set[str]) -> str:
    for _ in range(50):
        name = rng.choice(names.SCHOOL_NAMES[phase]).format(place=place, saint=rng.choice(names.SAINTS))
        if name not in used:
            break
    else:
        name = f"{name} ({len(used) + 1})"
    used.add(name)
    return name


def _plan_windows(rng: random.Random, plan: SchoolPlan, *, demo_school: bool) -> None:
    phase = plan.school.phase
    if phase == School.Phase.SECONDARY:
        start = YEAR10_WEEKS[0][0] if demo_school else weighted(rng, YEAR10_WEEKS)
        plan.windows[10] = (start, start + dt.timedelta(days=4))
    if phase != School.Phase.SECONDARY or (not demo_school and rng.random() < SECONDARY_WITH_SIXTH_FORM):
        year10 = plan.windows[10][0] if 10 in plan.windows else None
        start = weighted(rng, [(week, w) for week, w in YEAR12_WEEKS if week != year10])
        # Colleges release learners for two weeks.
        days = 11 if phase == School.Phase.FE_COLLEGE else 4
        plan.windows[12] = (start, start + dt.timedelta(days=days))


def build_staff_and_advisers(
    rng: random.Random, plans: list[SchoolPlan], size: DemoSize, password_hash: str
) -> None:
    """One careers leader per school; advisers cover runs of neighbouring schools."""
    users, staff = [], []
    for number, plan in enumerate(plans):
        if number == 0:
            user = new_user(DEMO_LOGINS[Role.SCHOOL_STAFF], "Sam", "Taylor", Role.SCHOOL_STAFF, password_hash)
        else:
            first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.SURNAMES)
            email = demo_email(f"{first}.{last}.{number}", "schools")
            user = new_user(email, first, last, Role.SCHOOL_STAFF, password_hash)
        users.append(user)
        staff.append(SchoolStaff(user=user, school=plan.school, job_title="Careers leader"))

    advisers = [new_user(DEMO_LOGINS[Role.ADVISER], "Priya", "Shah", Role.ADVISER, password_hash)]
    for number in range(1, size.advisers + 1):
        first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.SURNAMES)
        email = demo_email(f"{first}.{last}.{number}", "advisers")
        advisers.append(new_user(email, first, last, Role.ADVISER, password_hash))
    User.objects.bulk_create(users + advisers)
    SchoolStaff.objects.bulk_create(staff)

    profiles = CareersAdviser.objects.bulk_create(
        CareersAdviser(user=user, organisation="City Region Careers Partnership") for user in advisers
    )
    # Consecutive schools share an authority, so each adviser covers a patch; the demo adviser's
    # patch starts with the demo school.
    per_adviser = math.ceil(len(plans) / len(profiles))
    through = CareersAdviser.schools.through
    through.objects.bulk_create(
        through(careersadviser_id=profiles[n // per_adviser].pk, school_id=plan.school.pk)
        for n, plan in enumerate(plans)
    )
