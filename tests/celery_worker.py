"""A real Celery worker in a subprocess, for the worker tests and the benchmarks: one command line,
and one wait until it says it is ready."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Solo pool, one task at a time, no chatter between workers.
FLAGS = ("-P", "solo", "-c", "1", "-l", "info", "--without-gossip", "--without-mingle", "--without-heartbeat")


def worker_start(
    name: str, log: Path, *, queues: str = "matching,default", env: Mapping[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """A worker named ``name`` on ``queues``, writing to ``log``; not yet ready."""
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "mobility",
        "worker",
        "-Q",
        queues,
        *FLAGS,
        "-n",
        f"{name}@%h",
    ]
    with log.open("wb") as out:
        return subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)


def workers_ready(
    workers: list[tuple[subprocess.Popen[bytes], Path]], timeout: float, poll: float = 0.1
) -> str | None:
    """Wait until each worker's log says it is ready: None when all are, else the log of the first
    that stopped or was not ready within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    for process, log in workers:
        while " ready." not in (output := log.read_text(errors="replace")):
            if process.poll() is not None or time.monotonic() > deadline:
                return output
            time.sleep(poll)
    return None


def workers_stop(workers: list[subprocess.Popen[bytes]], timeout: float) -> None:
    """Ask each worker to stop, give them ``timeout`` seconds, then kill what is left."""
    for worker in workers:
        worker.terminate()
    for worker in workers:
        try:
            worker.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=5)


def production_django(database_hint: str, broker_hint: str) -> None:
    """Set Django up on the production settings for a benchmark through real workers, which need
    PostgreSQL and a Redis broker of one's own (else exit with the hint)."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit(database_hint)
    if not os.environ.get("CELERY_BROKER_URL", "").startswith("redis"):
        sys.exit(broker_hint)
    os.environ["DJANGO_SETTINGS_MODULE"] = "mobility.settings.base"
    # Production settings refuse the public demo key; the workers inherit this one.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    import django

    django.setup()
