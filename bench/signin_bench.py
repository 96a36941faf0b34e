"""A class of 30 pupils signs in at once against the production server shape.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mobility_bench \\
        .venv/bin/python bench/signin_bench.py

Migrates the database, creates a school with one class of pupils (passwords hashed with the
production hasher, Argon2id), then starts gunicorn with the project's config (mobility/gunicorn.py) on a
loopback port with DEBUG off and a random SECRET_KEY. Every pupil opens the sign-in page
(session and CSRF cookies, the form's CSRF token), then all of them submit the real form at
the same moment, as a reverse proxy would pass it on (X-Forwarded-Proto: https, one school
address). Prints each pupil's time from that moment to the answer, and the last one's:
the target is under 5 s. The bench pupils are deleted afterwards.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 5.0
DOMAIN = "signin-bench.test"
PASSWORD = "bench-correct-horse-battery"
SCHOOL_ADDRESS = "198.51.100.20"  # the whole class signs in from the school's one address
TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def create_class(size: int) -> None:
    import datetime as dt

    from django.contrib.auth.hashers import make_password

    from demo.reference import ensure_reference_data
    from mobility.accounts.models import Role, User
    from mobility.geography import postcodes
    from mobility.geography.models import LocalAuthority
    from schools.models import Pupil, School

    region = ensure_reference_data()
    User.objects.filter(email__endswith=f"@{DOMAIN}").delete()
    place = postcodes.locate("L1 8JQ")
    school, _ = School.objects.get_or_create(
        urn="999001",
        defaults={
            "name": "Sign-in Bench Academy",
            "phase": School.Phase.SECONDARY,
            "local_authority": LocalAuthority.objects.get(region=region, code=place.local_authority_code),
            "postcode": place.postcode,
            "easting": place.easting,
            "northing": place.northing,
            "local_authority_code": place.local_authority_code,
        },
    )
    born = dt.date.today() - dt.timedelta(days=15 * 365)
    for n in range(1, size + 1):
        user = User.objects.create(
            email=f"pupil{n}@{DOMAIN}",
            password=make_password(PASSWORD),  # Argon2id, as production stores it
            first_name=f"Pupil{n}",
            last_name="Bench",
            role=Role.PUPIL,
        )
        Pupil.objects.create(
            user=user,
            school=school,
            year_group=10,
            date_of_birth=born,
            postcode=place.postcode,
            easting=place.easting,
            northing=place.northing,
            local_authority_code=place.local_authority_code,
        )


def start_server(port: int, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "gunicorn", "--config", "python:mobility.gunicorn", "mobility.wsgi"]
    with log.open("wb") as out:
        server = subprocess.Popen(
            [*command, "--bind", f"127.0.0.1:{port}"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 60
    while True:
        try:
            status, _, _ = request(port, "GET", "/health/")
            if status == 200:
                return server
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            sys.exit(f"gunicorn did not start:\n{log.read_text(errors='replace')}")
        time.sleep(0.2)


def request(
    port: int, method: str, path: str, body: str | None = None, cookies: dict[str, str] | None = None
) -> tuple[int, dict[str, list[str]], str]:
    headers = {
        "Host": f"127.0.0.1:{port}",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-For": SCHOOL_ADDRESS,
        "User-Agent": "signin-bench",
    }
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Origin"] = f"https://127.0.0.1:{port}"
        headers["Referer"] = f"https://127.0.0.1:{port}/accounts/login/"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
        answer: dict[str, list[str]] = {}
        for name, value in response.getheaders():
            answer.setdefault(name.lower(), []).append(value)
        return response.status, answer, text
    finally:
        connection.close()


def cookies_from(headers: dict[str, list[str]]) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for line in headers.get("set-cookie", []):
        jar.load(line)
    return {name: morsel.value for name, morsel in jar.items()}


class Pupil:
    def __init__(self, port: int, n: int) -> None:
        self.port = port
        self.email = f"pupil{n}@{DOMAIN}"
        status, headers, html = request(port, "GET", "/accounts/login/")
        match = TOKEN_RE.search(html)
        assert status == 200 and match, f"the sign-in page answered {status}"
        self.cookies = cookies_from(headers)
        self.token = match.group(1)
        self.seconds = 0.0
        self.outcome = ""

    def sign_in(self, go: threading.Event, started: list[float]) -> None:
        body = urlencode({"csrfmiddlewaretoken": self.token, "email": self.email, "password": PASSWORD})
        go.wait()
        status, headers, _ = request(self.port, "POST", "/accounts/login/", body, self.cookies)
        self.seconds = time.perf_counter() - started[0]
        signed_in = "sessionid" in cookies_from(headers) and headers.get("location") == ["/pupil/"]
        self.outcome = "ok" if status == 302 and signed_in else f"HTTP {status}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pupils", type=int, default=30)
    parser.add_argument(
        "--workers", type=int, default=None, help="gunicorn workers (default: mobility/gunicorn.py)"
    )
    parser.add_argument("--keep", action="store_true", help="Keep the bench pupils.")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database of your own (it is migrated).")
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "SESSION_", "CSRF_", "ARGON2_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="mobility.settings.base",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
    )
    env.pop("CELERY_BROKER_URL", None)  # signing in sends no task
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    os.environ.update(env)
    for key in set(os.environ) - set(env):
        del os.environ[key]
    sys.path.insert(0, str(ROOT))
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):  # as a deploy does
        subprocess.run([sys.executable, "manage.py", *command, "--verbosity", "0"], cwd=ROOT, check=True)

    import django

    django.setup()
    from axes.models import AccessAttempt
    from django.contrib.auth.hashers import get_hasher

    from mobility.accounts.models import User

    began = time.perf_counter()
    create_class(args.pupils)
    hasher = get_hasher()
    print(
        f"{args.pupils} pupils created in {time.perf_counter() - began:.1f} s; hasher {hasher.algorithm} "
        f"m={hasher.memory_cost} KiB t={hasher.time_cost} p={hasher.parallelism}"
    )

    port = free_port()
    log = ROOT / "var" / "signin-bench-gunicorn.log"
    log.parent.mkdir(exist_ok=True)
    server = start_server(port, env, log)
    try:
        pupils = [Pupil(port, n) for n in range(1, args.pupils + 1)]
        go, started = threading.Event(), [0.0]
        threads = [threading.Thread(target=p.sign_in, args=(go, started)) for p in pupils]
        for thread in threads:
            thread.start()
        time.sleep(0.5)  # every thread is waiting at the line
        load = os.getloadavg()[0]
        started[0] = time.perf_counter()
        go.set()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
        if not args.keep:
            User.objects.filter(email__endswith=f"@{DOMAIN}").delete()
            AccessAttempt.objects.filter(username__endswith=f"@{DOMAIN}").delete()

    failed = [p for p in pupils if p.outcome != "ok"]
    times = sorted(p.seconds for p in pupils)
    workers = env.get("WEB_CONCURRENCY") or f"{(os.cpu_count() or 1) * 2 + 1} (2 per core + 1)"
    threads_each = env.get("WEB_THREADS") or "2"
    print(f"gunicorn workers: {workers}, threads each: {threads_each}; load average before: {load:.2f}")
    print("sign-in times (s): " + " ".join(f"{t:.2f}" for t in times))
    print(f"first {times[0]:.2f} s, median {statistics.median(times):.2f} s")
    verdict = "met" if times[-1] < TARGET_SECONDS and not failed else "NOT met"
    print(f"last pupil signed in after {times[-1]:.2f} s (target < {TARGET_SECONDS:.0f} s: {verdict})")
    if failed:
        sys.exit(f"{len(failed)} sign-ins failed: {', '.join(f'{p.email} {p.outcome}' for p in failed)}")


if __name__ == "__main__":
    main()
