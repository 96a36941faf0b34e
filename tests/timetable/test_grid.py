"""WGS84 to National Grid: the Ordnance Survey's worked example and known postcode points."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mobility.geography import postcodes
from placements.engine.timetable.grid import grid_to_osgb36, grid_to_wgs84, osgb36_to_grid, wgs84_to_grid


def test_projection_matches_the_ordnance_survey_worked_example() -> None:
    # "A guide to coordinate systems in Great Britain", annex C: Caister water tower.
    lat = 52 + 39 / 60 + 27.2531 / 3600
    lon = 1 + 43 / 60 + 4.5177 / 3600
    east, north = osgb36_to_grid(lat, lon)
    assert float(east) == pytest.approx(651409.903, abs=0.005)
    assert float(north) == pytest.approx(313177.270, abs=0.005)
    back_lat, back_lon = grid_to_osgb36(651409.903, 313177.270)
    assert float(back_lat) == pytest.approx(lat, abs=1e-7)
    assert float(back_lon) == pytest.approx(lon, abs=1e-7)


# Landmarks' published WGS84 positions and their postcodes: a postcode's grid point
# is its addresses' centre, so agreement within 150 m is what the data allows.
LANDMARKS = [
    ("SW1A 1AA", 51.5014, -0.1419),  # Buckingham Palace
    ("SW1A 2AA", 51.5034, -0.1276),  # 10 Downing Street
    ("L1 1JD", 53.4077, -2.9774),  # Liverpool Lime Street
    ("L4 0TH", 53.4308, -2.9608),  # Anfield
    ("EH1 2NG", 55.9486, -3.1999),  # Edinburgh Castle
]


@pytest.mark.parametrize(("postcode", "lat", "lon"), LANDMARKS)
def test_landmarks_land_on_their_postcodes(postcode: str, lat: float, lon: float) -> None:
    where = postcodes.locate(postcode)
    east, north = wgs84_to_grid(lat, lon)
    assert math.hypot(float(east) - where.easting, float(north) - where.northing) < 150


def test_the_datum_shift_is_applied() -> None:
    # Without the Helmert shift a Liverpool point is about 100 m off.
    east, north = wgs84_to_grid(53.4077, -2.9774)
    raw_east, raw_north = osgb36_to_grid(53.4077, -2.9774)
    assert 80 < math.hypot(float(east - raw_east), float(north - raw_north)) < 140


def test_round_trip_is_within_a_centimetre() -> None:
    east = np.array([335_067.0, 651_409.9, 200_000.0, 450_000.0])
    north = np.array([390_571.0, 313_177.3, 700_000.0, 100_000.0])
    lat, lon = grid_to_wgs84(east, north)
    again_e, again_n = wgs84_to_grid(lat, lon)
    assert (
        np.max(np.hypot(again_e - east, again_n - north)) < 0.01
    )  # the reversed Helmert shift is not an exact inverse
