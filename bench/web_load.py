"""Load on the web tier: 50 people at once against gunicorn, server-side latency per page.

    .venv/bin/python bench/web_load.py                 # full demo in mobility_bench, 50 users, 40 s
    .venv/bin/python bench/web_load.py --users 20 --duration 20

Runs only against this machine (loopback). It prepares a PostgreSQL database with the full
Liverpool City Region demo and one match run (once; later runs reuse it), starts gunicorn the way
production does (the project's gunicorn config, DEBUG off, behind an HTTPS proxy as far as the
site can tell), signs each virtual user in by minting a session (sign-in itself is measured by
bench/signin_bench.py) and runs a mix for a fixed time:

* pupils (60%) search for placements, open one, now and then apply;
* advisers (25%) page through the review queue of the latest run and the match API;
* employers (15%) list their opportunities and matched pupils.

Figures are server-side: gunicorn's access log records each request's time in microseconds, and
requests in the warm-up are left out. The process stops itself after --duration seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
GROUPS = [
    ("pupil search", re.compile(r"^/pupil/opportunities/$")),
    ("adviser review queue", re.compile(r"^/adviser/runs/\d+/$")),
    ("match API", re.compile(r"^/api/v1/matches/$")),
    ("pupil opportunity", re.compile(r"^/pupil/opportunities/\d+/$")),
    ("pupil apply", re.compile(r"^/pupil/opportunities/\d+/apply/$")),
    ("employer pages", re.compile(r"^/employer/")),
]
TARGET_P95_MS = {"pupil search": 150, "adviser review queue": 150, "match API": 150}
TARGET_RPS = 60

PREPARE = r"""
import json, sys
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from mobility.accounts.models import Role, User
from placements.models import MatchRun
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from mobility.accounts import twofactor

counts = json.loads(sys.argv[1])
store = import_module(settings.SESSION_ENGINE).SessionStore
# A run of the engine's (the demo's record of last year's placements has no result hash).
run = MatchRun.objects.filter(
    status=MatchRun.Status.SUCCEEDED, policy=MatchRun.Policy.STABLE
).exclude(result_hash="").order_by("-id").first()

def sessions(role, n, extra):
    users = list(User.objects.filter(role=role, is_active=True).order_by("id")[:n])
    out = []
    for user in users:
        s = store()
        s[SESSION_KEY] = str(user.pk)
        s[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]  # loads users; axes only guards
        s[HASH_SESSION_KEY] = user.get_session_auth_hash()
        if twofactor.needed(user):
            # Verified by an authenticator app, as django_otp.login records it after a right code.
            app = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
                user=user, name="Authenticator app", confirmed=True
            )
            s[DEVICE_ID_SESSION_KEY] = app.persistent_id
        s.create()
        out.append({"session": s.session_key, **extra(user)})
    return out

def pupil_extra(user):
    from employers.models import Opportunity
    ids = list(Opportunity.objects.filter(status=Opportunity.Status.PUBLISHED).order_by("?")
               .values_list("id", flat=True)[:8])
    return {"opportunities": ids}

print(json.dumps({
    "run": run.pk if run else None,
    "pupil": sessions(Role.PUPIL, counts["pupil"], pupil_extra),
    "adviser": sessions(Role.ADVISER, counts["adviser"], lambda u: {}),
    "employer": sessions(Role.EMPLOYER, counts["employer"], lambda u: {}),
}))
"""


def manage(env: dict[str, str], *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [PY, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout or ""


def prepare(env: dict[str, str], users: int) -> dict[str, Any]:
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")  # WhiteNoise serves them, as in production
    has_demo = manage(
        env, "shell", "-c", "from schools.models import Pupil; print(Pupil.objects.count())", capture=True
    ).strip()
    if int(has_demo.split()[-1] if has_demo else 0) < 10_000:
        print("==> loading the full demo (about a minute)", flush=True)
        manage(env, "load_demo", "--size", "full", "--reset")
    counts = {"pupil": max(1, users * 60 // 100), "adviser": max(1, users * 25 // 100)}
    counts["employer"] = max(1, users - counts["pupil"] - counts["adviser"])
    data: dict[str, Any] = json.loads(
        manage(env, "shell", "-c", PREPARE.replace("sys.argv[1]", repr(json.dumps(counts))), capture=True)
        .strip()
        .splitlines()[-1]
    )
    if data["run"] is None:
        print("==> no completed match run yet: running one", flush=True)
        manage(env, "run_matching", "--seed", "7")
        data = json.loads(
            manage(env, "shell", "-c", PREPARE.replace("sys.argv[1]", repr(json.dumps(counts))), capture=True)
            .strip()
            .splitlines()[-1]
        )
    _analyze(env["DATABASE_URL"])
    return data


def _analyze(url: str) -> None:
    """Fresh planner statistics after the load and the run, as autovacuum keeps them in production
    (a test server may run with it off)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ANALYZE")


