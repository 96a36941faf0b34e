"""import_gtfs and travel_time, on a real database."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from mobility.geography.postcodes import locate
from mobility.transit.models import JourneyMatrix, TimetableFeed
from placements.transit.selectors import journey_minutes_for_pairs
from tests.timetable.feedkit import BASE_E, BASE_N, Feed
from tests.timetable.handmade import handmade_feed

pytestmark = pytest.mark.django_db

LIME_STREET = locate("L1 1JD")
ANFIELD = locate("L4 0TH")
MONDAY = "2026-03-02"


def _offset(where: object) -> tuple[float, float]:
    return (where.easting - BASE_E, where.northing - BASE_N)  # type: ignore[attr-defined]


def city_feed(agency: str = "City Buses") -> Feed:
    """Route 26 from beside Lime Street to beside Anfield, every 20 minutes."""
    f = Feed(agency_name=agency)
    x, y = _offset(LIME_STREET)
    f.stop("LS", x + 100, y, "Lime Street Bus Stop")
    x, y = _offset(ANFIELD)
    f.stop("AN", x, y - 150, "Anfield Road")
    f.service("WK")
    for i, start in enumerate(["07:30", "07:50", "08:10", "08:30"]):
        h, m = (int(v) for v in start.split(":"))
        end = h * 3600 + m * 60 + 18 * 60
        f.trip(f"t{i}", "26", "WK", [("LS", start), ("AN", f"{end // 3600:02d}:{end // 60 % 60:02d}")])
    return f


def _travel(*extra: str) -> str:
    out = StringIO()
    call_command("travel_time", "--from", "L1 1JD", "--to", "L4 0TH", "--date", MONDAY, *extra, stdout=out)
    return out.getvalue()


def test_import_then_travel_time(tmp_path: Path) -> None:
    out = StringIO()
    call_command("import_gtfs", str(city_feed().write(tmp_path / "city")), stdout=out)
    assert "Imported timetables v1: City Buses" in out.getvalue()
    found = json.loads(_travel("--json"))
    assert found["source"] == "timetable"
    assert found["changes"] == 0
    assert found["depart"] < "08:10" and found["arrive"] <= "08:50"
    assert found["legs"][1] == "bus 26 from Lime Street Bus Stop at 08:10 to Anfield Road, arriving 08:28"
    text = _travel("--arrive-by", "07:45")
    assert text.startswith("no journey: no journey arrives by 07:45")
    text = _travel()
    assert "0 changes" in text and "bus 26" in text


def test_travel_time_without_a_timetable_says_so() -> None:
    assert _travel() == "no journey: no timetable has been imported\n"


def test_a_malformed_feed_replaces_nothing(tmp_path: Path) -> None:
    call_command("import_gtfs", str(city_feed().write(tmp_path / "city")), stdout=StringIO())
    before = TimetableFeed.objects.get()
    broken = city_feed().write(tmp_path / "broken")
    text = (broken / "stop_times.txt").read_text().replace("08:28:00", "08:28")
    (broken / "stop_times.txt").write_text(text)
    with pytest.raises(
        CommandError, match=r"stop_times.txt, row \d+, field arrival_time: '08:28' is not a time"
    ):
        call_command("import_gtfs", str(broken))
    assert list(TimetableFeed.objects.values_list("pk", "version")) == [(before.pk, 1)]


def test_a_new_import_replaces_the_old_one_and_its_cached_journeys(tmp_path: Path) -> None:
    call_command("import_gtfs", str(city_feed().write(tmp_path / "city")), stdout=StringIO())
    pair: dict[str, Any] = {
        "origin_easting": np.array([LIME_STREET.easting] * 2),
        "origin_northing": np.array([LIME_STREET.northing] * 2),
        "destination_easting": np.array([ANFIELD.easting, BASE_E + 90_000]),
        "destination_northing": np.array([ANFIELD.northing, BASE_N]),
        "days": np.array([np.datetime64(MONDAY).astype(object).toordinal()] * 2),
        "step_free": np.array([False, False]),
    }
    first = journey_minutes_for_pairs(**pair)
    assert first is not None and first.feed_version == 1
    assert 20 < first.minutes[0] < 40
    assert np.isnan(first.minutes[1])  # no stop near the second destination: not covered
    assert JourneyMatrix.objects.count() == 1
    again = journey_minutes_for_pairs(**pair)
    assert again is not None and again.minutes[0] == first.minutes[0]
    assert JourneyMatrix.objects.count() == 1
    call_command("import_gtfs", str(handmade_feed().write(tmp_path / "hand")), stdout=StringIO())
    assert list(TimetableFeed.objects.values_list("version", flat=True)) == [2]
    assert JourneyMatrix.objects.count() == 0
    later = journey_minutes_for_pairs(**pair)
    assert later is not None and later.feed_version == 2
    assert np.isnan(later.minutes).all()  # the hand-made feed has no stops there


def test_a_pair_covered_with_no_journey_in_time_is_unreachable(tmp_path: Path) -> None:
    call_command("import_gtfs", str(city_feed().write(tmp_path / "city")), stdout=StringIO())
    found = journey_minutes_for_pairs(
        origin_easting=np.array([ANFIELD.easting]),
        origin_northing=np.array([ANFIELD.northing]),
        destination_easting=np.array([LIME_STREET.easting]),
        destination_northing=np.array([LIME_STREET.northing]),
        days=np.array([np.datetime64(MONDAY).astype(object).toordinal()]),
        step_free=np.array([False]),
    )
    assert found is not None
    assert np.isinf(found.minutes[0])  # route 26 runs only towards Anfield
