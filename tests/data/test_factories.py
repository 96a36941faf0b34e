"""The shared factories make rows that pass the models' own validation."""

from __future__ import annotations

import pytest

from mobility.geography.models import LocalAuthority, Region, Sector
from mobility.geography.postcodes import locate
from tests.factories import (
    WINDOW_END,
    WINDOW_START,
    ApplicationFactory,
    CareersAdviserFactory,
    ComplianceFactory,
    LocalAuthorityFactory,
    MatchFactory,
    OpportunityFactory,
    PupilFactory,
    SchoolFactory,
    SectorFactory,
    SiteFactory,
    WindowFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "factory",
    [
        SchoolFactory,
        PupilFactory,
        WindowFactory,
        SiteFactory,
        OpportunityFactory,
        ComplianceFactory,
        ApplicationFactory,
        MatchFactory,
        CareersAdviserFactory,
    ],
)
def test_factory_rows_pass_full_clean(factory: type) -> None:
    obj = factory()
    obj.full_clean()


def test_located_rows_carry_the_directory_grid_point() -> None:
    pupil = PupilFactory.create(postcode="L36 9YU")
    location = locate("L36 9YU")
    assert (pupil.easting, pupil.northing, pupil.local_authority_code) == (
        location.easting,
        location.northing,
        "E08000011",
    )
    school = SchoolFactory.create(postcode="WA8 7QE")
    assert school.local_authority.code == school.local_authority_code == "E06000006"
    assert school.local_authority.name == "Halton"


def test_a_pupil_is_year_10_aged_15_in_the_window_with_consent() -> None:
    pupil = PupilFactory.create()
    assert pupil.year_group == 10 and pupil.age_on(WINDOW_START) == 15
    assert pupil.parental_consent == "given"
    assert PupilFactory.create(year_group=12).age_on(WINDOW_START) == 17


def test_region_authorities_and_sectors_are_get_or_create() -> None:
    LocalAuthorityFactory.create(code="E08000011")
    LocalAuthorityFactory.create(code="E08000011")
    SectorFactory.create(slug="retail")
    SectorFactory.create(slug="retail")
    assert Region.objects.count() == 1
    assert LocalAuthority.objects.get(code="E08000011").name == "Knowsley"
    assert Sector.objects.get(slug="retail").sic_sections == "G"


def test_an_opportunity_is_published_at_its_employers_site_in_its_sector() -> None:
    opportunity = OpportunityFactory.create()
    assert opportunity.site is not None
    assert opportunity.site.employer == opportunity.employer
    assert opportunity.sector == opportunity.employer.sector
    assert (opportunity.starts_on, opportunity.ends_on) == (WINDOW_START, WINDOW_END)
    assert WINDOW_START.weekday() == 0


def test_applications_take_the_next_free_rank() -> None:
    first = ApplicationFactory.create()
    second = ApplicationFactory.create(pupil=first.pupil)
    assert (first.rank, second.rank) == (1, 2)


def test_compliance_is_valid_through_the_window() -> None:
    assert ComplianceFactory.create().valid_through(WINDOW_END)


def test_lcr_region_fixture(lcr_region: Region) -> None:
    assert lcr_region.local_authorities.count() == 6
    assert lcr_region.growth_sectors.filter(slug="maritime-logistics").exists()
    assert not lcr_region.growth_sectors.filter(slug="retail").exists()
