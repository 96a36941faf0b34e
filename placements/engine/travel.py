"""Travel-time estimate. The ONE place that turns geography into minutes.

A timetable-based source (e.g. a GTFS router) can replace
``estimate_travel_minutes`` later; everything else calls only this function
and ``reach_metres`` (its inverse, used to size spatial searches).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._types import F32, F64
from .policy import TravelModel


def estimate_travel_minutes(
    from_easting: ArrayLike,
    from_northing: ArrayLike,
    to_easting: ArrayLike,
    to_northing: ArrayLike,
    virtual: ArrayLike,
    model: TravelModel,
) -> F32:
    """Estimated one-way minutes, element-wise; 0 for virtual opportunities.

    ``virtual`` may be one bool for all pairs.
    """
    # Differences in integer metres first: float32 is then exact enough.
    dx = np.asarray(np.asarray(from_easting, np.int64) - np.asarray(to_easting, np.int64), np.float32)
    dy = np.asarray(np.asarray(from_northing, np.int64) - np.asarray(to_northing, np.int64), np.float32)
    # In place where possible (this runs on millions of pairs); float32 throughout.
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


def reach_metres(max_minutes: ArrayLike, model: TravelModel) -> F64:
    """Largest straight-line distance that can be within ``max_minutes``.

    An upper bound for spatial searches; the exact test is always
    ``estimate_travel_minutes(...) <= max_minutes``.
    """
    m = np.asarray(max_minutes, dtype=np.float64)
    walk_km = np.minimum(m / 60.0 * model.walk_speed_km_h / model.detour_factor, model.walk_max_km)
    bus_minutes = np.maximum(m - model.bus_access_minutes - model.bus_wait_minutes, 0.0)
    bus_km = bus_minutes / 60.0 * model.bus_speed_km_h / model.detour_factor
    # Float32 rounding in the estimate: pad by a metre.
    reach: F64 = np.maximum(walk_km, bus_km) * 1000.0 + 1.0
    return reach
