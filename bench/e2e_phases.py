"""Where a match run's time goes, phase by phase, executed in this process (no worker).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mobility_bench \\
        .venv/bin/python bench/e2e_phases.py --runs 3 [--profile]

For each run on the full demo (load it with ``e2e_match_run.py --load``): wall seconds, this
process's CPU seconds and the seconds spent waiting on PostgreSQL statements (the COPYs of the
results are not statements: they count as "writing" wall time) for the snapshot, the engine,
writing the results and the commit (whose work is mostly the deferred foreign-key checks of
the inserted rows), then the slowest statements. ``--profile``: cProfile of the last run by CPU
time. The first run of a process also loads the engine's compiled code; look at the later ones
(after it, what the process has loaded is frozen out of the garbage collector's way, as in a
worker).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import secrets
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PHASES = ("snapshot", "engine", "writing", "commit")


class Meter:
    """Wall, CPU and database seconds per phase; the phase is whatever was entered last."""

    def __init__(self) -> None:
        self.phase = ""
        self.wall: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self.db: dict[str, float] = defaultdict(float)
        self.statements: dict[str, list[float]] = defaultdict(list)

    def timed(self, phase: str, call: Callable[..., Any], within: str = "") -> Callable[..., Any]:
        """``call`` counted as ``phase`` (only when called inside ``within``, if given), and not
        as the phase it was called from."""

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            outer = self.phase
            if within and outer != within:
                return call(*args, **kwargs)
            self.phase = phase
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return call(*args, **kwargs)
            finally:
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                self.wall[phase] += wall
                self.cpu[phase] += cpu
                if outer:
                    self.wall[outer] -= wall
                    self.cpu[outer] -= cpu
                self.phase = outer

        return wrapper

    def statement(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            seconds = time.perf_counter() - began
            self.db[self.phase] += seconds
            self.statements[" ".join(sql.split())[:100]].append(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--region", default="lcr")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile (CPU time) of the last run.")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to the PostgreSQL database with the full demo.")
    os.environ["DJANGO_SETTINGS_MODULE"] = "mobility.settings.base"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.pop("CELERY_BROKER_URL", None)  # nothing is dispatched: runs execute here
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.db import connection

    from mobility.geography.models import Region
    from placements import engine
    from placements.matching import services
    from placements.models import MatchRun

    region = Region.objects.get(code=args.region)
    meters: list[Meter] = []
    for i in range(args.runs):
        meter = Meter()
        # Created directly (no outbox hand-out): this process executes it.
        run = MatchRun.objects.create(
            region=region, seed=args.seed + i, parameters={}, status=MatchRun.Status.QUEUED
        )
        real = (services.snapshot_load, engine.run_match, services._write_results, connection.commit)
        services.snapshot_load = meter.timed("snapshot", real[0])
        engine.run_match = meter.timed("engine", real[1])
        services._write_results = meter.timed("writing", real[2])
        # The results' commit (inside writing); the snapshot's own commit stays in "snapshot".
        connection.commit = meter.timed("commit", real[3], within="writing")  # type: ignore[method-assign]
        profile = cProfile.Profile(time.process_time) if args.profile and i == args.runs - 1 else None
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            with connection.execute_wrapper(meter.statement):
                if profile is not None:
                    profile.enable()
                services.match_run_execute(run_id=run.pk)
                if profile is not None:
                    profile.disable()
        finally:
            services.snapshot_load, engine.run_match, services._write_results = real[:3]
            connection.commit = real[3]  # type: ignore[method-assign]
        meter.wall["whole run"], meter.cpu["whole run"] = (
            time.perf_counter() - wall,
            time.process_time() - cpu,
        )
        meter.db["whole run"] = sum(meter.db.values())
        run.refresh_from_db()
        MatchRun.objects.filter(pk=run.pk).delete()
        if run.status != MatchRun.Status.SUCCEEDED:
            sys.exit(f"Run {run.pk} {run.status}: {run.error}")
        meters.append(meter)
        if i == 0:
            gc.freeze()  # as a worker process does once its warm-up is done
        cells = "  ".join(f"{p} {meter.wall[p]:.2f}/{meter.cpu[p]:.2f}/{meter.db[p]:.2f}" for p in PHASES)
        whole = f"{meter.wall['whole run']:.2f}/{meter.cpu['whole run']:.2f}"
        print(f"run {i + 1} (wall/CPU/database s): {cells}  whole run {whole}")

    later = meters[1:] or meters
    print(f"\nmedians of runs {2 if len(meters) > 1 else 1}-{len(meters)}, seconds:")
    print(f"{'':>10}  {'wall':>6}  {'CPU':>6}  {'database':>8}")
    for phase in (*PHASES, "whole run"):
        wall = statistics.median(m.wall[phase] for m in later)
        cpu = statistics.median(m.cpu[phase] for m in later)
        db = statistics.median(m.db[phase] for m in later)
        print(f"{phase:>10}  {wall:6.3f}  {cpu:6.3f}  {db:8.3f}")
    print("\nslowest statements (median seconds x count per run):")
    last = meters[-1].statements
    for sql, seconds in sorted(last.items(), key=lambda item: -sum(item[1]))[:8]:
        print(f"  {statistics.median(seconds):.3f} x{len(seconds)}  {sql}")
    if args.profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
    print(f"load average {os.getloadavg()[0]:.2f} (1 min) on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
