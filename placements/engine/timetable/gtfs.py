"""Streaming GTFS reader and validator.

Reads a feed (zip or folder) row by row with the ``csv`` module and builds a
``Timetable``. Every problem is a ``FeedError`` naming the file, the row
(the header is row 1) and the field, so an adviser can find and fix it.
Only stops, routes, trips, stop_times, calendar and calendar_dates are read;
agency.txt and feed_info.txt give the label.
"""

from __future__ import annotations

import csv
import io
import zipfile
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO

import numpy as np

from .compact import ACCESS_NO, SERVICE_ADDED, SERVICE_REMOVED, Timetable
from .grid import wgs84_to_grid

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
REQUIRED = {
    "stops.txt": ("stop_id",),
    "routes.txt": ("route_id",),
    "trips.txt": ("route_id", "service_id", "trip_id"),
    "stop_times.txt": ("trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"),
    "calendar.txt": ("service_id", *WEEKDAYS, "start_date", "end_date"),
    "calendar_dates.txt": ("service_id", "date", "exception_type"),
}
DEMO_WORDS = ("demo", "not real", "sample")


class FeedError(ValueError):
    """A feed that cannot be imported; the message says where and why."""

    def __init__(self, file: str, row: int | None, field: str | None, problem: str) -> None:
        self.file, self.row, self.field, self.problem = file, row, field, problem
        where = file if row is None else f"{file}, row {row}"
        if field:
            where += f", field {field}"
        super().__init__(f"{where}: {problem}")


class _Source:
    """The feed's files, from a zip or a folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip: zipfile.ZipFile | None = None
        self.names: dict[str, str] = {}
        if path.is_dir():
            self.names = {p.name: p.name for p in path.iterdir() if p.is_file()}
        elif zipfile.is_zipfile(path):
            self.zip = zipfile.ZipFile(path)
            # Some feeds put the files in a folder inside the zip.
            self.names = {Path(n).name: n for n in self.zip.namelist() if not n.endswith("/")}
        else:
            raise FeedError(path.name, None, None, "not a GTFS zip file or folder")

    def has(self, name: str) -> bool:
        return name in self.names

    @contextmanager
    def open(self, name: str) -> Iterator[IO[str]]:
        if self.zip is not None:
            with self.zip.open(self.names[name]) as raw:
                yield io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        else:
            with (self.path / self.names[name]).open(encoding="utf-8-sig", newline="") as text:
                yield text

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()


def _rows(source: _Source, name: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, row) for each data row; checks the required columns."""
    with source.open(name) as text:
        try:
            reader = csv.reader(text)
            header = [h.strip() for h in next(reader, [])]
            missing = [c for c in REQUIRED.get(name, ()) if c not in header]
            if missing:
                raise FeedError(name, 1, missing[0], "required column is missing")
            width = len(header)
            for number, values in enumerate(reader, start=2):
                if not values or values == [""]:
                    continue
                if len(values) != width:
                    raise FeedError(name, number, None, f"has {len(values)} values, the header has {width}")
                yield number, dict(zip(header, (v.strip() for v in values), strict=True))
        except UnicodeDecodeError as error:
            raise FeedError(name, None, None, "is not UTF-8 text") from error
        except csv.Error as error:
            raise FeedError(name, None, None, f"is not valid CSV: {error}") from error


@dataclass
class _Row:
    file: str
    number: int
    values: dict[str, str]

    def error(self, field: str, problem: str) -> FeedError:
        return FeedError(self.file, self.number, field, problem)

    def text(self, field: str, required: bool = True) -> str:
        value = self.values.get(field, "")
        if required and not value:
            raise self.error(field, "is required")
        return value

    def number_in(self, field: str, allowed: range, default: int | None = None) -> int:
        value = self.values.get(field, "")
        if value == "" and default is not None:
            return default
        try:
            found = int(value)
        except ValueError:
            raise self.error(field, f"{value!r} is not a whole number") from None
        if found not in allowed:
            raise self.error(field, f"{found} is not one of {allowed.start}..{allowed.stop - 1}")
        return found

    def decimal(self, field: str, low: float, high: float) -> float:
        value = self.text(field)
        try:
            found = float(value)
        except ValueError:
            raise self.error(field, f"{value!r} is not a number") from None
        if not low <= found <= high:
            raise self.error(field, f"{found} is outside {low}..{high}")
        return found

    def day(self, field: str) -> int:
        value = self.text(field)
        try:
            return (
                date(int(value[:4]), int(value[4:6]), int(value[6:8])).toordinal() if len(value) == 8 else -1
            )
        except ValueError:
            pass
        raise self.error(field, f"{value!r} is not a date (YYYYMMDD)")

    def time(self, field: str) -> int:
        """Seconds after midnight; -1 when empty (an untimed stop)."""
        value = self.values.get(field, "")
        if value == "":
            return -1
        parts = value.split(":")
        if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[1]) == len(parts[2]) == 2:
            h, m, s = (int(p) for p in parts)
            if m < 60 and s < 60 and h < 48:
                return h * 3600 + m * 60 + s
        raise self.error(field, f"{value!r} is not a time (HH:MM:SS, hours may pass 24)")


