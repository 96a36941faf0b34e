"""Timetable journeys on the full-size Liverpool City Region demo: cold, warm, and in a match run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mobility_bench \\
        .venv/bin/python bench/travel_bench.py --load --runs 3

Imports the demo GTFS feed (which drops every cached journey), then prints:
- cold: working out the minutes matrix for every pupil home cell x opportunity
  site cell (and first-day day type, and step-free rows) the run considers,
  and storing it (target: under 30 s);
- warm: the same with the stored matrix;
- match runs (snapshot + run_match, in this process) with the estimate only
  and with the warm timetable, best and median of ``--runs`` (target: no
  more than 20% slower).
``--load`` migrates and loads the full demo first if the database has no ``lcr`` region.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FEED = ROOT / "demo" / "data" / "lcr-demo-gtfs.zip"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mobility.settings.base")


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--region", default="lcr")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--load", action="store_true")
    args = parser.parse_args()
    if args.load:
        manage("migrate", "-v0")
    import django

    django.setup()
    import numpy as np
    from django.utils import timezone

    from mobility.geography.models import Region
    from mobility.transit.models import JourneyMatrix
    from placements.engine import MatchInput, Policy, run_match
    from placements.matching.selectors import match_input_build, opportunity_table_build, pupil_table_build
    from placements.matching.timetable import timetable_minutes_build
    from placements.transit.services import timetable_feed_import

    if args.load and not Region.objects.filter(code=args.region).exists():
        manage("load_demo", "--size", "full")
    region = Region.objects.get(code=args.region)
    as_of = timezone.localdate()
    print(f"load average {os.getloadavg()[0]:.1f}")
    feed = timetable_feed_import(path=FEED)
    print(f"imported {feed} ({feed.stops} stops, {feed.trips} trips); cached journeys dropped")
    pupils = pupil_table_build(region=region, as_of=as_of)
    opportunities = opportunity_table_build(region=region, pupils=pupils, as_of=as_of)
    # Compile or load the planner's loops once, outside the figures (a one-off per process).
    from placements.engine.timetable import Origins, plan_from
    from placements.transit.selectors import journey_rules, timetable_current

    loaded = timetable_current()
    assert loaded is not None
    start = time.perf_counter()
    rules = journey_rules()
    origins = Origins.build(loaded.timetable, [335000], [390000], rules)
    plan_from(loaded.timetable, origins, 335500, 391000, as_of.toordinal(), rules)
    print(f"loading the compiled planner: {time.perf_counter() - start:.2f} s")

    start = time.perf_counter()
    timetable = timetable_minutes_build(pupils=pupils, opportunities=opportunities)
    cold = time.perf_counter() - start
    assert timetable is not None
    rows, cols = timetable.minutes.shape
    covered_pupils = int((timetable.pupil_row >= 0).sum())
    covered_opps = int((timetable.opportunity_col >= 0).sum())
    pairs = covered_pupils * covered_opps
    reachable = int((timetable.minutes < 255).sum())
    print(
        f"pupils {len(pupils):,} ({covered_pupils:,} with a stop near home), opportunities "
        f"{len(opportunities):,} ({covered_opps:,} covered on their first day)"
    )
    print(
        f"cold: {rows:,} home cells x {cols:,} site cells ({pairs:,} pupil-opportunity pairs) "
        f"in {cold:.1f} s (target < 30 s); {reachable:,} cell pairs reachable by 08:50"
    )
    print(f"stored matrices: {JourneyMatrix.objects.count()}")
    start = time.perf_counter()
    timetable_minutes_build(pupils=pupils, opportunities=opportunities)
    print(f"warm: {time.perf_counter() - start:.2f} s")

    def run(with_timetable: bool) -> tuple[float, int]:
        start = time.perf_counter()
        if with_timetable:
            data = match_input_build(region=region, policy=Policy(seed=1), as_of=as_of)
            assert data.policy.travel.timetable is not None
        else:
            ps = pupil_table_build(region=region, as_of=as_of)
            os_ = opportunity_table_build(region=region, pupils=ps, as_of=as_of)
            data = MatchInput(pupils=ps, opportunities=os_, policy=Policy(seed=1))
        result = run_match(data)
        return time.perf_counter() - start, int(np.count_nonzero(result.opportunity_id >= 0))

    run(False)  # warm the engine's compiled code
    figures: dict[bool, list[float]] = {False: [], True: []}
    placed: dict[bool, int] = {}
    for _ in range(args.runs):
        for mode in (False, True):
            seconds, placed[mode] = run(mode)
            figures[mode].append(seconds)
    for mode, name in ((False, "estimate"), (True, "timetable (warm)")):
        times = figures[mode]
        print(
            f"match run with {name}: best {min(times):.2f} s, median {statistics.median(times):.2f} s, "
            f"{placed[mode]:,} placed"
        )
    ratio = statistics.median(figures[True]) / statistics.median(figures[False])
    print(f"timetable / estimate (medians): {ratio:.2f} (target <= 1.20)")


if __name__ == "__main__":
    main()
