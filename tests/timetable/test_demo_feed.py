"""The committed demo feed: small, labelled as demo, rebuilt byte for byte by its script."""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

import pytest

from mobility.geography import postcodes
from placements.engine.timetable import Journey, plan_journey, read_feed

ROOT = Path(__file__).resolve().parents[2]
FEED = ROOT / "demo" / "data" / "lcr-demo-gtfs.zip"


def test_the_demo_feed_is_small_and_says_it_is_a_demo() -> None:
    assert FEED.stat().st_size < 1_000_000
    tt = read_feed(FEED)
    assert tt.is_demo
    assert "DEMO timetables, not real" in tt.label


def test_the_script_rebuilds_the_committed_feed(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_demo_gtfs", ROOT / "scripts" / "make_demo_gtfs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path / "again.zip")
    assert (tmp_path / "again.zip").read_bytes() == FEED.read_bytes()


@pytest.mark.parametrize(
    ("origin", "destination", "first_ride"),
    [("L36 9XP", "L1 6EN", "City line St Helens"), ("CH48 4DZ", "PR8 1BE", "Wirral line West Kirby")],
)
def test_demo_journeys_use_the_corridors(origin: str, destination: str, first_ride: str) -> None:
    a, b = postcodes.locate(origin), postcodes.locate(destination)
    found = plan_journey(
        read_feed(FEED), (a.easting, a.northing), (b.easting, b.northing), date(2026, 3, 2).toordinal()
    )
    assert isinstance(found, Journey)
    assert next(leg for leg in found.legs if leg.kind == "ride").route_name == first_ride
