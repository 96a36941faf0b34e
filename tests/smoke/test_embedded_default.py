"""The embedded default behind scripts/demo: no DATABASE_URL, no broker, an SQLite file.

The only test that runs on SQLite, on purpose: it proves the demo works on a bare machine.
It runs scripts/demo's own setup path (`--setup-only`: install check, front-end build,
collectstatic, migrate, load_demo) in a subprocess with the service variables removed,
then checks the result through manage.py and a real runserver.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from demo.loader import DEMO_LOGINS
from mobility.accounts.models import Role

REPO = Path(__file__).resolve().parents[2]
SERVICE_VARIABLES = ("DATABASE_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "REDIS_URL")
# A login line as scripts/demo prints it: "<role label>  <email>  <password>".
LOGIN_RE = re.compile(r"^[ \t]+\S.*?[ \t]+([\w.+-]+@[\w.-]+\.[a-z]{2,})[ \t]+(\S+)[ \t]*$", re.MULTILINE)
COUNT_USERS = (
    "import json; from django.contrib.auth import get_user_model; "
    "print(json.dumps(get_user_model().objects.count()))"
)

pytestmark = pytest.mark.slow


@dataclass
class Embedded:
    env: dict[str, str]
    workdir: Path
    sqlite_path: Path

    def demo_setup(self) -> str:
        """scripts/demo --setup-only, started from a directory outside the repository."""
        return self._run(["bash", str(REPO / "scripts" / "demo"), "--setup-only"], timeout=900)

    def manage(self, *args: str) -> str:
        return self._run([sys.executable, str(REPO / "manage.py"), *args], timeout=300)

    def shell_json(self, code: str) -> object:
        """Run code in `manage.py shell` and parse the JSON it prints on its last line."""
        return json.loads(self.manage("shell", "-c", code).strip().splitlines()[-1])

    def _run(self, command: list[str], timeout: float) -> str:
        result = subprocess.run(
            command, cwd=self.workdir, env=self.env, capture_output=True, text=True, timeout=timeout
        )
        output = result.stdout + result.stderr
        assert result.returncode == 0, f"{' '.join(command)} exited {result.returncode}:\n{output}"
        return output


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Embedded:
    tmp = tmp_path_factory.mktemp("embedded")
    env = {key: value for key, value in os.environ.items() if key not in SERVICE_VARIABLES}
    env.update(
        DJANGO_SETTINGS_MODULE="mobility.settings.base",
        SQLITE_PATH=str(tmp / "var" / "mobility.sqlite3"),
        STATIC_ROOT=str(tmp / "staticfiles"),
        PYTHONUNBUFFERED="1",
    )
    env.pop("DEBUG", None)  # scripts/demo turns it on, as for a newcomer
    if sys.prefix != sys.base_prefix:
        env["VENV"] = sys.prefix  # the virtualenv running these tests, not a new one
    return Embedded(env=env, workdir=tmp, sqlite_path=tmp / "var" / "mobility.sqlite3")


@pytest.fixture(scope="module")
def first_run(embedded: Embedded) -> str:
    return embedded.demo_setup()


def test_setup_uses_the_sqlite_file_and_runs_tasks_in_process(embedded: Embedded, first_run: str) -> None:
    assert "embedded SQLite file" in first_run
    assert embedded.sqlite_path.stat().st_size > 0
    settings = embedded.shell_json(
        "import json; from django.conf import settings as s; "
        "print(json.dumps([s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], "
        "s.CELERY_TASK_ALWAYS_EAGER]))"
    )
    assert settings == ["django.db.backends.sqlite3", str(embedded.sqlite_path), True]


def test_printed_demo_logins_sign_in(embedded: Embedded, first_run: str) -> None:
    logins = dict(LOGIN_RE.findall(first_run))
    assert sorted(logins) == sorted(DEMO_LOGINS.values()), f"scripts/demo printed:\n{first_run}"
    valid = embedded.shell_json(
        "import json; from django.contrib.auth import get_user_model; "
        f"logins = {logins!r}; users = get_user_model().objects.filter(email__in=logins, is_active=True); "
        "print(json.dumps(sorted(u.email for u in users if u.check_password(logins[u.email]))))"
    )
    assert valid == sorted(logins)
    assert "Two-factor sign-in is off in this demo" in first_run
    roles = embedded.shell_json(
        "import json; from django.contrib.auth import get_user_model; "
        f"print(json.dumps(sorted(set(get_user_model().objects.filter(email__in={sorted(logins)!r})"
        ".values_list('role', flat=True)))))"
    )
    assert roles == sorted(Role.values)  # one login for every role


def test_second_run_keeps_the_data_and_prints_the_logins_again(embedded: Embedded, first_run: str) -> None:
    users_before = embedded.shell_json(COUNT_USERS)
    second_run = embedded.demo_setup()
    assert "already loaded" in second_run
    assert dict(LOGIN_RE.findall(second_run)) == dict(LOGIN_RE.findall(first_run))
    assert embedded.shell_json(COUNT_USERS) == users_before


def test_system_check_passes(embedded: Embedded, first_run: str) -> None:
    assert "no issues" in embedded.manage("check", "--fail-level", "WARNING")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(embedded: Embedded, first_run: str) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, str(REPO / "manage.py"), "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=embedded.workdir,
        env={**embedded.env, "DEBUG": "true"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _get(url: str, deadline: float) -> tuple[int, bytes]:
    """GET url, retrying while the server is still starting."""
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_runserver_answers_health_admin_and_static_files(server: str) -> None:
    deadline = time.monotonic() + 60
    status, body = _get(f"{server}/health/", deadline)
    assert (status, json.loads(body)) == (200, {"status": "ok"})
    # The admin site signs people in on the site's own sign-in page (lockout and second factor).
    status, body = _get(f"{server}/admin/login/", deadline)
    assert status == 200
    assert b"Sign in to Mobility" in body
    status, body = _get(f"{server}/static/admin/css/base.css", deadline)
    assert status == 200
    assert len(body) > 1000


START_RUN = """
import json, time
from django.test import Client
from mobility.accounts.models import User
from placements.models import MatchRun
from placements.web.adviser_selectors import regions_for_user
from tests.twofactor import verified_login
adviser = User.objects.get(email="adviser@demo.mobility.test")
client = Client(HTTP_HOST="localhost")
verified_login(client, adviser)
region = regions_for_user(user=adviser).first()
form = {"region": region.pk, "policy": "stable", "seed": 11}
began = time.monotonic()
response = client.post("/adviser/runs/new/", form, secure=True)
answered = time.monotonic() - began
run = MatchRun.objects.order_by("-id").first()
if run is None:
    raise SystemExit(f"no run: {response.status_code} {response.content[:3000]!r}")
status_on_answer = run.status
while run.status not in ("succeeded", "failed") and time.monotonic() - began < 600:
    time.sleep(0.5)
    run.refresh_from_db()
print("RESULT " + json.dumps({"code": response.status_code, "location": response.get("Location", ""),
                  "answered": answered, "status_on_answer": status_on_answer, "final": run.status,
                  "run": run.pk}))
"""


def test_starting_a_run_answers_at_once_and_the_run_finishes_in_the_background(
    embedded: Embedded, first_run: str
) -> None:
    output = embedded.manage("shell", "-c", START_RUN)
    line = next((x for x in output.splitlines() if x.startswith("RESULT ")), None)
    assert line is not None, output
    result = json.loads(line.removeprefix("RESULT "))
    assert result["code"] == 302 and result["location"] == f"/adviser/runs/{result['run']}/"
    # The redirect comes before the run ends: it is still queued or running then.
    assert result["status_on_answer"] in ("queued", "running")
    assert result["answered"] < 3, result
    assert result["final"] == "succeeded"
