"""One user at a time: server time, CPU and queries per page, on the full demo.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mobility_bench REDIS_URL=redis://127.0.0.1:6379/7 \\
        .venv/bin/python bench/web_pages.py --repeat 15

The stable companion of ``web_load.py`` on a shared machine: the load benchmark's latency
follows whatever else runs on the two cores, while the CPU one request costs this process
changes only with the code. Uses the database ``web_load.py`` prepared (full demo and one
completed run) and the production settings (DEBUG off, persistent connections, the Redis
cache and sessions when ``REDIS_URL`` is set). Each page is fetched once to warm up, then
``--repeat`` times; prints the median and best wall time, the median CPU of this process
(Python: views, templates, serializers, the driver), the number of queries and their time as
the driver saw it. `--sql` lists each page's queries, `--profile` prints a cProfile of its requests.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import secrets
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--only", help="pages whose name contains this (e.g. 'review')")
    parser.add_argument("--sql", action="store_true", help="print each page's queries and their times")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of each page's requests")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to the PostgreSQL database web_load.py prepared.")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="mobility.settings.base",
        DEBUG="false",
        ALLOWED_HOSTS="testserver",
        LOG_LEVEL="WARNING",
        CONN_MAX_AGE="60",
    )
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.pop("CELERY_BROKER_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client

    from employers.models import Opportunity
    from mobility.accounts.models import Role, User
    from placements.models import MatchRun
    from tests.twofactor import verified_login

    run = (
        MatchRun.objects.filter(status="succeeded", policy="stable")
        .exclude(result_hash="")
        .order_by("-id")
        .first()
    )
    if run is None:
        sys.exit("No completed stable run: prepare the database with bench/web_load.py first.")
    opportunity = Opportunity.objects.filter(status="published").order_by("id").first()
    assert opportunity is not None

    def client(role: str) -> Client:
        user = User.objects.filter(role=role, is_active=True).order_by("id").first()
        assert user is not None
        signed_in = Client(HTTP_X_FORWARDED_PROTO="https")
        verified_login(signed_in, user)
        return signed_in

    pupil, adviser, employer = client(Role.PUPIL), client(Role.ADVISER), client(Role.EMPLOYER)
    pages = [
        ("pupil search", pupil, "/pupil/opportunities/"),
        ("pupil search, page 2", pupil, "/pupil/opportunities/?page=2"),
        ("pupil opportunity", pupil, f"/pupil/opportunities/{opportunity.pk}/"),
        ("adviser review queue", adviser, f"/adviser/runs/{run.pk}/?page=2"),
        ("match API", adviser, f"/api/v1/matches/?run={run.pk}&page=2"),
        ("employer pupils", employer, "/employer/pupils/"),
        ("employer opportunities", employer, "/employer/opportunities/"),
    ]
    if args.only:
        pages = [page for page in pages if args.only in page[0]]
    print(f"{'page':<24} {'median ms':>10} {'best ms':>8} {'CPU ms':>7} {'queries':>8} {'SQL ms':>7}")
    for name, user, path in pages:
        measure(name, user, path, args)
    print(f"load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])} on {os.cpu_count()} CPUs")


def measure(name: str, user: Any, path: str, args: argparse.Namespace) -> None:
    """One page: warm-up, ``--repeat`` timed requests, then one with its queries captured."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user.get(path)
    walls, cpus = [], []
    profiler = cProfile.Profile(time.process_time) if args.profile else None  # CPU, not waits
    for _ in range(args.repeat):
        began, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        response = user.get(path)
        if profiler:
            profiler.disable()
        walls.append((time.perf_counter() - began) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        user.get(path)
    captured = queries.captured_queries
    sql_ms = sum(float(query["time"]) for query in captured) * 1000
    print(
        f"{name:<24} {statistics.median(walls):>10.1f} {min(walls):>8.1f} "
        f"{statistics.median(cpus):>7.1f} {len(captured):>8} {sql_ms:>7.1f}"
    )
    if args.sql:
        for query in captured:
            print(f"    {float(query['time']) * 1000:7.2f} ms  {query['sql'][:300]}")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        if os.environ.get("CALLERS"):
            pstats.Stats(profiler).print_callers(os.environ["CALLERS"])


if __name__ == "__main__":
    main()
