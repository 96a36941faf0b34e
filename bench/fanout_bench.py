"""A national run fanned out over Celery workers: 10 synthetic regions, with 1 and with 2 workers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mobility_bench \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/6 REDIS_URL=redis://127.0.0.1:6379/7 \\
        .venv/bin/python bench/fanout_bench.py --load --workers 1 2

``--load`` migrates and writes ``--regions`` synthetic regions (``fan01``...) of ``--pupils``
pupils each (schools, windows, employers with verified compliance, sites, opportunities,
interests and ranked applications) if they are missing. Then, for each worker count, it starts
that many Celery workers (``-P solo -c 1`` each, on the ``matching`` queue), calls
``national_run_start`` for the regions and polls until the combined report is written. Prints
the wall time from start to combined report, the regions' summed run time and CPU seconds, and
the load average. Each worker is a process, so two workers can use two cores (or two machines).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def start_workers(count: int, logs: Path) -> list[subprocess.Popen[bytes]]:
    from tests.celery_worker import worker_start, workers_ready, workers_stop

    started = []
    for i in range(count):
        log = logs / f"worker-{count}-{i}.log"
        started.append((worker_start(f"bench-fanout-{os.getpid()}-{count}-{i}", log, queues="matching"), log))
    workers = [worker for worker, _ in started]
    if (output := workers_ready(started, timeout=120)) is not None:
        workers_stop(workers, timeout=20)
        sys.exit(f"A Celery worker did not start:\n{output}")
    return workers


def load_regions(regions: int, pupils: int, seed: int) -> None:
    """Synthetic regions 60 km apart: ~1 seat per pupil, 3-5 applications each, mostly nearby."""
    from django.db import transaction
    from django.utils import timezone

    from employers.models import ComplianceRecord, Employer, Opportunity, Site
    from mobility.accounts.models import Role, User
    from mobility.geography.models import LocalAuthority, Region, Sector
    from placements.models import Application
    from schools.models import Pupil, School, WorkExperienceWindow

    rng = np.random.default_rng(seed)
    sectors = list(Sector.objects.order_by("pk"))
    if not sectors:
        sectors = [Sector.objects.create(slug=f"sector-{i}", name=f"Sector {i}") for i in range(8)]
    start = dt.date.today() + dt.timedelta(days=60)
    end = start + dt.timedelta(days=4)
    now = timezone.now()
    for r in range(1, regions + 1):
        code = f"fan{r:02d}"
        if Region.objects.filter(code=code).exists():
            continue
        began = time.perf_counter()
        with transaction.atomic():
            region = Region.objects.create(code=code, name=f"Fan-out region {r}")
            la_code = f"F{r:02d}00001"
            la = LocalAuthority.objects.create(code=la_code, name=f"Fan-out authority {r}", region=region)
            x0, y0 = 60_000 * r, 300_000  # on the national grid (eastings up to 700 km)
            schools = School.objects.bulk_create(
                School(
                    urn=f"9{r:02d}{s:03d}", name=f"Fan-out school {r}-{s}", phase=School.Phase.SECONDARY,
                    local_authority=la, postcode="L1 8JQ", local_authority_code=la_code,
                    easting=x0 + int(rng.integers(0, 20_000)), northing=y0 + int(rng.integers(0, 20_000)),
                )
                for s in range(max(1, pupils // 500))
            )  # fmt: skip
            WorkExperienceWindow.objects.bulk_create(
                WorkExperienceWindow(school=s, year_group=10, starts_on=start, ends_on=end) for s in schools
            )
            n_opps = pupils // 3
            employers = Employer.objects.bulk_create(
                Employer(
                    name=f"Fan-out employer {r}-{e}",
                    sector=sectors[e % len(sectors)],
                    # Only verified employers' places are open to pupils.
                    verification_status=Employer.Verification.VERIFIED,
                    verification_decided_at=now,
                    verification_note="Checked for the benchmark.",
                )
                for e in range(n_opps)
            )
            ComplianceRecord.objects.bulk_create(
                ComplianceRecord(
                    employer=e, insurance_expires_on=end + dt.timedelta(days=200),
                    risk_assessment_on=start - dt.timedelta(days=30), verified_at=now,
                    verification_note="Certificate seen.", supervisor_name="A Supervisor",
                )
                for e in employers
            )  # fmt: skip
            ox = x0 + rng.integers(0, 20_000, n_opps)
            oy = y0 + rng.integers(0, 20_000, n_opps)
            sites = Site.objects.bulk_create(
                Site(
                    employer=e, name="Site", address="1 Dale Street", step_free_access=bool(i % 2),
                    postcode="L2 2DP", easting=int(ox[i]), northing=int(oy[i]), local_authority_code=la_code,
                )
                for i, e in enumerate(employers)
            )  # fmt: skip
            opps = Opportunity.objects.bulk_create(
                Opportunity(
                    employer=e, site=sites[i], sector=e.sector, title="Placement", description="Work.",
                    capacity=int(rng.integers(1, 6)), starts_on=start, ends_on=end,
                    status=Opportunity.Status.PUBLISHED,
                )
                for i, e in enumerate(employers)
            )  # fmt: skip
            users = User.objects.bulk_create(
                User(
                    email=f"fan{r:02d}-{p}@example.org", first_name=f"Pupil{p}", role=Role.PUPIL, password="!"
                )
                for p in range(pupils)
            )
            home = rng.integers(0, len(schools), pupils)
            px = x0 + rng.integers(0, 20_000, pupils)
            py = y0 + rng.integers(0, 20_000, pupils)
            born = start - dt.timedelta(days=15 * 365)
            created = Pupil.objects.bulk_create(
                Pupil(
                    user=u, school=schools[home[p]], year_group=10, date_of_birth=born, postcode="L1 8JQ",
                    easting=int(px[p]), northing=int(py[p]), local_authority_code=la_code,
                    fsm_or_pupil_premium=bool(rng.random() < 0.25),
                )
                for p, u in enumerate(users)
            )  # fmt: skip
            through = Pupil.sector_interests.through
            through.objects.bulk_create(
                through(pupil_id=p.pk, sector_id=s.pk)
                for p in created
                for s in rng.choice(np.array(sectors, dtype=object), 2, replace=False)
            )
            applications = []
            for p, pupil in enumerate(created):
                near = np.argsort(np.abs(ox - px[p]) + np.abs(oy - py[p]))[:30]
                for rank, o in enumerate(rng.choice(near, int(rng.integers(3, 6)), replace=False), start=1):
                    applications.append(Application(pupil=pupil, opportunity=opps[int(o)], rank=rank))
            Application.objects.bulk_create(applications, batch_size=5000)
        print(
            f"loaded region {code}: {pupils} pupils, {n_opps} opportunities "
            f"in {time.perf_counter() - began:.1f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--regions", type=int, default=10)
    parser.add_argument("--pupils", type=int, default=5000, help="Pupils per region.")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=1, help="National runs per worker count.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--load", action="store_true", help="Migrate and write missing regions first.")
    parser.add_argument("--timeout", type=float, default=900.0)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from tests.celery_worker import production_django, workers_stop

    production_django(
        "Set DATABASE_URL to a PostgreSQL database.",
        "Set CELERY_BROKER_URL (and REDIS_URL) to a Redis of your own: the runs use real workers.",
    )
    from django.core.management import call_command

    from mobility.geography.models import Region
    from placements.matching.national import national_run_start
    from placements.models import MatchRun, NationalRun

    if args.load:
        call_command("migrate", "--noinput", "--verbosity", "0")
        load_regions(args.regions, args.pupils, args.seed)
    regions = list(Region.objects.filter(code__startswith="fan").order_by("code")[: args.regions])
    if len(regions) < args.regions:
        sys.exit(f"Only {len(regions)} fan-out regions in the database: run with --load.")

    logs = Path(tempfile.mkdtemp(prefix="bench-fanout-"))
    results: dict[int, list[float]] = {}
    for count in args.workers:
        workers = start_workers(count, logs)
        try:
            for i in range(args.repeat):
                load = os.getloadavg()[0]
                began = time.perf_counter()
                national = national_run_start(regions=regions, seed=args.seed + i)
                deadline = time.monotonic() + args.timeout
                while national.finished_at is None:
                    if time.monotonic() > deadline:
                        sys.exit(f"National run {national.pk} not finished; worker logs in {logs}")
                    time.sleep(0.05)
                    national.refresh_from_db()
                wall = time.perf_counter() - began
                results.setdefault(count, []).append(wall)
                runs = list(national.match_runs.all())
                total = sum(r.timings.get("total", 0.0) for r in runs)
                cpu = sum(r.timings.get("cpu", 0.0) for r in runs)
                s = national.statistics
                print(
                    f"workers {count}: national run {wall:.2f} s wall | regions' runs sum {total:.2f} s, "
                    f"CPU {cpu:.2f} s | load avg {load:.2f} -> {os.getloadavg()[0]:.2f} | "
                    f"placed {s['placed']} of {s['pupils']} in {s['succeeded']}/{s['regions']} regions"
                )
                MatchRun.objects.filter(national_run=national).delete()
                NationalRun.objects.filter(pk=national.pk).delete()
        finally:
            workers_stop(workers, timeout=20)
    for count, walls in results.items():
        print(f"  {count} worker(s): median {statistics.median(walls):.2f} s  best {min(walls):.2f} s")
    if len(results) > 1 and 1 in results:
        base = statistics.median(results[1])
        for count, walls in results.items():
            print(f"  speed-up with {count}: x{base / statistics.median(walls):.2f}")


if __name__ == "__main__":
    main()
