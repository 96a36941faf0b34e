"""Write small GTFS feeds for tests: stops placed on the National Grid, times as HH:MM."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from placements.engine.timetable import grid_to_wgs84

# A corner of Liverpool: test points are offsets in metres from here.
BASE_E, BASE_N = 335_000, 390_000


def hhmm(text: str) -> int:
    """Seconds after midnight of ``HH:MM`` or ``HH:MM:SS`` (hours may pass 24)."""
    parts = [int(p) for p in text.split(":")]
    return parts[0] * 3600 + parts[1] * 60 + (parts[2] if len(parts) > 2 else 0)


def gtfs_time(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


@dataclass
class Feed:
    stops: list[dict[str, str]] = field(default_factory=list)
    routes: list[dict[str, str]] = field(default_factory=list)
    trips: list[dict[str, str]] = field(default_factory=list)
    stop_times: list[dict[str, str]] = field(default_factory=list)
    calendar: list[dict[str, str]] = field(default_factory=list)
    calendar_dates: list[dict[str, str]] = field(default_factory=list)
    agency_name: str = "Test Buses"

    def stop(
        self, stop_id: str, east: float, north: float, name: str = "", wheelchair: int | None = None
    ) -> None:
        lat, lon = grid_to_wgs84(BASE_E + east, BASE_N + north)
        row = {
            "stop_id": stop_id,
            "stop_name": name or stop_id,
            "stop_lat": f"{lat:.8f}",
            "stop_lon": f"{lon:.8f}",
        }
        if wheelchair is not None:
            row["wheelchair_boarding"] = str(wheelchair)
        self.stops.append(row)

    def service(
        self, service_id: str, weekdays: str = "1111100", start: str = "20260101", end: str = "20261231"
    ) -> None:
        days = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        row = {"service_id": service_id, **dict(zip(days, weekdays, strict=True))}
        self.calendar.append({**row, "start_date": start, "end_date": end})

    def exception(self, service_id: str, day: str, kind: int) -> None:
        self.calendar_dates.append({"service_id": service_id, "date": day, "exception_type": str(kind)})

    def trip(
        self,
        trip_id: str,
        route: str,
        service: str,
        calls: Sequence[tuple[str, str | int]],
        wheelchair: int | None = None,
        route_type: int = 3,
    ) -> None:
        """``calls`` are (stop, time) pairs; the vehicle waits no time at a stop."""
        if not any(r["route_id"] == route for r in self.routes):
            self.routes.append({"route_id": route, "route_short_name": route, "route_type": str(route_type)})
        row = {"route_id": route, "service_id": service, "trip_id": trip_id}
        if wheelchair is not None:
            row["wheelchair_accessible"] = str(wheelchair)
        self.trips.append(row)
        for seq, (stop, when) in enumerate(calls, start=1):
            t = gtfs_time(when if isinstance(when, int) else hhmm(when))
            self.stop_times.append(
                {
                    "trip_id": trip_id,
                    "arrival_time": t,
                    "departure_time": t,
                    "stop_id": stop,
                    "stop_sequence": str(seq),
                }
            )

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        tables = {
            "agency.txt": [{"agency_id": "A", "agency_name": self.agency_name}],
            "stops.txt": self.stops,
            "routes.txt": self.routes,
            "trips.txt": self.trips,
            "stop_times.txt": self.stop_times,
            "calendar.txt": self.calendar,
            "calendar_dates.txt": self.calendar_dates,
        }
        for name, rows in tables.items():
            if not rows and name == "calendar_dates.txt":
                continue
            header: list[str] = []
            for row in rows:
                header.extend(k for k in row if k not in header)
            with (folder / name).open("w", newline="", encoding="utf-8") as out:
                writer = csv.DictWriter(out, fieldnames=header or ["service_id"], restval="")
                writer.writeheader()
                writer.writerows(rows)
        return folder