def _records(source: _Source, name: str) -> Iterator[_Row]:
    for number, values in _rows(source, name):
        yield _Row(name, number, values)


def _unique(row: _Row, field: str, seen: dict[str, int]) -> str:
    key = row.text(field)
    if key in seen:
        raise row.error(field, f"{key!r} appears twice")
    seen[key] = len(seen)
    return key


def _read_stops(source: _Source) -> tuple[dict[str, int], list[str], list[float], list[float], list[int]]:
    """Boardable stops (location_type 0), with wheelchair_boarding inherited from stations."""
    index: dict[str, int] = {}
    all_ids: dict[str, int] = {}
    names: list[str] = []
    lats: list[float] = []
    lons: list[float] = []
    access: list[int] = []
    parents: list[str] = []
    station_access: dict[str, int] = {}
    for row in _records(source, "stops.txt"):
        stop_id = _unique(row, "stop_id", all_ids)
        kind = row.number_in("location_type", range(5), default=0)
        wheelchair = row.number_in("wheelchair_boarding", range(3), default=0)
        if kind == 1:
            station_access[stop_id] = wheelchair
        if kind != 0:
            continue
        index[stop_id] = len(index)
        names.append(row.text("stop_name", required=False) or stop_id)
        lats.append(row.decimal("stop_lat", -90.0, 90.0))
        lons.append(row.decimal("stop_lon", -180.0, 180.0))
        access.append(wheelchair)
        parents.append(row.text("parent_station", required=False))
    for i, parent in enumerate(parents):
        if access[i] == 0 and parent:
            access[i] = station_access.get(parent, 0)
    return index, names, lats, lons, access


