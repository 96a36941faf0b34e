"""Real processes for fault injection: a Redis of the tests' own, Celery workers, dropped connections.

The Redis runs on a spare port with no persistence and is killed at the end; the shared
one is never touched. Workers run ``tests.faults.worker_app`` (the project's app with
optional pauses) against the test database, with short recovery intervals so a fault
heals in seconds. Connections are dropped with ``pg_terminate_backend`` on backends of
this session's own workers only, found by their application name.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis
import yaml
from django.conf import settings
from django.db import connection
from django.db.models import Count, Q
from kombu import pools as kombu_pools

from employers.models import Opportunity
from mobility.celery import app as celery_app
from mobility.outbox.models import OutboxMessage
from placements.lifecycle.models import NotificationSent
from placements.lifecycle.notifications import event_key, messages_for_change
from placements.models import LIVE_STATUSES, SEAT_HOLDING_STATUSES, Match, MatchRun, MatchStatusChange
from tests.matching.conftest import REPO, database_url

# Short intervals for the workers (production: relay 5 s, sweep 15 s, stall 60 s).
FAST = {
    "OUTBOX_RELAY_SECONDS": "1",
    "OUTBOX_RETRY_BASE_SECONDS": "0.5",
    "OUTBOX_RETRY_MAX_SECONDS": "2",
    "RUN_RECOVERY_SECONDS": "2",
    "RUN_QUEUED_STALL_SECONDS": "5",
    "RUN_MAX_ATTEMPTS": "3",
}


def production_worker_flags() -> list[str]:
    """The worker's --without-* flags from docker-compose.yml, so the tests run what production runs."""
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    return [arg for arg in compose["services"]["worker"]["command"] if arg.startswith("--without")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class RedisServer:
    port: int
    directory: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                   "--appendonly", "no", "--dir", str(self.directory)]  # fmt: skip
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                if redis.Redis(port=self.port, socket_connect_timeout=0.2).ping():
                    return
            except redis.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"redis-server on port {self.port} did not start")
            time.sleep(0.05)

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


@pytest.fixture(scope="session")
def fault_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(port=free_port(), directory=tmp_path_factory.mktemp("redis"))
    server.start()
    try:
        yield server
    finally:
        server.kill()


def point_celery_at(url: str) -> None:
    """Make this process publish to ``url`` (its pools are dropped and rebuilt on next use)."""
    kombu_pools.reset()  # the producer pools are global and keyed by connection
    os.environ["CELERY_BROKER_URL"] = url  # celery reads this before its own settings
    celery_app.conf.broker_url = url  # type: ignore[misc]  # the stubs make a writable setting read-only
    celery_app._after_fork()  # type: ignore[attr-defined]  # private, so not in the stubs


@pytest.fixture
def broker(fault_redis: RedisServer, transactional_db: None) -> Iterator[RedisServer]:
    if not fault_redis.running:
        fault_redis.start()
    redis.Redis(port=fault_redis.port).flushall()
    point_celery_at(fault_redis.url)
    try:
        yield fault_redis
    finally:
        if not fault_redis.running:
            fault_redis.start()
        point_celery_at(settings.CELERY_BROKER_URL)


