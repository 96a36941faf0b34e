"""A small region for the reporting tests, described as plain specs so expectations are counted
from the specs, never from the code under test."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from mobility.academic_year import AcademicYear
from mobility.accounts.models import Role, User
from mobility.geography.models import Region, RegionLead, Sector
from placements.models import MatchStatus
from schools.models import Pupil, School
from tests import factories as f

YEAR = AcademicYear.of(f.WINDOW_START)
LAST_YEAR = YEAR.previous()
LIVERPOOL, KNOWSLEY = "E08000012", "E08000011"
GROWTH, OTHER = "digital-creative", "retail"


@dataclass(frozen=True)
class Spec:
    school: str  # "A" or "B" in Liverpool, "C" in Knowsley
    disadvantaged: bool
    outcome: str  # "first" or "second" (placed at that choice), "unplaced", or "none" (did not seek)
    sector: str = GROWTH  # the placement's sector, and the pupil's interest
    year: AcademicYear = YEAR
    minutes: int = 20
    home: str = "L6 1AL"


@dataclass
class RegionWorld:
    region: Region
    schools: dict[str, School]
    lead: User
    pupils: list[tuple[Spec, Pupil]] = field(default_factory=list)
    opportunities: dict[tuple[str, int], object] = field(default_factory=dict)


SCHOOLS = {"A": ("L7 0LG", LIVERPOOL), "B": ("L6 3AL", LIVERPOOL), "C": ("L36 9YU", KNOWSLEY)}


def _opportunity(world: RegionWorld, sector: str, year: AcademicYear) -> object:
    key = (sector, year.start)
    if key not in world.opportunities:
        sector_row = f.SectorFactory.create(slug=sector)
        employer = f.EmployerFactory.create(sector=sector_row)
        starts = f.WINDOW_START - dt.timedelta(days=364 * (YEAR.start - year.start))
        world.opportunities[key] = f.OpportunityFactory.create(
            employer=employer, capacity=40, starts_on=starts, ends_on=starts + dt.timedelta(days=4)
        )
    return world.opportunities[key]


def add(world: RegionWorld, spec: Spec) -> Pupil:
    pupil = f.PupilFactory.create(
        school=world.schools[spec.school],
        fsm_or_pupil_premium=spec.disadvantaged,
        postcode=spec.home,
        sector_interests=[f.SectorFactory.create(slug=spec.sector)],
    )
    if spec.outcome != "none":
        wanted = _opportunity(world, spec.sector, spec.year)
        other = _opportunity(world, OTHER if spec.sector == GROWTH else GROWTH, spec.year)
        choices = [wanted, other] if spec.outcome != "second" else [other, wanted]
        for opportunity in choices:
            f.ApplicationFactory.create(pupil=pupil, opportunity=opportunity)
        if spec.outcome in ("first", "second"):
            f.MatchFactory.create(
                pupil=pupil,
                opportunity=wanted,
                status=MatchStatus.CONFIRMED,
                rank=1 if spec.outcome == "first" else 2,
                travel_minutes=spec.minutes,
                run=f.MatchRunFactory.create(region=world.region),
            )
    world.pupils.append((spec, pupil))
    return pupil


def build(specs: list[Spec]) -> RegionWorld:
    region = f.RegionFactory.create()
    region.growth_sectors.set([f.SectorFactory.create(slug=GROWTH)])
    f.SectorFactory.create(slug=OTHER)
    schools = {}
    for name, (postcode, la) in SCHOOLS.items():
        authority = f.LocalAuthorityFactory.create(code=la, region=region)
        schools[name] = f.SchoolFactory.create(
            name=f"School {name}", postcode=postcode, local_authority=authority
        )
    user = f.UserFactory.create(role=Role.REGION_LEAD, email="lead@region.test")
    RegionLead.objects.create(user=user, region=region)
    world = RegionWorld(region=region, schools=schools, lead=user)
    for spec in specs:
        add(world, spec)
    return world


def sector_named(slug: str) -> str:
    return Sector.objects.get(slug=slug).name
