"""Reads: the current timetable, one journey with its legs, and many journeys' minutes (cached)."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import threading
from dataclasses import dataclass
from typing import Literal

import numpy as np
from django.conf import settings
from django.db import IntegrityError
from numpy.typing import NDArray

from placements.engine.timetable import (
    Journey,
    JourneyRules,
    NoJourney,
    Timetable,
    TimetableFormatError,
    covers,
    plan_journey,
    plan_to,
    runs_on,
)

from .models import CachedJourney, TimetableFeed

CELL_METRES = 50  # journeys are cached between grid cells this size
_ROW = 1 << 24


@dataclass(frozen=True)
class LoadedFeed:
    pk: int
    version: int
    label: str
    is_demo: bool
    fingerprint: str
    timetable: Timetable


_loaded: LoadedFeed | None = None
_lock = threading.Lock()


def timetable_current() -> LoadedFeed | None:
    """The current feed, loaded once per process and version; None if none (or stale format)."""
    global _loaded
    row = TimetableFeed.objects.values("pk", "version", "label", "is_demo", "fingerprint").first()
    if row is None:
        return None
    with _lock:
        if _loaded is None or (_loaded.pk, _loaded.fingerprint) != (row["pk"], row["fingerprint"]):
            data = TimetableFeed.objects.values_list("compact", flat=True).get(pk=row["pk"])
            try:
                timetable = Timetable.load(io.BytesIO(bytes(data)))
            except TimetableFormatError:
                return None
            _loaded = LoadedFeed(
                row["pk"], row["version"], row["label"], row["is_demo"], row["fingerprint"], timetable
            )
        return _loaded


def arrive_by_minutes(text: str | None = None) -> int:
    """Minutes after midnight of ``HH:MM`` (default: the ARRIVE_BY setting)."""
    hours, minutes = (text or settings.MOBILITY["ARRIVE_BY"]).split(":")
    value = int(hours) * 60 + int(minutes)
    if not (0 <= int(minutes) < 60 and 0 <= value < 24 * 60):
        raise ValueError(f"{text!r} is not a time of day (HH:MM)")
    return value


def journey_rules(arrive_by: int | None = None) -> JourneyRules:
    return JourneyRules(arrive_by_minutes=arrive_by_minutes() if arrive_by is None else arrive_by)


@dataclass(frozen=True)
class TravelAnswer:
    """A journey from the timetable, or why the estimate is used instead."""

    source: Literal["timetable", "estimate"]
    journey: Journey | None = None
    no_journey: str = ""  # the timetable covers the pair but nothing arrives in time
    fallback_reason: str = ""  # why the timetable was not used
    feed_label: str = ""
    is_demo: bool = False


def journey_between(
    *,
    origin: tuple[int, int],
    destination: tuple[int, int],
    day: dt.date,
    arrive_by: int | None = None,
    step_free: bool = False,
) -> TravelAnswer:
    """One journey with its legs, from the current timetable if it covers the pair on ``day``."""
    loaded = timetable_current()
    if loaded is None:
        return TravelAnswer("estimate", fallback_reason="no timetable has been imported")
    tt = loaded.timetable
    rules = journey_rules(arrive_by)
    if not runs_on(tt, day.toordinal()):
        return TravelAnswer(
            "estimate",
            fallback_reason=f"the timetable has no services on {day:%a %d %b %Y}",
            feed_label=loaded.label,
            is_demo=loaded.is_demo,
        )
    near = covers(tt, [origin[0], destination[0]], [origin[1], destination[1]], rules)
    if not near.all():
        end = "start" if not near[0] else "destination"
        return TravelAnswer(
            "estimate",
            fallback_reason=f"the timetable has no stop within {rules.max_walk_m:.0f} m of the {end}",
            feed_label=loaded.label,
            is_demo=loaded.is_demo,
        )
    found = plan_journey(tt, origin, destination, day.toordinal(), rules, step_free=step_free)
    if isinstance(found, NoJourney):
        return TravelAnswer(
            "timetable", no_journey=found.reason, feed_label=loaded.label, is_demo=loaded.is_demo
        )
    return TravelAnswer("timetable", journey=found, feed_label=loaded.label, is_demo=loaded.is_demo)


def _cells(easting: NDArray[np.int64], northing: NDArray[np.int64]) -> NDArray[np.int64]:
    cells: NDArray[np.int64] = (easting // CELL_METRES) * _ROW + northing // CELL_METRES
    return cells


def _centres(cells: NDArray[np.int64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    east = ((cells // _ROW) + 0.5).astype(np.float64) * CELL_METRES
    north = ((cells % _ROW) + 0.5).astype(np.float64) * CELL_METRES
    return east, north


@dataclass(frozen=True)
class PairMinutes:
    """Per pair: door-to-door minutes (inf: no journey in time), NaN where the feed does not cover it."""

    minutes: NDArray[np.float32]
    changes: NDArray[np.int16]
    feed_version: int


def journey_minutes_for_pairs(
    *,
    origin_easting: NDArray[np.int64],
    origin_northing: NDArray[np.int64],
    destination_easting: NDArray[np.int64],
    destination_northing: NDArray[np.int64],
    days: NDArray[np.int64],
    step_free: NDArray[np.bool_],
    arrive_by: int | None = None,
) -> PairMinutes | None:
    """Timetable minutes for many pairs, from the journey cache or worked out and cached.

    Computed per destination cell (one backwards scan serves every origin) and
    stored per feed version, day type, deadline and step-free need.
    """
    loaded = timetable_current()
    n = len(days)
    if loaded is None:
        return None
    tt = loaded.timetable
    rules = journey_rules(arrive_by)
    minutes = np.full(n, np.nan, dtype=np.float32)
    changes = np.full(n, -1, dtype=np.int16)
    origin = _cells(np.asarray(origin_easting, np.int64), np.asarray(origin_northing, np.int64))
    destination = _cells(
        np.asarray(destination_easting, np.int64), np.asarray(destination_northing, np.int64)
    )
    day_types = {int(d): tt.day_type(int(d)) for d in np.unique(days) if runs_on(tt, int(d))}
    if not day_types:
        return PairMinutes(minutes, changes, loaded.version)
    # Only pairs with a stop near both ends and services that day.
    ox, oy = _centres(origin)
    dx, dy = _centres(destination)
    usable = covers(tt, ox, oy, rules) & covers(tt, dx, dy, rules) & np.isin(days, list(day_types))
    type_codes = {t: i for i, t in enumerate(sorted(set(day_types.values())))}
    type_of = np.array([type_codes.get(day_types.get(int(d), ""), -1) for d in days], dtype=np.int64)
    group = (type_of * 2 + step_free.astype(np.int64)) * (1 << 48) + destination
    idx = np.flatnonzero(usable)
    order = idx[np.argsort(group[idx], kind="stable")]
    bounds = np.flatnonzero(np.diff(group[order])) + 1
    names = sorted(type_codes, key=type_codes.__getitem__)
    day_of_type = {t: d for d, t in sorted(day_types.items(), reverse=True)}
    for part in np.split(order, bounds) if len(order) else []:
        first = int(part[0])
        day_type = names[int(type_of[first])]
        key = (day_type, bool(step_free[first]), int(destination[first]))
        found = _cached_or_planned(loaded, rules, key, origin[part], day_of_type[day_type])
        minutes[part] = found[0]
        changes[part] = found[1]
    return PairMinutes(minutes, changes, loaded.version)


def _cached_or_planned(
    loaded: LoadedFeed,
    rules: JourneyRules,
    key: tuple[str, bool, int],
    origins: NDArray[np.int64],
    day: int,
) -> tuple[NDArray[np.float32], NDArray[np.int16]]:
    day_type, step_free, destination = key
    wanted = np.unique(origins)
    rows = CachedJourney.objects.filter(
        feed_id=loaded.pk,
        day_type=day_type,
        arrive_by=rules.arrive_by_minutes,
        step_free=step_free,
        destination_cell=destination,
        origin_cell__in=wanted.tolist(),
    ).values_list("origin_cell", "minutes", "changes")
    known = {cell: (np.inf if m is None else float(m), -1 if c is None else c) for cell, m, c in rows}
    missing = np.array([c for c in wanted.tolist() if c not in known], dtype=np.int64)
    if len(missing):
        mx, my = _centres(missing)
        dx, dy = _centres(np.array([destination], dtype=np.int64))
        many = plan_to(loaded.timetable, mx, my, float(dx[0]), float(dy[0]), day, rules, step_free)
        found_minutes = many.minutes
        new = []
        for cell, m, c in zip(missing.tolist(), found_minutes.tolist(), many.changes.tolist(), strict=True):
            known[cell] = (m, c)
            new.append(
                CachedJourney(
                    feed_id=loaded.pk,
                    day_type=day_type,
                    arrive_by=rules.arrive_by_minutes,
                    step_free=step_free,
                    origin_cell=cell,
                    destination_cell=destination,
                    minutes=None if not np.isfinite(m) else int(m),
                    changes=None if not np.isfinite(m) else c,
                )
            )
        # The feed may have been replaced meanwhile: then these journeys are not worth keeping.
        with contextlib.suppress(IntegrityError):
            CachedJourney.objects.bulk_create(new, ignore_conflicts=True, batch_size=5000)
    out_minutes = np.array([known[c][0] for c in origins.tolist()], dtype=np.float32)
    out_changes = np.array([known[c][1] for c in origins.tolist()], dtype=np.int16)
    return out_minutes, out_changes
