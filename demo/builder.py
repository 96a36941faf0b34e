"""Build the Liverpool City Region demo: one seeded random stream, bulk inserts, one password hash."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q, Sum

from employers.models import Opportunity, Site
from mobility.academic_year import AcademicYear
from mobility.accounts.models import Role
from mobility.geography.models import RegionLead, Sector
from placements.models import Application, Match, MatchStatus
from placements.reporting.services import open_data_release_publish
from schools.models import CareersAdviser, Cohort, Pupil, School, SchoolStaff

from .accounts import DEMO_LOGINS, DEMO_PASSWORD, new_user
from .applications import build_applications
from .cleanup import demo_employers, demo_exists, demo_schools, demo_users
from .consent import consent_history_record
from .employers import build_employers
from .history import build_history
from .places import PostcodeIndex
from .plan import ACADEMIC_YEAR_START, SIZES, SUMMER
from .pupils import build_pupils
from .reference import SECTORS, ensure_reference_data
from .schools import build_schools, build_staff_and_advisers
from .youth import build_youth_service

DEFAULT_SEED = 2027


class DemoAlreadyLoaded(Exception):
    """Demo rows exist already; reset them first rather than load a second copy."""


@dataclass(frozen=True)
class DemoSummary:
    size: str
    seed: int
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)
    logins: dict[str, str] = field(default_factory=lambda: dict(DEMO_LOGINS))
    password: str = DEMO_PASSWORD


@cache
def postcode_index() -> PostcodeIndex:
    """Loaded once per process: reading the ONS tables takes a couple of seconds."""
    return PostcodeIndex.load()


def build_demo(*, size: str = "small", seed: int = DEFAULT_SEED) -> DemoSummary:
    """Load the demo into an empty database (or one without demo rows). Same size and seed, same data."""
    if size not in SIZES:
        raise ValueError(f"Unknown demo size {size!r}; choose one of {', '.join(SIZES)}.")
    spec = SIZES[size]
    started = time.perf_counter()
    index = postcode_index()
    with transaction.atomic():
        if demo_exists():
            raise DemoAlreadyLoaded("Demo data is already loaded. Use --reset to replace it.")
        rng = random.Random(seed)
        password_hash = make_password(DEMO_PASSWORD)
        region = ensure_reference_data()
        authorities = {la.code: la for la in region.local_authorities.all()}
        sectors = {s.slug: s for s in Sector.objects.filter(slug__in=[spec.slug for spec in SECTORS])}

        plans = build_schools(rng, index, spec, authorities)
        build_staff_and_advisers(rng, plans, spec, password_hash)
        pupils, interests, consent = build_pupils(rng, index, plans, spec, sectors, password_hash)
        # Its own stream, so the rest of the demo is the same with or without this history.
        consent_history_record(random.Random(f"{seed}:consent"), pupils, consent)
        opportunities = build_employers(rng, index, spec, sectors, password_hash)
        build_applications(rng, plans, pupils, interests, opportunities)
        build_youth_service(
            rng, index, authorities, sorted(s.pk for s in sectors.values()), opportunities, password_hash
        )
        build_history(rng, region, pupils, opportunities)
        for start in (ACADEMIC_YEAR_START - 1, ACADEMIC_YEAR_START):
            open_data_release_publish(year=AcademicYear(start))
        lead = new_user(DEMO_LOGINS[Role.REGION_LEAD], "Morgan", "Reid", Role.REGION_LEAD, password_hash)
        lead.save()
        RegionLead.objects.create(user=lead, region=region, organisation="Combined Authority")
        new_user(DEMO_LOGINS[Role.ADMIN], "Robin", "Hale", Role.ADMIN, password_hash).save()
    return DemoSummary(size=size, seed=seed, seconds=time.perf_counter() - started, counts=demo_counts())


def demo_counts() -> dict[str, int]:
    """What the demo holds, for the loader's report."""
    schools, employers = demo_schools(), demo_employers()
    everyone = Pupil.objects.filter(school__in=schools)
    pupils = everyone.filter(cohort=Cohort.SCHOOL_PUPIL)
    # This school year's; last year's (demo/history.py) are counted as placements.
    opportunities = Opportunity.objects.filter(employer__in=employers, starts_on__gte=SUMMER[0])
    active = Application.objects.filter(pupil__in=everyone, status=Application.Status.ACTIVE)
    published = opportunities.filter(status=Opportunity.Status.PUBLISHED)
    risk_assessed_after = SUMMER[1] - settings.MOBILITY["RISK_ASSESSMENT_VALID_FOR"]
    not_cleared = employers.filter(
        Q(compliance__isnull=True)
        | Q(compliance__insurance_expires_on__isnull=True)
        | Q(compliance__insurance_expires_on__lt=SUMMER[1])
        | Q(compliance__risk_assessment_on__isnull=True)
        | Q(compliance__risk_assessment_on__lt=risk_assessed_after)
    )
    return {
        "schools": schools.filter(kind=School.Kind.SCHOOL).count(),
        "youth services": schools.filter(kind=School.Kind.YOUTH_SERVICE).count(),
        "pupils": pupils.count(),
        "Year 10 pupils": pupils.filter(year_group=10).count(),
        "Year 12 pupils": pupils.filter(year_group=12).count(),
        "pupils with no applications": pupils.exclude(pk__in=active.values("pupil_id")).count(),
        "young people outside school": everyone.exclude(cohort=Cohort.SCHOOL_PUPIL).count(),
        "school staff": SchoolStaff.objects.filter(
            school__in=schools, school__kind=School.Kind.SCHOOL
        ).count(),
        "careers advisers": CareersAdviser.objects.filter(user__in=demo_users()).count(),
        "employers": employers.count(),
        "employers not cleared for the summer": not_cleared.count(),
        "sites": Site.objects.filter(employer__in=employers).count(),
        "opportunities": opportunities.count(),
        "published opportunities": published.count(),
        "seats on published opportunities": published.aggregate(seats=Sum("capacity"))["seats"] or 0,
        "applications": active.count(),
        "placements last year": Match.objects.filter(pupil__in=pupils, status=MatchStatus.COMPLETED).count(),
        "users": demo_users().count(),
    }