def _read_routes(source: _Source) -> tuple[dict[str, int], list[str], list[int]]:
    index: dict[str, int] = {}
    names: list[str] = []
    kinds: list[int] = []
    for row in _records(source, "routes.txt"):
        _unique(row, "route_id", index)
        names.append(row.text("route_short_name", False) or row.text("route_long_name", False) or "")
        kind = row.number_in("route_type", range(2000))
        # Extended route types (100s bus = 700s, rail = 100s): keep the basic family.
        kinds.append(
            {1: 2, 4: 0, 7: 3, 8: 3, 9: 0, 10: 4, 11: 4, 12: 1}.get(kind // 100, kind)
            if kind >= 100
            else kind
        )
    return index, names, kinds


def _read_services(
    source: _Source,
) -> tuple[dict[str, int], list[tuple[int, int, int]], list[tuple[int, int, int]]]:
    index: dict[str, int] = {}
    ranges: dict[int, tuple[int, int, int]] = {}
    exceptions: list[tuple[int, int, int]] = []
    if not (source.has("calendar.txt") or source.has("calendar_dates.txt")):
        raise FeedError("calendar.txt", None, None, "is missing (and there is no calendar_dates.txt)")
    if source.has("calendar.txt"):
        seen: dict[str, int] = {}
        for row in _records(source, "calendar.txt"):
            _unique(row, "service_id", seen)
            s = index.setdefault(row.text("service_id"), len(index))
            mask = sum(row.number_in(d, range(2)) << i for i, d in enumerate(WEEKDAYS))
            start, end = row.day("start_date"), row.day("end_date")
            if end < start:
                raise row.error("end_date", "is before start_date")
            ranges[s] = (start, end, mask)
    if source.has("calendar_dates.txt"):
        for row in _records(source, "calendar_dates.txt"):
            s = index.setdefault(row.text("service_id"), len(index))
            kind = row.number_in("exception_type", range(SERVICE_ADDED, SERVICE_REMOVED + 1))
            exceptions.append((s, row.day("date"), kind))
    table = [ranges.get(s, (-1, -1, 0)) for s in range(len(index))]
    return index, table, exceptions


def _read_trips(
    source: _Source, routes: dict[str, int], services: dict[str, int]
) -> tuple[dict[str, int], list[int], list[int], list[int]]:
    index: dict[str, int] = {}
    route: list[int] = []
    service: list[int] = []
    access: list[int] = []
    for row in _records(source, "trips.txt"):
        _unique(row, "trip_id", index)
        r = routes.get(row.text("route_id"))
        if r is None:
            raise row.error("route_id", f"{row.text('route_id')!r} is not in routes.txt")
        s = services.get(row.text("service_id"))
        if s is None:
            raise row.error(
                "service_id", f"{row.text('service_id')!r} is not in calendar.txt or calendar_dates.txt"
            )
        route.append(r)
        service.append(s)
        access.append(row.number_in("wheelchair_accessible", range(3), default=0))
    return index, route, service, access


@dataclass
class _StopTimes:
    trip: array[int]
    seq: array[int]
    stop: array[int]
    arr: array[int]
    dep: array[int]
    pickup: array[int]
    dropoff: array[int]
    line: array[int]


def _read_stop_times(source: _Source, trips: dict[str, int], stops: dict[str, int]) -> _StopTimes:
    st = _StopTimes(*(array("q") for _ in range(8)))
    for row in _records(source, "stop_times.txt"):
        t = trips.get(row.text("trip_id"))
        if t is None:
            raise row.error("trip_id", f"{row.text('trip_id')!r} is not in trips.txt")
        s = stops.get(row.text("stop_id"))
        if s is None:
            raise row.error("stop_id", f"{row.text('stop_id')!r} is not a stop in stops.txt")
        arr, dep = row.time("arrival_time"), row.time("departure_time")
        if arr < 0 <= dep or dep < 0 <= arr:
            arr = dep = max(arr, dep)
        if 0 <= dep < arr:
            raise row.error("departure_time", "is before arrival_time")
        st.trip.append(t)
        st.seq.append(row.number_in("stop_sequence", range(1 << 31)))
        st.stop.append(s)
        st.arr.append(arr)
        st.dep.append(dep)
        st.pickup.append(row.number_in("pickup_type", range(4), default=0))
        st.dropoff.append(row.number_in("drop_off_type", range(4), default=0))
        st.line.append(row.number)
    return st


def _fill_untimed(times: np.ndarray) -> None:
    """Untimed stops (-1) between timed ones: times spread evenly, in place."""
    missing = np.flatnonzero(times < 0)
    if len(missing) == 0:
        return
    timed = np.flatnonzero(times >= 0)
    # The last timed row at or before each missing one, and the next after it.
    before = timed[np.searchsorted(timed, missing) - 1]
    after = timed[np.searchsorted(timed, missing)]
    share = (missing - before) / (after - before)
    times[missing] = np.round(times[before] + share * (times[after] - times[before]))


def _connections(st: _StopTimes, n_trips: int) -> dict[str, np.ndarray]:
    trip = np.frombuffer(st.trip, dtype=np.int64)
    seq = np.frombuffer(st.seq, dtype=np.int64)
    line = np.frombuffer(st.line, dtype=np.int64)
    order = np.lexsort((seq, trip))
    trip, seq, line = trip[order], seq[order], line[order]
    arr = np.frombuffer(st.arr, dtype=np.int64)[order].copy()
    dep = np.frombuffer(st.dep, dtype=np.int64)[order].copy()
    same = trip[1:] == trip[:-1]
    repeated = np.flatnonzero(same & (seq[1:] == seq[:-1]))
    if len(repeated):
        raise FeedError(
            "stop_times.txt", int(line[repeated[0] + 1]), "stop_sequence", "repeats within the trip"
        )
    first = np.ones(len(trip), dtype=bool)
    first[1:] = ~same
    last = np.ones(len(trip), dtype=bool)
    last[:-1] = ~same
    ends = first | last
    untimed = ends & (dep < 0)
    if np.any(untimed):
        raise FeedError(
            "stop_times.txt", int(line[np.argmax(untimed)]), "arrival_time", "first and last stops need times"
        )
    _fill_untimed(arr)
    _fill_untimed(dep)
    backwards = np.flatnonzero(same & (arr[1:] < dep[:-1]))
    if len(backwards):
        raise FeedError(
            "stop_times.txt", int(line[backwards[0] + 1]), "arrival_time", "is before the previous stop"
        )
    has_trip = np.zeros(n_trips, dtype=bool)
    has_trip[trip] = True
    c = np.flatnonzero(same)  # connection from row c to row c + 1
    stop = np.frombuffer(st.stop, dtype=np.int64)[order]
    pickup = np.frombuffer(st.pickup, dtype=np.int64)[order]
    dropoff = np.frombuffer(st.dropoff, dtype=np.int64)[order]
    # Sorted by departure then arrival, then trip and position (see compact.py).
    by_time = np.lexsort((c, trip[c], arr[c + 1], dep[c]))
    c = c[by_time]
    return {
        "conn_dep": dep[c].astype(np.int32),
        "conn_arr": arr[c + 1].astype(np.int32),
        "conn_from": stop[c].astype(np.int32),
        "conn_to": stop[c + 1].astype(np.int32),
        "conn_trip": trip[c].astype(np.int32),
        "conn_pickup": pickup[c] != 1,
        "conn_dropoff": dropoff[c + 1] != 1,
    }


def _label(source: _Source) -> tuple[str, bool]:
    words: list[str] = []
    for name, fields in (
        ("feed_info.txt", ("feed_publisher_name", "feed_version")),
        ("agency.txt", ("agency_name",)),
    ):
        if source.has(name):
            for row in _records(source, name):
                words.extend(row.values.get(f, "") for f in fields)
    words = [w for w in dict.fromkeys(words) if w]
    label = " · ".join(words)[:200]
    return label, any(w in label.lower() for w in DEMO_WORDS)


def read_feed(path: str | Path) -> Timetable:
    """Read and validate a whole feed; raises ``FeedError`` on the first problem."""
    source = _Source(Path(path))
    try:
        for name in ("stops.txt", "routes.txt", "trips.txt", "stop_times.txt"):
            if not source.has(name):
                raise FeedError(name, None, None, "is missing from the feed")
        stops, stop_names, lats, lons, stop_access = _read_stops(source)
        routes, route_names, route_types = _read_routes(source)
        services, calendar, exceptions = _read_services(source)
        trips, trip_route, trip_service, trip_access = _read_trips(source, routes, services)
        connections = _connections(_read_stop_times(source, trips, stops), len(trips))
        label, is_demo = _label(source)
    finally:
        source.close()
    easting, northing = wgs84_to_grid(np.array(lats), np.array(lons))
    cal = np.array(calendar, dtype=np.int64).reshape(-1, 3)
    exc = np.array(exceptions, dtype=np.int64).reshape(-1, 3)
    return Timetable(
        stop_id=np.array(list(stops), dtype=str),
        stop_name=np.array(stop_names, dtype=str),
        stop_easting=np.round(easting).astype(np.int32),
        stop_northing=np.round(northing).astype(np.int32),
        stop_wheelchair=np.array(stop_access, dtype=np.int8),
        route_id=np.array(list(routes), dtype=str),
        route_name=np.array(route_names, dtype=str),
        route_type=np.array(route_types, dtype=np.int16),
        trip_id=np.array(list(trips), dtype=str),
        trip_route=np.array(trip_route, dtype=np.int32),
        trip_service=np.array(trip_service, dtype=np.int32),
        trip_wheelchair=np.array(trip_access, dtype=np.int8),
        service_id=np.array(list(services), dtype=str),
        service_start=cal[:, 0].astype(np.int32),
        service_end=cal[:, 1].astype(np.int32),
        service_weekdays=cal[:, 2].astype(np.uint8),
        exception_service=exc[:, 0].astype(np.int32),
        exception_day=exc[:, 1].astype(np.int32),
        exception_type=exc[:, 2].astype(np.int8),
        label=label,
        is_demo=is_demo,
        **connections,
    )


__all__ = ["ACCESS_NO", "FeedError", "read_feed"]
