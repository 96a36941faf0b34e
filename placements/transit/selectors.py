"""Reads: the current timetable, one journey with its legs, and many journeys' minutes (cached)."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import threading
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from numpy.typing import ArrayLike, NDArray

from mobility.transit.models import JourneyMatrix, TimetableFeed
from placements.engine.timetable import (
    Journey,
    JourneyRules,
    NoJourney,
    Timetable,
    TimetableFormatError,
    covers,
    plan_journey,
    runs_on,
)
from placements.engine.timetable.planner import NO_JOURNEY, Origins, minutes_matrix

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


def timetable_warm(days: int = 366) -> None:
    """Load the current feed and the planner's compiled loops now (a web worker calls this as it
    starts), so the first pupil who asks for a journey does not wait for them."""
    loaded = timetable_current()
    tt = loaded.timetable if loaded else None
    if tt is None or len(tt.stop_easting) < 2:
        return
    today = dt.date.today().toordinal()
    day = next((d for d in range(today, today + days) if runs_on(tt, d)), None)
    if day is not None:
        one = (float(tt.stop_easting[0]), float(tt.stop_northing[0]))
        other = (float(tt.stop_easting[-1]), float(tt.stop_northing[-1]))
        plan_journey(tt, one, other, day, journey_rules())


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


def cells_of(easting: ArrayLike, northing: ArrayLike) -> NDArray[np.int64]:
    """The 50 m grid cell of each point, as one number."""
    e, n = np.asarray(easting, np.int64), np.asarray(northing, np.int64)
    cells: NDArray[np.int64] = (e // CELL_METRES) * _ROW + n // CELL_METRES
    return cells


def _centres(cells: NDArray[np.int64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    east = ((cells // _ROW) + 0.5).astype(np.float64) * CELL_METRES
    north = ((cells % _ROW) + 0.5).astype(np.float64) * CELL_METRES
    return east, north


def covered_cells(loaded: LoadedFeed, cells: NDArray[np.int64], rules: JourneyRules) -> NDArray[np.bool_]:
    """Cells with a stop within walking distance of their centre."""
    return covers(loaded.timetable, *_centres(cells), rules)


def journey_matrix(
    *,
    loaded: LoadedFeed,
    origins: NDArray[np.int64],
    destinations: NDArray[np.int64],
    day: int,
    rules: JourneyRules,
    step_free: bool,
) -> NDArray[np.uint8]:
    """Minutes between cells (origins x destinations, ``NO_JOURNEY`` if none) on ``day``.

    Read from the stored matrix for the feed and day type; cells it lacks are
    worked out (one backwards scan per destination serves every origin) and
    the matrix is stored again, so a warm run reads one row.
    """
    tt = loaded.timetable
    day_type = tt.day_type(day)
    key: dict[str, Any] = {
        "feed_id": loaded.pk,
        "day_type": day_type,
        "arrive_by": rules.arrive_by_minutes,
        "step_free": step_free,
    }
    row = JourneyMatrix.objects.filter(**key).values_list("data", flat=True).first()
    have_o = np.empty(0, np.int64)
    have_d = np.empty(0, np.int64)
    have = np.empty((0, 0), np.uint8)
    if row is not None:
        with np.load(io.BytesIO(bytes(row)), allow_pickle=False) as stored:
            have_o, have_d, have = stored["origins"], stored["destinations"], stored["minutes"]
    all_o = np.union1d(have_o, origins)
    all_d = np.union1d(have_d, destinations)
    if len(all_o) != len(have_o) or len(all_d) != len(have_d):
        have = _extend(tt, (have_o, have_d, have), (all_o, all_d), day, rules, step_free)
        have_o, have_d = all_o, all_d
        buffer = io.BytesIO()
        # Uncompressed: a warm run reads it back in milliseconds.
        np.savez(buffer, origins=have_o, destinations=have_d, minutes=have)
        # The feed may have been replaced meanwhile: then this matrix is not worth keeping. Inside
        # a run's repeatable-read snapshot another run storing the same matrix is a serialization
        # failure (OperationalError): theirs is as good, so keep going.
        with contextlib.suppress(IntegrityError, OperationalError), transaction.atomic():
            JourneyMatrix.objects.update_or_create(
                **key,
                defaults={"data": buffer.getvalue(), "origins": len(have_o), "destinations": len(have_d)},
            )
    rows = np.searchsorted(have_o, origins)
    cols = np.searchsorted(have_d, destinations)
    found: NDArray[np.uint8] = have[np.ix_(rows, cols)]
    return found


def _extend(
    tt: Timetable,
    old: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.uint8]],
    new: tuple[NDArray[np.int64], NDArray[np.int64]],
    day: int,
    rules: JourneyRules,
    step_free: bool,
) -> NDArray[np.uint8]:
    """The matrix over the new cells: old values kept, the rest worked out."""
    old_o, old_d, old_m = old
    all_o, all_d = new
    out = np.full((len(all_o), len(all_d)), NO_JOURNEY, dtype=np.uint8)
    keep_o = np.searchsorted(all_o, old_o)
    keep_d = np.searchsorted(all_d, old_d)
    out[np.ix_(keep_o, keep_d)] = old_m
    fresh_o = ~np.isin(all_o, old_o)
    fresh_d = ~np.isin(all_d, old_d)
    de, dn = _centres(all_d)
    # New destinations: every origin. Old destinations: only the new origins.
    if fresh_d.any():
        every = Origins.build(tt, *_centres(all_o), rules)
        out[:, fresh_d] = minutes_matrix(tt, every, de[fresh_d], dn[fresh_d], day, rules, step_free)
    if fresh_o.any() and (~fresh_d).any():
        some = Origins.build(tt, *_centres(all_o[fresh_o]), rules)
        block = minutes_matrix(tt, some, de[~fresh_d], dn[~fresh_d], day, rules, step_free)
        out[np.ix_(np.flatnonzero(fresh_o), np.flatnonzero(~fresh_d))] = block
    return out


@dataclass(frozen=True)
class PairMinutes:
    """Per pair: door-to-door minutes (inf: no journey in time), NaN where the feed does not cover it."""

    minutes: NDArray[np.float32]
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
    """Timetable minutes for pairs of points, through the stored matrices; None without a feed."""
    loaded = timetable_current()
    if loaded is None:
        return None
    rules = journey_rules(arrive_by)
    origin = cells_of(origin_easting, origin_northing)
    destination = cells_of(destination_easting, destination_northing)
    days = np.asarray(days, np.int64)
    minutes = np.full(len(days), np.nan, dtype=np.float32)
    usable = covered_cells(loaded, origin, rules) & covered_cells(loaded, destination, rules)
    for day in np.unique(days[usable]).tolist():
        if not runs_on(loaded.timetable, day):
            continue
        for need in (False, True):
            at = np.flatnonzero(usable & (days == day) & (step_free == need))
            if len(at) == 0:
                continue
            o, oi = np.unique(origin[at], return_inverse=True)
            d, di = np.unique(destination[at], return_inverse=True)
            matrix = journey_matrix(
                loaded=loaded, origins=o, destinations=d, day=day, rules=rules, step_free=need
            )
            found = matrix[oi.ravel(), di.ravel()]
            minutes[at] = np.where(found == NO_JOURNEY, np.inf, found.astype(np.float32))
    return PairMinutes(minutes, loaded.version)