class VirtualUser(threading.Thread):
    def __init__(self, role: str, info: dict[str, Any], base: str, run: int, stop_at: float, seed: int):
        super().__init__(daemon=True)
        self.role, self.info, self.base, self.run_id, self.stop_at = role, info, base, run, stop_at
        self.rng = random.Random(seed)
        self.csrf = secrets.token_hex(16)  # a 32-character secret is a valid unmasked token
        self.session = requests.Session()
        self.session.headers.update(
            {
                "Cookie": f"sessionid={info['session']}; csrftoken={self.csrf}",
                "X-Forwarded-Proto": "https",
                "Referer": f"https://{base.split('://', 1)[1]}/",
            }
        )
        self.client_errors: Counter[str] = Counter()
        self.applied = 0
        self.timings: list[tuple[float, str, float]] = []  # (finished at, path, seconds) as the client saw it

    def get(self, path: str, **params: Any) -> None:
        self.call("GET", path, params=params)

    def call(self, method: str, path: str, **kwargs: Any) -> None:
        began = time.monotonic()
        try:
            response = self.session.request(
                method, self.base + path, allow_redirects=False, timeout=30, **kwargs
            )
            self.timings.append((time.monotonic(), path, time.monotonic() - began))
            if response.status_code >= 500 or response.status_code in (401, 403, 404, 429):
                self.client_errors[f"{response.status_code} {path}"] += 1
        except requests.RequestException as error:
            self.client_errors[f"{type(error).__name__} {path}"] += 1

    def step(self) -> None:
        rng = self.rng
        if self.role == "pupil":
            self.get("/pupil/opportunities/", page=rng.choice([1, 1, 1, 2]))
            opportunity = rng.choice(self.info["opportunities"]) if self.info["opportunities"] else None
            if opportunity and rng.random() < 0.5:
                self.get(f"/pupil/opportunities/{opportunity}/")
                if self.applied < 2 and rng.random() < 0.15:
                    self.applied += 1
                    self.call(
                        "POST",
                        f"/pupil/opportunities/{opportunity}/apply/",
                        data={"csrfmiddlewaretoken": self.csrf},
                    )
        elif self.role == "adviser":
            self.get(f"/adviser/runs/{self.run_id}/", page=rng.choice([1, 1, 2, 3]))
            self.get("/api/v1/matches/", run=self.run_id, page=rng.choice([1, 2]))
        else:
            self.get(rng.choice(["/employer/opportunities/", "/employer/pupils/", "/employer/"]))

    def run(self) -> None:
        while time.monotonic() < self.stop_at:
            self.step()
            time.sleep(self.rng.uniform(0.2, 0.6))  # a person reading the page


def start_server(env: dict[str, str], port: int, log: Path, workers: int | None) -> subprocess.Popen[bytes]:
    command = [
        PY,
        "-m",
        "gunicorn",
        "--config",
        "python:mobility.gunicorn",
        "mobility.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--access-logfile",
        str(log),
        "--access-logformat",
        "%(m)s %(U)s %(s)s %(D)s",
        "--error-logfile",
        str(log.with_suffix(".err")),
    ]
    if workers:
        command += ["--workers", str(workers)]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    for _ in range(60):
        try:
            requests.get(
                f"http://127.0.0.1:{port}/health/", timeout=1, headers={"X-Forwarded-Proto": "https"}
            )
            return server
        except requests.RequestException:
            time.sleep(0.5)
    os.killpg(server.pid, signal.SIGTERM)
    raise SystemExit("gunicorn did not answer /health/ within 30 s; see " + str(log.with_suffix(".err")))


def workers_cpu(master: int) -> dict[int, float]:
    """CPU seconds used so far by each of gunicorn's worker processes."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        fields = _stat(stat)
        if fields and int(fields[1]) == master:  # fields[1] is the parent's pid
            found[int(stat.parent.name)] = _cpu(fields)
    return found


def database_cpu(url: str) -> dict[int, float]:
    """CPU seconds used so far by the PostgreSQL backends serving the benchmark's database (when
    PostgreSQL runs on this machine; the web workers keep their connections, CONN_MAX_AGE)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url, autocommit=True) as conn:
        pids = [
            pid
            for (pid,) in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [name]
            )
        ]
    found = {}
    for pid in pids:
        fields = _stat(Path(f"/proc/{pid}/stat"))
        if fields:
            found[pid] = _cpu(fields)
    return found


def _stat(path: Path) -> list[str] | None:
    try:
        return path.read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _cpu(fields: list[str]) -> float:
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def report_client(users: list[VirtualUser], measured_from: float) -> None:
    """Latency as the clients saw it: server time plus the wait for a free worker."""
    per_group: dict[str, list[float]] = defaultdict(list)
    for user in users:
        for finished, path, seconds in user.timings:
            if finished >= measured_from:
                group = next((name for name, pattern in GROUPS if pattern.match(path)), "other")
                per_group[group].append(seconds * 1000)
    print("client-side (includes queueing for a worker):")
    for name, _ in GROUPS:
        if per_group.get(name):
            times = per_group[name]
            print(f"  {name:<22} p50 {statistics.median(times):7.1f} ms  p95 {percentile(times, 95):7.1f} ms")


