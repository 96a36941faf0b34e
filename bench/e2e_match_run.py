"""End-to-end match run on the full-size Liverpool City Region demo, through a real worker.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mobility_bench \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/6 \\
        .venv/bin/python bench/e2e_match_run.py --load --runs 3

Starts a Celery worker on the ``matching`` queue as a subprocess, then for each run:
match_run_create -> the worker loads the snapshot, finds candidates, solves, writes
every proposed match and the report -> the row reads "succeeded". Prints each stage's
seconds (as recorded on the MatchRun row), the worker's CPU seconds, and the wall time from
create to succeeded. The bench does not sleep-poll the row: it waits for the worker's task
result to be published on Redis (``CELERY_RESULT_BACKEND``, else ``REDIS_URL``) and then reads
the row once (a quarter-second poll remains as a fallback). ``--load`` migrates and loads the
full demo first if the database has no ``lcr`` region. Bench runs are deleted afterwards
unless ``--keep``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 2.0
STAGES = ("loading", "candidates", "solving", "writing")
# Every run inserts ~20,000 rows and the bench deletes them again: without (auto)vacuum, dead
# rows pile up in these tables and their indexes and slow every later run down.
CHURNED = ("placements_match", "placements_unplacedpupil", "placements_matchrun", "outbox_outboxmessage")


if TYPE_CHECKING:
    from placements.models import MatchRun


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True)


def start_worker(log: Path) -> subprocess.Popen[bytes]:
    from tests.celery_worker import worker_start, workers_ready

    worker = worker_start(f"bench-e2e-{os.getpid()}", log)
    if (output := workers_ready([(worker, log)], timeout=60)) is not None:
        worker.kill()
        sys.exit(f"The Celery worker did not start:\n{output}")
    return worker


def vacuum(connection: Any) -> None:
    """What autovacuum would do between runs (the bench may find it switched off)."""
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {', '.join(CHURNED)}")


def queue_wait(run: MatchRun) -> float:
    assert run.started_at is not None  # a finished run has started
    return (run.started_at - run.created_at).total_seconds()


def result_listener() -> Any:
    """A Redis subscription to every Celery task result stored (the backend publishes each one on
    its key's channel), or None without a Redis result backend. Any message only wakes the bench,
    which then reads the run's row: other workers' results on the same server do no harm."""
    url = os.environ.get("CELERY_RESULT_BACKEND") or os.environ.get("REDIS_URL", "")
    if not url.startswith("redis"):
        return None
    import redis

    pubsub = redis.Redis.from_url(url).pubsub(ignore_subscribe_messages=True)  # type: ignore[no-untyped-call]
    pubsub.psubscribe("celery-task-meta-*")
    pubsub.get_message(timeout=1.0)  # the subscription's confirmation
    return pubsub


def wait_for(run: MatchRun, listener: Any, timeout: float, log: Path) -> float:
    """Wait until the run has finished; returns time.time() when it was seen finished."""
    from placements.models import MatchRun

    done = (MatchRun.Status.SUCCEEDED, MatchRun.Status.FAILED)
    deadline = time.monotonic() + timeout
    while True:
        run.refresh_from_db()
        if run.status in done:
            return time.time()
        if time.monotonic() > deadline:
            sys.exit(f"Run {run.pk} still {run.status}/{run.stage}; worker log: {log}")
        if listener is None:
            time.sleep(0.02)
            continue
        if listener.get_message(timeout=0.25) is not None:
            while listener.get_message(timeout=0) is not None:
                pass  # several results at once: one read of the row is enough


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--region", default="lcr")
    parser.add_argument("--policy", default="stable", choices=["stable", "max-coverage"])
    parser.add_argument("--seed", type=int, default=1, help="Seed of the first run; later runs add 1.")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=120.0, help="Seconds to wait for one run.")
    parser.add_argument("--load", action="store_true", help="Migrate and load the full demo if missing.")
    parser.add_argument("--keep", action="store_true", help="Keep the bench runs and their matches.")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from tests.celery_worker import production_django, workers_stop

    production_django(
        "Set DATABASE_URL to a PostgreSQL database (the full demo is loaded there with --load).",
        "Set CELERY_BROKER_URL to a Redis database of your own: runs go through a real worker.",
    )
    from django.db import connection

    from mobility.geography.models import Region
    from placements.matching.report import report_lines
    from placements.matching.services import match_run_create
    from placements.models import MatchRun

    if args.load:
        manage("migrate", "--noinput", "--verbosity", "0")  # a fresh database has no tables yet
    if args.load and not Region.objects.filter(code=args.region).exists():
        manage("load_demo", "--size", "full")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum would give later
    region = Region.objects.get(code=args.region)
    vacuum(connection)

    log = Path(tempfile.mkdtemp(prefix="bench-e2e-")) / "worker.log"
    worker = start_worker(log)
    runs: list[MatchRun] = []
    walls: list[float] = []
    creates: list[float] = []
    tails: list[float] = []
    listener = result_listener()
    try:
        for i in range(args.runs):
            began, began_at = time.perf_counter(), time.time()
            run = match_run_create(region=region, policy=args.policy, seed=args.seed + i, parameters={})
            creates.append(time.time() - began_at)
            seen_at = wait_for(run, listener, args.timeout, log)
            walls.append(time.perf_counter() - began)
            runs.append(run)
            if run.status == MatchRun.Status.FAILED:
                sys.exit(f"Run {run.pk} failed: {run.error}\nworker log: {log}")
            assert run.finished_at is not None  # set in the results' transaction, before its commit
            tails.append(seen_at - run.finished_at.timestamp())
            stages = "  ".join(f"{s} {run.timings.get(s, 0):.2f}" for s in STAGES)
            total, cpu = run.timings["total"], run.timings["cpu"]
            print(
                f"run {i + 1}: queue {queue_wait(run):.2f}  {stages}  total {total:.2f} (cpu {cpu:.2f})"
                f"  commit+back {tails[-1]:.2f}  end to end {walls[-1]:.2f} s"
            )
    finally:
        workers_stop([worker], timeout=15)

    last = runs[-1]
    print()
    print("\n".join(report_lines(last)))
    print()
    rows = {stage: [r.timings.get(stage, 0.0) for r in runs] for stage in (*STAGES, "total", "cpu")}
    rows["create"] = creates
    rows["queue wait"] = [queue_wait(r) for r in runs]
    rows["commit+back"] = tails
    rows["end to end"] = walls
    for name, values in rows.items():
        print(f"{name:>11}: median {statistics.median(values):6.2f} s   max {max(values):6.2f} s")
    wall = statistics.median(walls)
    stats = last.statistics
    print(f"load average {os.getloadavg()[0]:.2f} (1 min) on {os.cpu_count()} CPUs")
    print(f"target: end to end < {TARGET_SECONDS:.0f} s; pupils {stats['pupils']}, ", end="")
    print(f"opportunities {stats['opportunities']}, proposed matches written {stats['matches_written']}")
    if not args.keep:
        MatchRun.objects.filter(pk__in=[r.pk for r in runs]).delete()
        vacuum(connection)
    if wall >= TARGET_SECONDS:
        sys.exit(f"Median end-to-end time {wall:.2f} s misses the {TARGET_SECONDS:.0f} s target.")


if __name__ == "__main__":
    main()
