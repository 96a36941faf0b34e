"""Write the demo GTFS feed for the Liverpool City Region: demo/data/lcr-demo-gtfs.zip.

DEMO TIMETABLES, NOT REAL ONES. Stations and bus stations are at their real
places (WGS84, read off public maps to within about 100 m); the lines follow
the region's main rail and bus corridors; times come from distance at a
plausible speed, and frequencies are plausible, not published. The feed says
so in agency.txt and feed_info.txt, and the app shows it.

Deterministic: running it again writes the same bytes.
    python scripts/make_demo_gtfs.py
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "demo" / "data" / "lcr-demo-gtfs.zip"
LABEL = "DEMO timetables, not real - Liverpool City Region"

# id: (name, lat, lon, step-free: 1 yes, 0 not known)
STATIONS = {
    "LIV": ("Liverpool Lime Street", 53.4075, -2.9778, 1),
    "LVC": ("Liverpool Central", 53.4045, -2.9791, 1),
    "MRF": ("Moorfields", 53.4086, -2.9893, 1),
    "LVJ": ("James Street", 53.4047, -2.9920, 1),
    "SDL": ("Sandhills", 53.4302, -2.9916, 1),
    "BNW": ("Bootle New Strand", 53.4533, -2.9946, 1),
    "BLN": ("Blundellsands and Crosby", 53.4877, -3.0392, 0),
    "FBY": ("Formby", 53.5534, -3.0707, 1),
    "SOP": ("Southport", 53.6466, -3.0023, 1),
    "KIR": ("Kirkby", 53.4862, -2.9028, 1),
    "AIN": ("Aintree", 53.4739, -2.9563, 0),
    "LPY": ("Liverpool South Parkway", 53.3578, -2.8893, 1),
    "HNX": ("Hunts Cross", 53.3606, -2.8558, 0),
    "HAM": ("Hamilton Square", 53.3946, -3.0138, 1),
    "BKP": ("Birkenhead Park", 53.3973, -3.0391, 0),
    "BID": ("Bidston", 53.4091, -3.0786, 0),
    "HYK": ("Hoylake", 53.3903, -3.1792, 0),
    "WKI": ("West Kirby", 53.3732, -3.1838, 1),
    "NBN": ("New Brighton", 53.4373, -3.0484, 1),
    "BKC": ("Birkenhead Central", 53.3883, -3.0208, 0),
    "RFY": ("Rock Ferry", 53.3727, -3.0079, 0),
    "BEB": ("Bebington", 53.3579, -2.9975, 0),
    "HOO": ("Hooton", 53.2972, -2.9769, 1),
    "EDG": ("Edge Hill", 53.4025, -2.9468, 0),
    "WAV": ("Wavertree Technology Park", 53.4053, -2.9230, 1),
    "BGN": ("Broad Green", 53.4066, -2.8935, 0),
    "RBY": ("Roby", 53.4100, -2.8558, 0),
    "HUY": ("Huyton", 53.4096, -2.8429, 1),
    "PSC": ("Prescot", 53.4235, -2.7996, 0),
    "SNH": ("St Helens Central", 53.4532, -2.7300, 1),
    "RUN": ("Runcorn", 53.3387, -2.7393, 1),
    "WID": ("Widnes", 53.3785, -2.7337, 0),
}
BUS_STATIONS = {
    "QSQ": ("Queen Square Bus Station", 53.4087, -2.9825),
    "L1B": ("Liverpool ONE Bus Station", 53.4014, -2.9871),
    "OSW": ("Old Swan", 53.4147, -2.9190),
    "HUB": ("Huyton Bus Station", 53.4115, -2.8395),
    "PRB": ("Prescot Bus Station", 53.4290, -2.8036),
    "STB": ("St Helens Bus Station", 53.4540, -2.7350),
    "WDV": ("West Derby Village", 53.4326, -2.9040),
    "CRX": ("Croxteth", 53.4440, -2.8850),
    "ANF": ("Anfield, Walton Breck Road", 53.4327, -2.9603),
    "NGB": ("Norris Green Broadway", 53.4424, -2.9180),
    "WAL": ("Walton, Rice Lane", 53.4469, -2.9647),
    "AIB": ("Aintree Racecourse", 53.4740, -2.9520),
    "KIB": ("Kirkby Bus Station", 53.4822, -2.8905),
    "BTB": ("Bootle Strand Bus Station", 53.4530, -2.9920),
    "CRV": ("Crosby Village", 53.4877, -3.0230),
    "FMV": ("Formby Village", 53.5560, -3.0690),
    "SPB": ("Southport, Lord Street", 53.6474, -3.0057),
    "SMD": ("Smithdown Road, Penny Lane", 53.3898, -2.9175),
    "ALR": ("Allerton Road", 53.3790, -2.9180),
    "AIG": ("Aigburth Road", 53.3770, -2.9380),
    "GAR": ("Garston", 53.3540, -2.9050),
    "LPL": ("Liverpool John Lennon Airport", 53.3335, -2.8497),
    "BVL": ("Belle Vale", 53.3960, -2.8630),
    "HLW": ("Halewood", 53.3590, -2.8330),
    "BHB": ("Birkenhead Bus Station", 53.3917, -3.0155),
    "LSC": ("Liscard, Wallasey", 53.4224, -3.0411),
    "HES": ("Heswall Bus Station", 53.3265, -3.0990),
    "WIB": ("Widnes Bus Station", 53.3622, -2.7330),
    "RSC": ("Runcorn Shopping City", 53.3295, -2.7034),
}
# (route, kind, stops in order, minutes between departures at peak, off peak)
RAIL = [
    ("Northern line Southport", ["SOP", "FBY", "BLN", "BNW", "SDL", "MRF", "LVC", "LPY", "HNX"], 15, 15),
    ("Northern line Kirkby", ["KIR", "AIN", "SDL", "MRF", "LVC"], 15, 15),
    ("Wirral line West Kirby", ["WKI", "HYK", "BID", "BKP", "HAM", "LVJ", "MRF", "LIV", "LVC"], 15, 15),
    ("Wirral line New Brighton", ["NBN", "BKP", "HAM", "LVJ", "MRF", "LIV", "LVC"], 15, 15),
    ("Wirral line Hooton", ["HOO", "BEB", "RFY", "BKC", "HAM", "LVJ", "MRF", "LIV", "LVC"], 15, 30),
    ("City line St Helens", ["LIV", "EDG", "WAV", "BGN", "RBY", "HUY", "PSC", "SNH"], 30, 30),
    ("Runcorn line", ["LIV", "LPY", "RUN"], 30, 30),
    ("Widnes line", ["LIV", "LPY", "HNX", "WID"], 30, 60),
]
BUS = [
    ("10", ["QSQ", "OSW", "HUB", "PRB", "STB"], 15, 20),
    ("14", ["QSQ", "WDV", "CRX"], 12, 20),
    ("17", ["QSQ", "ANF", "NGB"], 10, 15),
    ("20", ["QSQ", "WAL", "AIB", "KIB"], 15, 20),
    ("53", ["QSQ", "BTB", "CRV"], 12, 20),
    ("X2", ["QSQ", "BTB", "CRV", "FMV", "SPB"], 30, 30),
    ("86", ["L1B", "SMD", "ALR", "GAR", "LPL"], 10, 15),
    ("82", ["L1B", "AIG", "GAR"], 15, 20),
    ("61", ["AIB", "NGB", "OSW", "BVL"], 20, 30),
    ("89", ["STB", "PRB", "HUB", "BVL", "HLW", "LPL"], 20, 30),
    ("437", ["L1B", "BHB", "LSC"], 15, 20),
    ("471", ["BHB", "HES"], 20, 30),
    ("62", ["WIB", "RSC"], 15, 20),
]
START, END = "20250101", "20301231"
# A public holiday runs the Sunday timetable.
HOLIDAYS = ["20261225", "20261228", "20270101"]


def _distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat = math.radians((a[0] + b[0]) / 2)
    dx = math.radians(b[1] - a[1]) * math.cos(lat) * 6371
    dy = math.radians(b[0] - a[0]) * 6371
    return math.hypot(dx, dy)


def _hops(points: list[tuple[float, float]], rail: bool) -> list[int]:
    """Minutes between consecutive stops: road 1.3 x straight line at 18 km/h, rail 1.15 x at 50 km/h."""
    out = []
    for a, b in itertools.pairwise(points):
        km = _distance_km(a, b)
        minutes = km * 1.15 / 50 * 60 + 1 if rail else km * 1.3 / 18 * 60 + 1
        out.append(max(2, round(minutes)))
    return out


def _times(peak: int, off: int) -> list[int]:
    """Departure minutes from the first stop: 05:30 to 23:30, peak headway 07:00-09:30 and 16:00-18:30."""
    t, out = 5 * 60 + 30, []
    while t <= 23 * 60 + 30:
        out.append(t)
        busy = 7 * 60 <= t < 9 * 60 + 30 or 16 * 60 <= t < 18 * 60 + 30
        t += peak if busy else off
    return out


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}:00"


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def build() -> dict[str, bytes]:
    place: dict[str, tuple[float, float]] = {k: (v[1], v[2]) for k, v in STATIONS.items()}
    place.update({k: (v[1], v[2]) for k, v in BUS_STATIONS.items()})
    stops = [
        {
            "stop_id": k,
            "stop_name": v[0],
            "stop_lat": f"{v[1]:.5f}",
            "stop_lon": f"{v[2]:.5f}",
            "wheelchair_boarding": str(v[3]),
        }
        for k, v in STATIONS.items()
    ] + [
        {
            "stop_id": k,
            "stop_name": v[0],
            "stop_lat": f"{v[1]:.5f}",
            "stop_lon": f"{v[2]:.5f}",
            "wheelchair_boarding": "1",
        }
        for k, v in BUS_STATIONS.items()
    ]
    routes, trips, stop_times = [], [], []
    # Weekdays and Saturdays the full service; Sundays and holidays half as often.
    services = {"MF": (1, 1, 1, 1, 1, 0, 0), "SA": (0, 0, 0, 0, 0, 1, 0), "SU": (0, 0, 0, 0, 0, 0, 1)}
    lines = [(name, stops_, peak, off, 2) for name, stops_, peak, off in RAIL]
    lines += [(name, stops_, peak, off, 3) for name, stops_, peak, off in BUS]
    for number, (name, calls, peak, off, kind) in enumerate(lines):
        route_id = f"R{number:02d}"
        short = name if kind == 3 else ""
        routes.append(
            {
                "route_id": route_id,
                "agency_id": "DEMO",
                "route_short_name": short,
                "route_long_name": name
                if kind == 2
                else f"{BUS_STATIONS[calls[0]][0]} - {BUS_STATIONS[calls[-1]][0]}",
                "route_type": str(kind),
            }
        )
        for direction, order in enumerate((calls, calls[::-1])):
            hops = _hops([place[s] for s in order], rail=kind == 2)
            for service in services:
                slow = 2 if service == "SU" else 1
                for k, first in enumerate(_times(peak * slow, off * slow)):
                    trip_id = f"{route_id}-{direction}-{service}-{k:03d}"
                    trips.append(
                        {
                            "route_id": route_id,
                            "service_id": service,
                            "trip_id": trip_id,
                            "direction_id": str(direction),
                            "wheelchair_accessible": "1",
                        }
                    )
                    t = first + 2 * direction  # the two directions not in lockstep
                    for seq, stop in enumerate(order):
                        if seq:
                            t += hops[seq - 1]
                        stop_times.append(
                            {
                                "trip_id": trip_id,
                                "arrival_time": _clock(t),
                                "departure_time": _clock(t),
                                "stop_id": stop,
                                "stop_sequence": str(seq + 1),
                            }
                        )
    calendar = [
        {
            "service_id": s,
            **dict(
                zip(
                    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
                    (str(d) for d in days),
                    strict=True,
                )
            ),
            "start_date": START,
            "end_date": END,
        }
        for s, days in services.items()
    ]
    calendar_dates = []
    for day in HOLIDAYS:
        calendar_dates.append({"service_id": "MF", "date": day, "exception_type": "2"})
        calendar_dates.append({"service_id": "SU", "date": day, "exception_type": "1"})
    return {
        "agency.txt": _csv(
            [
                {
                    "agency_id": "DEMO",
                    "agency_name": LABEL,
                    "agency_url": "https://example.invalid/demo-timetables",
                    "agency_timezone": "Europe/London",
                }
            ]
        ),
        "feed_info.txt": _csv(
            [
                {
                    "feed_publisher_name": LABEL,
                    "feed_publisher_url": "https://example.invalid/",
                    "feed_lang": "en",
                    "feed_version": "demo-1",
                }
            ]
        ),
        "stops.txt": _csv(stops),
        "routes.txt": _csv(routes),
        "trips.txt": _csv(trips),
        "stop_times.txt": _csv(stop_times),
        "calendar.txt": _csv(calendar),
        "calendar_dates.txt": _csv(calendar_dates),
    }


def main(out: Path = OUT) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in build().items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=9)
    print(f"wrote {out} ({out.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
