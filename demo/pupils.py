"""Demo pupils: homes near their school, disadvantage flags at the region's rates, interests."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from mobility.accounts.models import Role, User
from mobility.geography.models import Sector
from mobility.geography.postcodes import Location
from schools.models import ConsentStatus, Pupil, School

from . import names
from .accounts import DEMO_LOGINS, demo_email, new_user
from .consent import ConsentPlan
from .places import PostcodeIndex
from .plan import TODAY, DemoSize, birth_date, date_between, split_total, weighted
from .schools import SchoolPlan

BATCH = 2000

# Share of pupils with each flag (Liverpool City Region is above the national FSM rate).
FSM_RATE = 0.30
CARE_EXPERIENCED_RATE = 0.015
SEND_RATE = 0.15
YOUNG_CARER_RATE = 0.05
# NEET risk is more common among FSM pupils; these average about 8%.
NEET_RATE_FSM, NEET_RATE_OTHER = 0.14, 0.055
STEP_FREE_RATE = 0.015

MAX_TRAVEL = ((30, 2), (35, 1), (40, 2), (45, 3), (50, 1), (60, 2))
CONSENT = (
    (ConsentStatus.GIVEN, 60),
    (ConsentStatus.REQUESTED, 25),
    (ConsentStatus.NOT_REQUESTED, 12),
    (ConsentStatus.REFUSED, 3),
)
INTEREST_WEIGHTS = {
    "advanced-manufacturing": 8,
    "digital-creative": 16,
    "clean-growth": 5,
    "life-sciences-health": 7,
    "financial-professional": 8,
    "maritime-logistics": 4,
    "visitor-economy": 7,
    "health-social-care": 12,
    "retail": 5,
    "education": 9,
    "construction": 8,
    "public-services": 6,
}
# Secondaries draw from their neighbourhood; sixth forms and colleges from further away.
CATCHMENT_M: dict[str, int] = {
    School.Phase.SECONDARY: 3_500,
    School.Phase.SIXTH_FORM: 7_000,
    School.Phase.FE_COLLEGE: 9_000,
}
# Year 12 cohorts are larger at colleges and sixth forms than in an 11-18 school.
YEAR12_WEIGHT: dict[str, float] = {School.Phase.FE_COLLEGE: 3.0, School.Phase.SIXTH_FORM: 2.5}
DEMO_PUPIL_INTERESTS = ("advanced-manufacturing", "digital-creative")


def build_pupils(
    rng: random.Random,
    index: PostcodeIndex,
    plans: list[SchoolPlan],
    size: DemoSize,
    sectors: dict[str, Sector],
    password_hash: str,
) -> tuple[list[Pupil], dict[int, list[int]], dict[int, ConsentPlan]]:
    """Create pupils in school order; the first is the named demo pupil (Year 10, demo school).

    Returns the pupils, each pupil's sector interests (pupil id to sector ids) and where their
    parental consent is to stand (recorded afterwards by ``demo.consent``).
    """
    cohorts = _cohort_sizes(rng, plans, size)
    pupils: list[Pupil] = []
    consent: list[ConsentPlan] = []
    interests: list[tuple[Pupil, list[Sector]]] = []
    for plan in plans:
        catchment = index.near(plan.location, CATCHMENT_M[plan.school.phase])
        for year in sorted(plan.windows):
            for _ in range(cohorts[plan.school.pk, year]):
                pupil, answer = _pupil(
                    rng, plan.school, year, rng.choice(catchment), len(pupils) + 1, password_hash
                )
                if not pupils:
                    answer = _make_demo_pupil(pupil)
                    chosen = [sectors[slug] for slug in DEMO_PUPIL_INTERESTS]
                else:
                    chosen = _interests(rng, sectors)
                pupils.append(pupil)
                consent.append(answer)
                interests.append((pupil, chosen))

    for start in range(0, len(pupils), BATCH):
        batch = pupils[start : start + BATCH]
        User.objects.bulk_create([p.user for p in batch])
        Pupil.objects.bulk_create(batch)
    through = Pupil.sector_interests.through
    through.objects.bulk_create(
        (through(pupil_id=pupil.pk, sector_id=sector.pk) for pupil, chosen in interests for sector in chosen),
        batch_size=BATCH,
    )
    return (
        pupils,
        {pupil.pk: [sector.pk for sector in chosen] for pupil, chosen in interests},
        {pupil.pk: answer for pupil, answer in zip(pupils, consent, strict=True)},
    )


def _cohort_sizes(rng: random.Random, plans: list[SchoolPlan], size: DemoSize) -> dict[tuple[int, int], int]:
    """Pupils per (school, year group), adding up exactly to the size's totals."""
    cohorts: dict[tuple[int, int], int] = {}
    for year, total in ((10, size.year10_pupils), (12, size.year12_pupils)):
        taking = [plan.school for plan in plans if year in plan.windows]
        weights = [_cohort_weight(school.phase, year) * rng.uniform(0.7, 1.3) for school in taking]
        counts = split_total(total, weights)
        cohorts.update(((school.pk, year), n) for school, n in zip(taking, counts, strict=True))
    return cohorts


