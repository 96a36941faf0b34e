"""Postcode lookup from the ONS directory, and how models use it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from demo.reference import LOCAL_AUTHORITIES, POSTCODE_LETTERS
from employers.models import Site
from mobility.geography import postcodes
from mobility.geography.postcodes import PostcodeError, grid_distance_metres, locate, normalise
from schools.models import Pupil
from tests.factories import POSTCODE_IN, EmployerFactory, SchoolFactory, UserFactory

# A box round Liverpool City Region in British National Grid metres.
LCR_EASTINGS = range(320_000, 370_000)
LCR_NORTHINGS = range(370_000, 425_000)


@pytest.mark.parametrize(("la_code", "postcode"), sorted(POSTCODE_IN.items()))
def test_a_real_postcode_gives_its_local_authority_and_grid_point(la_code: str, postcode: str) -> None:
    location = locate(postcode)
    assert location.postcode == postcode
    assert location.local_authority_code == la_code
    assert location.easting in LCR_EASTINGS
    assert location.northing in LCR_NORTHINGS


def point(postcode: str) -> tuple[int, int]:
    location = locate(postcode)
    return (location.easting, location.northing)


def test_grid_points_are_metres() -> None:
    # Liverpool city centre and Birkenhead face each other across the Mersey: about 2.4 km.
    assert 1_500 < grid_distance_metres(point("L1 8JQ"), point("CH41 5FN")) < 3_500
    # Southport is about 28 km north of Liverpool city centre.
    assert 24_000 < grid_distance_metres(point("L1 8JQ"), point("PR9 0LA")) < 31_000


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("l368ae", "L36 8AE"), ("  l1   8jq ", "L1 8JQ"), ("CH415FN", "CH41 5FN"), ("wa10 1hp", "WA10 1HP")],
)
def test_normalise_puts_postcodes_in_standard_form(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_locate_accepts_any_spacing_and_case() -> None:
    assert locate(" l18jq") == locate("L1 8JQ")


@pytest.mark.parametrize("raw", ["", "   ", "L1", "NOT A POSTCODE", "12345", "L1 8JQQ", "1L 8JQ"])
def test_a_malformed_postcode_is_refused_with_an_example(raw: str) -> None:
    with pytest.raises(PostcodeError, match="is not a valid UK postcode, for example L1 8JQ"):
        locate(raw)


@pytest.mark.parametrize("raw", ["ZZ9 9ZZ", "L99 9ZZ", "L36 8AE"])
def test_a_well_formed_postcode_missing_from_the_directory_is_refused(raw: str) -> None:
    with pytest.raises(PostcodeError, match=f"We could not find the postcode {normalise(raw)}"):
        locate(raw)


def test_locations_in_lists_only_the_asked_authorities_in_order() -> None:
    found = postcodes.locations_in(["E08000011"], POSTCODE_LETTERS)
    assert len(found) > 3_000  # Knowsley has about 5,000 postcodes
    assert {location.local_authority_code for location in found} == {"E08000011"}
    keys = [location.postcode.replace(" ", "") for location in found]
    assert keys == sorted(keys)
    assert locate("L36 9YU") in found


def test_every_lcr_authority_has_postcodes_under_the_lcr_letters() -> None:
    found = postcodes.locations_in(LOCAL_AUTHORITIES, POSTCODE_LETTERS)
    assert {location.local_authority_code for location in found} == set(LOCAL_AUTHORITIES)


@pytest.mark.django_db
def test_a_site_with_an_unknown_postcode_fails_validation_on_the_postcode() -> None:
    site = Site(employer=EmployerFactory.create(), name="Depot", address="1 Dock Road", postcode="L99 9ZZ")
    with pytest.raises(ValidationError) as caught:
        site.full_clean()
    assert "could not find the postcode L99 9ZZ" in caught.value.message_dict["postcode"][0]
    # Nothing was made up.
    assert site.easting is None and site.northing is None and site.local_authority_code == ""


@pytest.mark.django_db
def test_a_pupil_with_a_malformed_postcode_fails_validation_on_the_postcode() -> None:
    pupil = Pupil(
        user=UserFactory.create(),
        school=SchoolFactory.create(),
        year_group=10,
        date_of_birth="2011-10-01",
        postcode="home",
    )
    with pytest.raises(ValidationError) as caught:
        pupil.full_clean()
    assert "not a valid UK postcode" in caught.value.message_dict["postcode"][0]
    assert pupil.easting is None and pupil.northing is None


@pytest.mark.django_db
def test_full_clean_normalises_and_locates_a_good_postcode() -> None:
    site = Site(employer=EmployerFactory.create(), name="Depot", address="1 Dock Road", postcode="ch415fn")
    site.full_clean()
    site.save()
    site.refresh_from_db()
    assert site.postcode == "CH41 5FN"
    assert site.local_authority_code == "E08000015"
    assert site.grid_point == point("CH41 5FN")