@dataclass
class Worker:
    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(p) for p in path.read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            return []

    def wait_for(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output():
            if time.monotonic() > deadline:
                pytest.fail(f"{self.name}: no {text!r} after {timeout} s:\n{self.output()[-4000:]}")
            time.sleep(0.1)

    def stop(self) -> None:
        pids = self.children()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        for pid in pids:  # pool processes this worker started, if they outlived it
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


@dataclass
class Lab:
    redis: RedisServer
    directory: Path
    workers: list[Worker] = field(default_factory=list)

    @property
    def mail_dir(self) -> Path:
        return self.directory / "mail"

    def worker(
        self, *, pool: str = "solo", beat: bool = True, pause_at: str = "", pause_seconds: float = 0
    ) -> Worker:
        name = f"fault-{uuid.uuid4().hex[:8]}"
        env = {
            **os.environ,
            **FAST,
            "DJANGO_SETTINGS_MODULE": "tests.faults.worker_settings",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": self.redis.url,
            "REDIS_URL": self.redis.url.replace("/0", "/1"),
            "PGAPPNAME": name,  # so a test can drop this worker's database sessions, and only them
            "FAULT_MAIL_DIR": str(self.mail_dir),
            "FAULT_PAUSE_AT": pause_at,
            "FAULT_PAUSE_SECONDS": str(pause_seconds),
            "PYTHONUNBUFFERED": "1",
        }
        log = self.directory / f"{name}.log"
        command = [
            sys.executable, "-m", "celery", "-A", "tests.faults.worker_app", "worker",
            "-Q", "matching,default", "-P", pool, "-c", "1", "-l", "info", *production_worker_flags(),
            "-n", f"{name}@%h",
        ]  # fmt: skip
        if beat:
            command += ["-B", "-s", str(self.directory / f"{name}-beat")]
        with log.open("wb") as out:
            process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
        worker = Worker(name, process, log)
        self.workers.append(worker)
        worker.wait_for(" ready.")
        return worker

    def terminate_sessions(self, worker: Worker) -> int:
        """Drop the worker's database sessions (never anyone else's): pg_terminate_backend."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND application_name = %s",
                [worker.name],
            )
            return int(cursor.fetchone()[0])

    def emails(self) -> Counter[tuple[str, str]]:
        """(recipient, subject) of every email the workers sent, with how often each went."""
        sent: Counter[tuple[str, str]] = Counter()
        if not self.mail_dir.exists():
            return sent
        for path in self.mail_dir.iterdir():
            to = subject = header = ""
            for line in path.read_text(errors="replace").splitlines():
                if line.startswith(("To: ", "Subject: ")):
                    header, _, value = line.partition(": ")
                    to, subject = (value.strip(), subject) if header == "To" else (to, value.strip())
                elif line[:1] in (" ", "\t") and header == "Subject":
                    subject += " " + line.strip()  # a folded header line
                elif ":" in line[:30]:
                    header = ""
                elif line.startswith("-" * 79):
                    sent[(to, subject)] += 1
                    to = subject = ""
        return sent


@pytest.fixture
def lab(broker: RedisServer, tmp_path: Path) -> Iterator[Lab]:
    lab = Lab(redis=broker, directory=tmp_path)
    lab.mail_dir.mkdir()
    try:
        yield lab
    finally:
        for worker in lab.workers:
            worker.stop()


def wait_until(check: Callable[[], object], timeout: float, what: str, log: Callable[[], str] = str) -> float:
    """Poll ``check`` until it is truthy; returns the seconds it took."""
    began = time.monotonic()
    while not check():
        if time.monotonic() - began > timeout:
            pytest.fail(f"Not {what} after {timeout} s.\n{log()[-6000:]}")
        time.sleep(0.2)
    return time.monotonic() - began


def run_in_stage(run_id: int, stage: str) -> bool:
    return MatchRun.objects.filter(pk=run_id, status="running", stage=stage).exists()


def run_finished(run_id: int) -> bool:
    return MatchRun.objects.filter(pk=run_id, status__in=["succeeded", "failed"]).exists()


def _runs_and_seats(problems: list[str]) -> tuple[int, int]:
    lost = duplicated = 0
    stuck = list(
        MatchRun.objects.filter(status__in=["queued", "running"]).values_list("pk", "status", "stage")
    )
    if stuck:
        lost += len(stuck)
        problems.append(f"runs left unfinished: {stuck}")
    for run in MatchRun.objects.all():
        written = Match.objects.filter(run=run).count()
        reported = run.statistics.get("matches_written", written)  # refill runs report none
        if run.status == "succeeded" and written != reported:
            duplicated += max(written - reported, 0)
            problems.append(f"run {run.pk}: {written} matches, {reported} reported")
        if run.status == "failed" and (written or not run.error):
            problems.append(f"failed run {run.pk} has {written} matches and error {run.error!r}")
    doubled = list(
        Match.objects.filter(status__in=LIVE_STATUSES).values("pupil").annotate(n=Count("id")).filter(n__gt=1)
    )
    if doubled:
        duplicated += len(doubled)
        problems.append(f"pupils with two live matches: {doubled}")
    holding = Count("matches", filter=Q(matches__status__in=SEAT_HOLDING_STATUSES))
    for opp in Opportunity.objects.annotate(holding=holding):
        if not opp.seats_taken == opp.holding <= opp.capacity:
            problems.append(f"opportunity {opp.pk}: seats {opp.seats_taken}, held {opp.holding}")
    return lost, duplicated


def _notifications(problems: list[str], emails: Counter[tuple[str, str]] | None) -> tuple[int, int]:
    """Every status change told to each of its recipients once, and only once."""
    lost = duplicated = 0
    expected: Counter[tuple[str, str]] = Counter()
    for change in MatchStatusChange.objects.select_related("match"):
        messages = messages_for_change(change)
        told = set(
            NotificationSent.objects.filter(event_key=event_key(change)).values_list("recipient", flat=True)
        )
        missing = {m.recipient for m in messages} - told
        if missing:
            lost += len(missing)
            problems.append(f"change {change.pk} ({change.to_status}) not told to {sorted(missing)}")
        expected.update((m.recipient, m.subject) for m in messages)
    if emails is not None and emails != expected:
        extra, absent = emails - expected, expected - emails
        duplicated += sum(extra.values())
        lost += sum(absent.values())
        problems.append(f"emails: extra {dict(extra)}, missing {dict(absent)}")
    unsent = OutboxMessage.objects.filter(sent_at__isnull=True).count()
    if unsent:
        lost += unsent
        problems.append(f"{unsent} outbox rows never sent")
    return lost, duplicated


def assert_consistent(
    *, figures: FaultFigures | None = None, emails: Counter[tuple[str, str]] | None = None
) -> None:
    """The data after a fault, checked by every fault test; counts what was lost or doubled."""
    problems: list[str] = []
    lost_runs, doubled_runs = _runs_and_seats(problems)
    lost_mail, doubled_mail = _notifications(problems, emails)
    if figures is not None:
        figures.lost, figures.duplicated = lost_runs + lost_mail, doubled_runs + doubled_mail
    assert not problems, "\n".join(problems)


def seconds_since(moment: dt.datetime) -> float:
    from django.utils import timezone

    return (timezone.now() - moment).total_seconds()


@dataclass
class FaultFigures:
    """Time to recover, messages lost and duplicated, per fault: printed by bench/faults_report.py."""

    fault: str
    recovered_seconds: float = 0.0
    lost: int = 0
    duplicated: int = 0


@pytest.fixture
def figures(request: pytest.FixtureRequest) -> Iterator[FaultFigures]:
    import json

    record = FaultFigures(fault=request.node.name)
    yield record
    target = os.environ.get("FAULT_REPORT")
    if target:
        with open(target, "a") as out:
            out.write(json.dumps(record.__dict__) + "\n")
