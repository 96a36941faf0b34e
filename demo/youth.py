"""A demo youth service in Liverpool: a youth worker and young people outside school (some
care leavers), each with their own consent, their own dates and a few applications."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from employers.models import Opportunity
from mobility.accounts.models import Role
from mobility.geography.models import LocalAuthority
from placements.models import Application
from schools.models import (
    CareersAdviser,
    Cohort,
    ConsentGiver,
    ConsentRecord,
    ConsentStatus,
    Pupil,
    School,
    SchoolStaff,
    WorkExperienceWindow,
)
from schools.youth_services import nominal_year_group

from . import names
from .accounts import DEMO_LOGINS, DEMO_URN_PREFIX, demo_email, new_user
from .applications import _choose, _OpportunityTable
from .places import PostcodeIndex
from .plan import APPLICATION_LEAD, TODAY, YEAR12_WEEKS, weighted
from .reference import LIVERPOOL
from .schools import SchoolPlan

SERVICE_PLACE = ("Kensington", "L7")
# (cohort, age on the demo's today): four not in education or work, two care leavers.
YOUNG_PEOPLE = (
    (Cohort.NEET, 16),
    (Cohort.NEET, 17),
    (Cohort.NEET, 17),
    (Cohort.NEET, 18),
    (Cohort.CARE_LEAVER, 19),
    (Cohort.CARE_LEAVER, 22),
)
HOME_RADIUS_M = 4000


def build_youth_service(
    rng: random.Random,
    index: PostcodeIndex,
    authorities: dict[str, LocalAuthority],
    sector_ids: list[int],
    opportunities: list[Opportunity],
    password_hash: str,
) -> None:
    location = index.in_district(rng, LIVERPOOL, SERVICE_PLACE[1])
    service = School.objects.create(
        kind=School.Kind.YOUTH_SERVICE,
        urn=f"{DEMO_URN_PREFIX}Y0001",
        name="Liverpool Youth Service",
        phase=School.Phase.YOUTH,
        local_authority=authorities[LIVERPOOL],
        postcode=location.postcode,
        easting=location.easting,
        northing=location.northing,
        local_authority_code=location.local_authority_code,
    )
    worker = new_user(DEMO_LOGINS[Role.YOUTH_WORKER], "Jo", "Okafor", Role.YOUTH_WORKER, password_hash)
    worker.save()
    SchoolStaff.objects.create(user=worker, school=service, job_title="Youth worker")
    # The demo adviser approves and offers young people's matches as they do for schools.
    CareersAdviser.objects.get(user__email=DEMO_LOGINS[Role.ADVISER]).schools.add(service)

    homes = index.near(location, HOME_RADIUS_M)
    table = _OpportunityTable(opportunities)
    by_sector: dict[int, list[int]] = defaultdict(list)
    applications = []
    for number, (cohort, age) in enumerate(YOUNG_PEOPLE, start=1):
        first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.SURNAMES)
        user = new_user(
            demo_email(f"{first}.{last}.{number}", "youth"), first, last, Role.PUPIL, password_hash
        )
        user.save()
        home = rng.choice(homes)
        pupil = Pupil.objects.create(
            user=user,
            school=service,
            cohort=cohort,
            year_group=nominal_year_group(age),
            date_of_birth=TODAY.replace(year=TODAY.year - age) - dt.timedelta(days=rng.randint(30, 300)),
            postcode=home.postcode,
            easting=home.easting,
            northing=home.northing,
            local_authority_code=home.local_authority_code,
            care_experienced=cohort == Cohort.CARE_LEAVER,
            at_risk_of_neet=False,
            parental_consent=ConsentStatus.GIVEN,
            parental_consent_recorded_at=_at(TODAY),
        )
        liked = rng.sample(sector_ids, 2)
        pupil.sector_interests.set(liked)
        ConsentRecord.objects.create(
            pupil=pupil,
            status=ConsentStatus.GIVEN,
            given_by=ConsentGiver.YOUNG_PERSON,
            method="phone",
            recorded_by=worker,
            recorded_at=_at(TODAY),
        )
        start = weighted(rng, YEAR12_WEEKS)
        window = (start, start + dt.timedelta(days=11))
        WorkExperienceWindow.objects.create(
            school=service,
            pupil=pupil,
            year_group=pupil.year_group,
            starts_on=window[0],
            ends_on=window[1],
            application_deadline=start - APPLICATION_LEAD,
        )
        plan = SchoolPlan(service, home)
        candidates = table.candidates(plan, pupil.year_group, window)
        by_sector.clear()
        for i in candidates:
            by_sector[int(table.sector[i])].append(int(i))
        chosen = _choose(rng, candidates, by_sector, liked) or [int(i) for i in candidates[:2]]
        applications += [
            Application(pupil=pupil, opportunity=opportunities[i], rank=rank)
            for rank, i in enumerate(chosen, 1)
        ]
    Application.objects.bulk_create(applications)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)