def report(log: Path, measured_from: float, measured_to: float, lines_before: int) -> bool:
    per_group: dict[str, list[float]] = defaultdict(list)
    statuses: Counter[int] = Counter()
    lines = log.read_text().splitlines()[lines_before:]
    for line in lines:
        _method, path, status, micros = line.split()
        if path.startswith("/health"):
            continue
        statuses[int(status)] += 1
        group = next((name for name, pattern in GROUPS if pattern.match(path)), "other")
        per_group[group].append(int(micros) / 1000)
    total = sum(statuses.values())
    seconds = measured_to - measured_from
    errors = sum(n for s, n in statuses.items() if s >= 500)
    print(f"\n{'page':<24} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  target")
    ok = True
    for name, _ in [*GROUPS, ("other", None)]:
        times = per_group.get(name)
        if not times:
            continue
        p95 = percentile(times, 95)
        target = TARGET_P95_MS.get(name)
        verdict = "" if target is None else (f"< {target}: " + ("met" if p95 < target else "NOT met"))
        ok &= target is None or p95 < target
        print(
            f"{name:<24} {len(times):>9} {statistics.median(times):>8.1f} {p95:>8.1f} "
            f"{max(times):>8.1f}  {verdict}"
        )
    rps = total / seconds if seconds else 0.0
    ok &= rps >= TARGET_RPS and errors == 0
    print(
        f"\nthroughput {rps:.1f} requests/s over {seconds:.0f} s (target >= {TARGET_RPS}); "
        f"statuses {dict(sorted(statuses.items()))}; server errors {errors} (target 0)"
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/mobility_bench")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=40.0, help="seconds of load after warm-up")
    parser.add_argument("--warmup", type=float, default=8.0)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: the project's config)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("REDIS_URL", ""),
        help="Redis for the cache and sessions, as in production (default: REDIS_URL)",
    )
    args = parser.parse_args()

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mobility.settings.base",
        "DATABASE_URL": args.database_url,
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        # As docker-compose runs the web service: persistent connections and the Redis cache.
        "CONN_MAX_AGE": "60",
    }
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    env.pop("CELERY_BROKER_URL", None)  # no background work is started by this mix
    _ensure_database(args.database_url)
    data = prepare(env, args.users)
    log = Path(tempfile.mkdtemp(prefix="mobility-load-")) / "access.log"
    server = start_server(env, args.port, log, args.workers)
    try:
        base = f"http://127.0.0.1:{args.port}"
        started = time.monotonic()
        stop_at = started + args.warmup + args.duration
        users: list[VirtualUser] = []
        for role in ("pupil", "adviser", "employer"):
            for i, info in enumerate(data[role]):
                users.append(
                    VirtualUser(role, info, base, data["run"], stop_at, args.seed * 1000 + len(users) + i)
                )
        print(
            f"==> {len(users)} users ({', '.join(f'{len(data[r])} {r}s' for r in data if r != 'run')}) "
            f"for {args.warmup:.0f} s warm-up + {args.duration:.0f} s against {base}",
            flush=True,
        )
        for user in users:
            user.start()
        time.sleep(args.warmup)
        lines_before = len(log.read_text().splitlines()) if log.exists() else 0
        measured_from = time.monotonic()
        cpu_before, db_before = workers_cpu(server.pid), database_cpu(args.database_url)
        clients_before = time.process_time()
        for user in users:
            user.join()
        measured_to = time.monotonic()
        clients_cpu = time.process_time() - clients_before
        cpu_after, db_after = workers_cpu(server.pid), database_cpu(args.database_url)
        time.sleep(0.5)  # let gunicorn flush the last access-log lines
        ok = report(log, measured_from, measured_to, lines_before)
        served = len(log.read_text().splitlines()) - lines_before
        cpu = sum(cpu_after[pid] - cpu_before[pid] for pid in cpu_after if pid in cpu_before)
        db_cpu = sum(db_after[pid] - db_before.get(pid, 0.0) for pid in db_after)
        per = 1000 / max(served, 1)
        print(
            f"CPU per request: web workers {cpu * per:.1f} ms, PostgreSQL backends {db_cpu * per:.1f} ms, "
            f"the benchmark's own clients {clients_cpu * per:.1f} ms ({served} requests); load average "
            + " ".join(f"{x:.2f}" for x in os.getloadavg())
        )
        report_client(users, measured_from)
        client_errors = sum((u.client_errors for u in users), Counter())
        if client_errors:
            print("unexpected answers seen by the clients:", dict(client_errors.most_common(8)))
        return 0 if ok and not client_errors else 1
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def _ensure_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


if __name__ == "__main__":
    sys.exit(main())
