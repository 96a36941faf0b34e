"""A hand-made feed whose best journeys are worked out by hand.

Points are metres east/north of feedkit.BASE. Home is at (0, 0) and stop A
300 m away (walk 312 s: 300 m x 1.3 at 4.5 km/h). Work is at (10 000, 0),
200 m from stop W (walk 208 s). Deadline 08:50.

Monday 2 March 2026, home to work, the traps:
- express X1 A 08:25 -> W 08:48: faster, but at the door 08:51:28, too late;
- feeder 2 A 08:00 -> X 08:18 then link 3 X 08:20: a 2-minute change (< 3);
- route 4 A 08:05 -> W 08:35 runs on Sundays only;
- route 5 A 08:10 -> W 08:38 runs only on Tuesday 3 March (calendar_dates adds it);
- route 6 FAR 08:30 -> W 08:40, but FAR is 1.5 km from home.
So the best leaves home 07:44:48: feeder 2 A 07:50 -> X 08:10, link 3 X 08:20 -> W 08:40.
On Wednesday 4 March the feeder service is removed: direct route 1 A 07:40, leaving 07:34:48.
"""

from __future__ import annotations

from pathlib import Path

from .feedkit import Feed

HOME = (0.0, 0.0)
WORK = (10_000.0, 0.0)
WORK2 = (20_000.0, 0.0)  # reached by a walking change X -> Y
WORK3 = (30_000.0, 0.0)  # needs three changes
MONDAY, TUESDAY, WEDNESDAY, SUNDAY = "2026-03-02", "2026-03-03", "2026-03-04", "2026-03-01"


def handmade_feed() -> Feed:
    f = Feed(agency_name="Handmade Test Buses")
    f.stop("A", 300, 0, "Alpha Road")
    f.stop("FAR", 1500, 0, "Far Lane")
    f.stop("X", 5000, 0, "Cross Street", wheelchair=2)
    f.stop("Y", 5000, 300, "Yew Tree")
    f.stop("W", 10_000, 200, "Works Gate", wheelchair=1)
    f.stop("Z", 20_000, 100, "Zetland Road")
    f.stop("P", 24_000, 0, "Pier Head")
    f.stop("Q", 27_000, 0, "Quay")
    f.stop("R", 30_000, 100, "Rope Walk")
    f.service("WK")
    f.service("FEED")
    f.service("SUN", weekdays="0000001")
    f.exception("EXTRA", "20260303", 1)
    f.exception("FEED", "20260304", 2)
    f.trip("direct", "1", "WK", [("A", "07:40"), ("W", "08:30")], wheelchair=1)
    f.trip("express", "X1", "WK", [("A", "08:25"), ("W", "08:48")], wheelchair=1)
    f.trip("feeder1", "2", "FEED", [("A", "07:50"), ("X", "08:10")])
    f.trip("feeder2", "2", "FEED", [("A", "08:00"), ("X", "08:18")])
    f.trip("link", "3", "WK", [("X", "08:20"), ("W", "08:40")])
    f.trip("sunday", "4", "SUN", [("A", "08:05"), ("W", "08:35")])
    f.trip("extra", "5", "EXTRA", [("A", "08:10"), ("W", "08:38")], wheelchair=2)
    f.trip("far", "6", "WK", [("FAR", "08:30"), ("W", "08:40")])
    f.trip("hop", "7", "WK", [("Y", "08:30"), ("Z", "08:40")])
    f.trip("leg2", "8", "WK", [("Z", "08:00"), ("P", "08:05")])
    f.trip("leg3", "9", "WK", [("P", "08:10"), ("Q", "08:15")])
    f.trip("leg4", "10", "WK", [("Q", "08:20"), ("R", "08:25")])
    f.trip("night", "N1", "WK", [("A", "24:10"), ("W", "24:40")])
    f.trip("chain1", "2", "FEED", [("A", "07:00"), ("X", "07:20")])
    f.trip("chain2", "3", "WK", [("X", "07:30"), ("Y", "07:31"), ("Z", "07:50")])
    return f


def write_handmade(folder: Path) -> Path:
    return handmade_feed().write(folder)
