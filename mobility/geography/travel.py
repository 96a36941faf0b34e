"""The travel estimate everything outside the matching engine calls, and journeys in words.

The engine keeps its own pure copy (``placements.engine.travel``) so it stays free of Django
and of this package; a test pins the two to the same answers. A timetable-based source can
replace ``estimate_travel_minutes`` here and there together.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mobility.geography.fares import Fare, fare_for


@dataclass(frozen=True)
class TravelModel:
    """Door-to-door minutes from straight-line grid distance (same fields as the engine's).

    Route length = straight line x ``detour_factor``. Pupils walk when the straight line is at
    most ``walk_max_km``; otherwise they take the bus: ``bus_access_minutes`` + ``bus_wait_minutes``
    + route length at ``bus_speed_km_h``.
    """

    walk_speed_km_h: float = 4.5
    walk_max_km: float = 1.6
    detour_factor: float = 1.3
    bus_speed_km_h: float = 16.0
    bus_wait_minutes: float = 8.0
    bus_access_minutes: float = 8.0


TRAVEL_MODEL = TravelModel()

GridPoint = tuple[int, int]  # British National Grid easting, northing (metres)


def estimate_travel_minutes(
    from_easting: ArrayLike,
    from_northing: ArrayLike,
    to_easting: ArrayLike,
    to_northing: ArrayLike,
    virtual: ArrayLike,
    model: TravelModel = TRAVEL_MODEL,
) -> NDArray[np.float32]:
    """Estimated one-way minutes, element-wise; 0 for virtual opportunities."""
    # Same float32 steps as the engine's copy, so both give the same minutes.
    dx = np.asarray(np.asarray(from_easting, np.int64) - np.asarray(to_easting, np.int64), np.float32)
    dy = np.asarray(np.asarray(from_northing, np.int64) - np.asarray(to_northing, np.int64), np.float32)
    km = np.hypot(dx, dy, out=dx)
    km /= np.float32(1000.0)
    route_km = km * model.detour_factor
    walk = route_km / model.walk_speed_km_h
    walk *= 60.0
    bus = route_km / model.bus_speed_km_h
    bus *= 60.0
    bus += np.float32(model.bus_access_minutes + model.bus_wait_minutes)
    minutes = np.where(km <= model.walk_max_km, walk, bus)
    v = np.asarray(virtual, dtype=bool)
    if v.ndim == 0:
        if v:
            minutes[...] = 0.0
    else:
        minutes[v] = 0.0
    return minutes.astype(np.float32, copy=False)


def reach_metres(max_minutes: ArrayLike, model: TravelModel = TRAVEL_MODEL) -> NDArray[np.float64]:
    """Largest straight-line distance that can be within ``max_minutes`` (to size spatial searches)."""
    m = np.asarray(max_minutes, dtype=np.float64)
    walk_km = np.minimum(m / 60.0 * model.walk_speed_km_h / model.detour_factor, model.walk_max_km)
    bus_minutes = np.maximum(m - model.bus_access_minutes - model.bus_wait_minutes, 0.0)
    bus_km = bus_minutes / 60.0 * model.bus_speed_km_h / model.detour_factor
    # Float32 rounding in the estimate: pad by a metre.
    reach: NDArray[np.float64] = np.maximum(walk_km, bus_km) * 1000.0 + 1.0
    return reach


def journey_minutes(*, home: GridPoint, destinations: Sequence[GridPoint | None]) -> list[int]:
    """Whole minutes (rounded up) from ``home`` to each destination; ``None`` is online, 0 minutes."""
    if not destinations:
        return []
    points = [d or home for d in destinations]
    minutes = estimate_travel_minutes(
        np.full(len(points), home[0]),
        np.full(len(points), home[1]),
        np.array([p[0] for p in points]),
        np.array([p[1] for p in points]),
        np.array([d is None for d in destinations]),
    )
    return [math.ceil(float(m)) for m in minutes]


@dataclass(frozen=True, slots=True)
class Traveller:
    """What decides a pupil's fare."""

    date_of_birth: dt.date
    care_experienced: bool

    def age_on(self, day: dt.date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass(frozen=True, slots=True)
class Journey:
    minutes: int
    how: str  # "online", "walk" or "bus"
    fare: Fare | None

    @property
    def fare_words(self) -> str:
        if self.how == "online":
            return "No fare: this placement is online"
        if self.how == "walk":
            return "No fare: you can walk"
        return self.fare.words if self.fare else "Check the fare with the bus company"

    @property
    def summary(self) -> str:
        if self.how == "online":
            return "Online, no travel"
        way = "walk" if self.how == "walk" else "by bus"
        return f"About {self.minutes} minutes {way}"


def journeys(
    *, home: GridPoint, trips: Sequence[tuple[GridPoint | None, dt.date]], traveller: Traveller
) -> list[Journey]:
    """One journey per trip (a destination, ``None`` for online, and the first day travelled)."""
    minutes = journey_minutes(home=home, destinations=[point for point, _ in trips])
    result = []
    for (point, day), mins in zip(trips, minutes, strict=True):
        if point is None:
            result.append(Journey(0, "online", None))
            continue
        km = math.hypot(home[0] - point[0], home[1] - point[1]) / 1000
        how = "walk" if km <= TRAVEL_MODEL.walk_max_km else "bus"
        fare = fare_for(age=traveller.age_on(day), care_experienced=traveller.care_experienced, day=day)
        result.append(Journey(mins, how, fare))
    return result