def _cohort_weight(phase: str, year: int) -> float:
    return YEAR12_WEIGHT.get(phase, 1.0) if year == 12 else 1.0


def _pupil(
    rng: random.Random, school: School, year: int, home: Location, number: int, password_hash: str
) -> tuple[Pupil, ConsentPlan]:
    first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.SURNAMES)
    user = new_user(demo_email(f"{first}.{last}.{number}", "pupils"), first, last, Role.PUPIL, password_hash)
    fsm = rng.random() < FSM_RATE
    send = rng.random() < SEND_RATE
    step_free = rng.random() < STEP_FREE_RATE
    consent = weighted(rng, CONSENT)
    recorded = None
    if consent in (ConsentStatus.GIVEN, ConsentStatus.REFUSED):
        day = date_between(rng, dt.date(TODAY.year, 9, 15), TODAY)
        at = dt.time(rng.randint(8, 17), rng.randint(0, 59))
        recorded = timezone.make_aware(dt.datetime.combine(day, at))
    access_needs = ""
    if step_free:
        access_needs = "Uses a wheelchair: needs step-free access and an accessible toilet."
    elif send and rng.random() < 0.3:
        access_needs = "Works best with written instructions and a short break each morning and afternoon."
    return Pupil(
        user=user,
        school=school,
        year_group=year,
        date_of_birth=birth_date(rng, year),
        postcode=home.postcode,
        easting=home.easting,
        northing=home.northing,
        local_authority_code=home.local_authority_code,
        fsm_or_pupil_premium=fsm,
        care_experienced=rng.random() < CARE_EXPERIENCED_RATE,
        send=send,
        young_carer=rng.random() < YOUNG_CARER_RATE,
        at_risk_of_neet=rng.random() < (NEET_RATE_FSM if fsm else NEET_RATE_OTHER),
        needs_step_free_access=step_free,
        access_needs=access_needs,
        share_access_needs=bool(access_needs),
        max_travel_minutes=weighted(rng, MAX_TRAVEL),
        # Recorded afterwards, through the schools service (demo.consent), as a school would.
        parental_consent=ConsentStatus.NOT_REQUESTED,
        parental_consent_recorded_at=None,
    ), ConsentPlan(consent, recorded)


def _make_demo_pupil(pupil: Pupil) -> ConsentPlan:
    pupil.user.email = DEMO_LOGINS[Role.PUPIL]
    pupil.user.first_name, pupil.user.last_name = "Alex", "Morgan"
    pupil.fsm_or_pupil_premium = True
    pupil.needs_step_free_access, pupil.access_needs = False, ""
    pupil.max_travel_minutes = 45
    return ConsentPlan(ConsentStatus.GIVEN, timezone.make_aware(dt.datetime.combine(TODAY, dt.time(9, 30))))


def _interests(rng: random.Random, sectors: dict[str, Sector]) -> list[Sector]:
    """One to three different sectors, popular ones more often."""
    pool = dict(INTEREST_WEIGHTS)
    chosen = []
    for _ in range(weighted(rng, ((1, 3), (2, 4), (3, 3)))):
        slug = rng.choices(list(pool), weights=list(pool.values()))[0]
        del pool[slug]
        chosen.append(sectors[slug])
    return chosen
