"""The compact timetable: numpy arrays in one ``.npz``, loaded in milliseconds.

Times are seconds after midnight of the service day (GTFS allows 24:00:00
and later for trips that run past midnight). Days are ``date.toordinal()``.
Connections are consecutive stop pairs of a trip, sorted by departure then
arrival, then trip and position, so a backwards scan meets a trip's later
connections first.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from .._types import I8, I16, I32, U8, Bools, Strs

# Bump when the arrays or their meaning change: older files are then refused.
FORMAT_VERSION = 1


# wheelchair_boarding / wheelchair_accessible values.
ACCESS_UNKNOWN = 0
ACCESS_YES = 1
ACCESS_NO = 2

# Exception types in calendar_dates.txt.
SERVICE_ADDED = 1
SERVICE_REMOVED = 2

DAY_SECONDS = 86_400

ROUTE_TYPE_WORDS = {0: "tram", 1: "metro", 2: "train", 3: "bus", 4: "ferry", 5: "cable car", 11: "trolleybus"}


class TimetableFormatError(ValueError):
    """A stored timetable written by another format version, or damaged."""


@dataclass(frozen=True, eq=False)
class Timetable:
    """A whole feed. Stops are boardable points (platforms, stands, stops)."""

    stop_id: Strs
    stop_name: Strs
    stop_easting: I32
    stop_northing: I32
    stop_wheelchair: I8
    route_id: Strs
    route_name: Strs
    route_type: I16
    trip_id: Strs
    trip_route: I32
    trip_service: I32
    trip_wheelchair: I8
    service_id: Strs
    service_start: I32  # first day of the calendar.txt range; -1 if none
    service_end: I32
    service_weekdays: U8  # bit 0 Monday ... bit 6 Sunday
    exception_service: I32
    exception_day: I32
    exception_type: I8
    conn_dep: I32
    conn_arr: I32
    conn_from: I32
    conn_to: I32
    conn_trip: I32
    conn_pickup: Bools  # may board at conn_from
    conn_dropoff: Bools  # may alight at conn_to
    label: str = ""
    is_demo: bool = False
    _cache: dict[Any, Any] = field(default_factory=dict, repr=False, init=False)

    @property
    def fingerprint(self) -> str:
        """Hash of the content: the same feed always has the same fingerprint."""
        digest = hashlib.sha256()
        for f in _array_fields():
            digest.update(np.ascontiguousarray(getattr(self, f)).tobytes())
        digest.update(f"{self.label}|{self.is_demo}".encode())
        return digest.hexdigest()[:16]

    def first_day(self) -> int:
        days = [*self.service_start[self.service_start >= 0].tolist(), *self.exception_day.tolist()]
        return min(days) if days else -1

    def last_day(self) -> int:
        days = [*self.service_end[self.service_end >= 0].tolist(), *self.exception_day.tolist()]
        return max(days) if days else -1

    def services_on(self, day: int) -> Bools:
        """Which services run on ``day`` (calendar ranges, then exceptions)."""
        weekday = date.fromordinal(day).weekday()
        running: Bools = (
            (self.service_start <= day)
            & (self.service_end >= day)
            & ((self.service_weekdays >> np.uint8(weekday)) & 1).astype(bool)
        )
        today = self.exception_day == day
        running[self.exception_service[today & (self.exception_type == SERVICE_ADDED)]] = True
        running[self.exception_service[today & (self.exception_type == SERVICE_REMOVED)]] = False
        return running

    def day_type(self, day: int) -> str:
        """Days with the same services (and the same services the day before) share journeys."""
        digest = hashlib.sha256()
        digest.update(np.packbits(self.services_on(day)).tobytes())
        digest.update(np.packbits(self.services_on(day - 1)).tobytes())
        return digest.hexdigest()[:12]

    def save(self, target: str | Path | BinaryIO) -> None:
        arrays = {f: getattr(self, f) for f in _array_fields()}
        meta = np.array([str(FORMAT_VERSION), self.label, "1" if self.is_demo else "0"])
        np.savez_compressed(target, meta=meta, **arrays)

    @classmethod
    def load(cls, source: str | Path | BinaryIO) -> Timetable:
        try:
            with np.load(source, allow_pickle=False) as data:
                meta = data["meta"].tolist()
                if meta[0] != str(FORMAT_VERSION):
                    raise TimetableFormatError(
                        f"stored timetable has format {meta[0]}, this code reads {FORMAT_VERSION}: "
                        "import the feed again"
                    )
                arrays = {f: data[f] for f in _array_fields()}
        except (KeyError, ValueError, OSError) as error:
            if isinstance(error, TimetableFormatError):
                raise
            raise TimetableFormatError(f"stored timetable is damaged: {error}") from error
        return cls(**arrays, label=str(meta[1]), is_demo=meta[2] == "1")


def _array_fields() -> list[str]:
    return [f.name for f in fields(Timetable) if f.name not in {"label", "is_demo", "_cache"}]
