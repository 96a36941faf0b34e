"""The engine keeps its own pure copy of the travel estimate; it must agree with the kernel's."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pytest

from mobility.geography import travel as kernel
from placements.engine import policy as engine_policy
from placements.engine import travel as engine

# (from easting, from northing, to easting, to northing, virtual)
PAIRS = [
    (334000, 390000, 334000, 390000, False),  # same spot
    (334000, 390000, 335000, 390000, False),  # 1 km: walk
    (334000, 390000, 335600, 390000, False),  # at the walking limit
    (334000, 390000, 335601, 390000, False),  # a metre past it: bus
    (334000, 390000, 340000, 398000, False),  # 10 km by bus
    (320000, 380000, 360000, 420000, False),  # across the region
    (334000, 390000, 400000, 500000, True),  # far but online
    (0, 0, 700000, 1200000, False),  # corner to corner of the grid
]
MODELS = [
    {},
    {"bus_speed_km_h": 32.0, "bus_wait_minutes": 0.0, "bus_access_minutes": 0.0},
    {"walk_max_km": 0.0, "detour_factor": 1.0},
]


def test_the_two_travel_models_have_the_same_fields_and_defaults() -> None:
    engine_fields = dataclasses.asdict(engine_policy.TravelModel())
    # Only the engine's model carries a run's timetable minutes (None: estimate only).
    assert engine_fields.pop("timetable") is None
    assert dataclasses.asdict(kernel.TravelModel()) == engine_fields


@pytest.mark.parametrize("settings_", MODELS)
def test_the_kernel_and_the_engine_give_the_same_minutes(settings_: dict[str, Any]) -> None:
    from_e, from_n, to_e, to_n, virtual = (np.array(column) for column in zip(*PAIRS, strict=True))
    ours = kernel.estimate_travel_minutes(
        from_e, from_n, to_e, to_n, virtual, kernel.TravelModel(**settings_)
    )
    theirs = engine.estimate_travel_minutes(
        from_e, from_n, to_e, to_n, virtual, engine_policy.TravelModel(**settings_)
    )
    assert ours.dtype == theirs.dtype == np.float32
    np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("minutes", [0, 5, 20, 45, 90, 240])
def test_the_kernel_and_the_engine_size_searches_the_same(minutes: int) -> None:
    np.testing.assert_array_equal(
        kernel.reach_metres(minutes), engine.reach_metres(minutes, engine_policy.TravelModel())
    )


def test_journey_minutes_rounds_up_and_counts_online_as_zero() -> None:
    home = (334000, 390000)
    # 10 km straight: 13 km by road at 16 km/h is 48.75 minutes, plus 16 at the stops.
    assert kernel.journey_minutes(home=home, destinations=[(344000, 390000), None, home]) == [65, 0, 0]
