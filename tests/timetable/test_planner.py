"""The hand-made feed's best journeys, worked out by hand (see handmade.py)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from placements.engine.timetable import (
    Journey,
    JourneyRules,
    NoJourney,
    Origins,
    Timetable,
    plan_from,
    plan_journey,
)
from placements.engine.timetable.planner import clock

from .feedkit import BASE_E, BASE_N, hhmm
from .handmade import HOME, MONDAY, SUNDAY, TUESDAY, WEDNESDAY, WORK, WORK2, WORK3


def _at(point: tuple[float, float]) -> tuple[float, float]:
    return (BASE_E + point[0], BASE_N + point[1])


def _day(text: str) -> int:
    return date.fromisoformat(text).toordinal()


def _plan(tt: Timetable, when: str, to: tuple[float, float] = WORK, **kwargs: object) -> Journey:
    found = plan_journey(tt, _at(HOME), _at(to), _day(when), **kwargs)  # type: ignore[arg-type]
    assert isinstance(found, Journey), found
    return found


def test_best_monday_journey_avoids_every_trap(handmade: Timetable) -> None:
    journey = _plan(handmade, MONDAY)
    assert journey.depart == hhmm("07:44:48")
    assert journey.arrive == hhmm("08:40") + 208
    assert journey.changes == 1
    assert journey.minutes == 59
    assert [leg.describe() for leg in journey.legs] == [
        "walk 5 min to Alpha Road",
        "bus 2 from Alpha Road at 07:50 to Cross Street, arriving 08:10",
        "bus 3 from Cross Street at 08:20 to Works Gate, arriving 08:40",
        "walk 3 min",
    ]


def test_a_shorter_change_time_makes_the_two_minute_change_possible(handmade: Timetable) -> None:
    journey = _plan(handmade, MONDAY, rules=JourneyRules(min_change_minutes=2))
    assert journey.depart == hhmm("07:54:48")


def test_a_later_deadline_lets_the_fast_express_win(handmade: Timetable) -> None:
    journey = _plan(handmade, MONDAY, rules=JourneyRules(arrive_by_minutes=8 * 60 + 52))
    assert journey.depart == hhmm("08:19:48")
    assert journey.changes == 0
    assert journey.legs[1].route_name == "X1"


def test_a_calendar_exception_adds_a_service_on_its_day(handmade: Timetable) -> None:
    journey = _plan(handmade, TUESDAY)
    assert journey.depart == hhmm("08:04:48")
    assert journey.legs[1].route_name == "5"


def test_a_calendar_exception_removes_a_service_on_its_day(handmade: Timetable) -> None:
    journey = _plan(handmade, WEDNESDAY)
    assert journey.depart == hhmm("07:34:48")
    assert journey.legs[1].route_name == "1"


def test_step_free_avoids_inaccessible_stops_and_vehicles(handmade: Timetable) -> None:
    assert _plan(handmade, MONDAY, step_free=True).depart == hhmm("07:34:48")
    # Tuesday's extra trip has no step-free access either.
    assert _plan(handmade, TUESDAY, step_free=True).depart == hhmm("07:34:48")


def test_a_change_may_walk_to_a_nearby_stop(handmade: Timetable) -> None:
    journey = _plan(handmade, MONDAY, to=WORK2)
    assert journey.depart == hhmm("07:54:48")
    assert [leg.kind for leg in journey.legs] == ["walk", "ride", "walk", "ride", "walk"]
    assert journey.legs[2].to_name == "Yew Tree"
    assert journey.legs[2].minutes == 5


def test_at_most_two_changes(handmade: Timetable) -> None:
    found = plan_journey(handmade, _at(HOME), _at(WORK3), _day(MONDAY))
    assert isinstance(found, NoJourney)
    assert "at most 2 changes" in found.reason
    journey = _plan(handmade, MONDAY, to=WORK3, rules=JourneyRules(max_changes=4))
    assert journey.changes == 4
    assert journey.depart == hhmm("06:54:48")


def test_trips_after_midnight_belong_to_the_day_before(handmade: Timetable) -> None:
    rules = JourneyRules(arrive_by_minutes=60)
    journey = _plan(handmade, TUESDAY, rules=rules)
    assert journey.depart == hhmm("00:04:48")
    assert clock(journey.legs[1].depart) == "00:10"
    # Sunday's services have no night bus.
    assert isinstance(plan_journey(handmade, _at(HOME), _at(WORK), _day(MONDAY), rules), NoJourney)


def test_no_journey_says_why(handmade: Timetable) -> None:
    nowhere = (BASE_E + 60_000, BASE_N)
    assert "of the start" in _reason(plan_journey(handmade, nowhere, _at(WORK), _day(MONDAY)))
    assert "of the destination" in _reason(plan_journey(handmade, _at(HOME), nowhere, _day(MONDAY)))
    assert "no services" in _reason(plan_journey(handmade, _at(HOME), _at(WORK), _day("2027-03-01")))
    early = JourneyRules(arrive_by_minutes=7 * 60)
    assert "no journey arrives by 07:00" in _reason(
        plan_journey(handmade, _at(HOME), _at(WORK), _day(MONDAY), early)
    )
    # Sunday's route 4 is the only service that day.
    assert _plan(handmade, SUNDAY).legs[1].route_name == "4"


def _reason(found: Journey | NoJourney) -> str:
    assert isinstance(found, NoJourney), found
    return found.reason


def test_walking_all_the_way_when_it_is_near(handmade: Timetable) -> None:
    journey = _plan(handmade, MONDAY, to=(1000.0, 0.0))
    assert journey.changes == 0
    assert [leg.kind for leg in journey.legs] == ["walk"]
    assert journey.arrive == hhmm("08:50")
    assert journey.minutes == 18  # 1000 m x 1.3 at 4.5 km/h = 17.3 min


def test_many_origins_agree_with_single_questions(handmade: Timetable) -> None:
    origins = [HOME, (100.0, 50.0), (1500.0, 0.0), (60_000.0, 0.0), (9000.0, 0.0)]
    e = np.array([BASE_E + o[0] for o in origins])
    n = np.array([BASE_N + o[1] for o in origins])
    rules = JourneyRules()
    many = plan_from(handmade, Origins.build(handmade, e, n, rules), *_at(WORK), _day(MONDAY), rules)
    for i, origin in enumerate(origins):
        single = plan_journey(handmade, _at(origin), _at(WORK), _day(MONDAY))
        if isinstance(single, NoJourney):
            assert many.depart[i] == -1
        else:
            assert (many.depart[i], many.arrive[i]) == (single.depart, single.arrive)
            assert many.minutes[i] == single.minutes


@pytest.mark.parametrize("when", [MONDAY, TUESDAY])
def test_day_types_differ_when_services_differ(handmade: Timetable, when: str) -> None:
    other = "2026-03-09"  # the next Monday: same services as the first
    same = handmade.day_type(_day(when)) == handmade.day_type(_day(other))
    assert same is (when == MONDAY)


def test_a_stop_beyond_walking_distance_is_not_used(handmade: Timetable) -> None:
    # Route 6 from Far Lane (1.5 km away) would leave latest of all if one walked that far.
    assert _plan(handmade, MONDAY).legs[1].route_name != "6"
    journey = _plan(handmade, MONDAY, rules=JourneyRules(max_walk_m=1600))
    assert journey.legs[1].route_name == "6"
    assert journey.legs[0].to_name == "Far Lane"
