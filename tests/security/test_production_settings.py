"""Production settings are safe by default: start-up refuses a bad SECRET_KEY, check --deploy is clean."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
GOOD_KEY = secrets.token_urlsafe(50)
SETTINGS_JSON = (
    "import json; from django.conf import settings as s; "
    "print(json.dumps({name: getattr(s, name) for name in "
    "['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', "
    "'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_PROXY_SSL_HEADER', 'PASSWORD_HASHERS']}))"
)


def production_env(**overrides: str | None) -> dict[str, str]:
    """The environment docker-compose.yml gives the site, without anything the tests set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "SESSION_", "CSRF_"))}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' conftest
    env.update(
        DJANGO_SETTINGS_MODULE="mobility.settings.base",
        DEBUG="false",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="mobility.example.org",
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        (None, "SECRET_KEY is unset, so it is the public demo value"),
        ("insecure-demo-key-set-SECRET_KEY-in-production", "public demo value"),
        ("x" * 49, "shorter than 50 characters"),
    ],
    ids=["missing", "demo", "short"],
)
def test_start_up_is_refused_without_a_proper_secret_key(key: str | None, problem: str) -> None:
    env = production_env(SECRET_KEY=key)
    # The server's own entry point: gunicorn imports mobility.wsgi, which sets Django up.
    wsgi = run(["-c", "import mobility.wsgi"], env)
    assert wsgi.returncode != 0
    assert problem in wsgi.stderr
    assert "secrets.token_urlsafe(50)" in wsgi.stderr
    manage = run(["manage.py", "check"], env)
    assert manage.returncode != 0
    assert problem in manage.stderr


def test_debug_still_accepts_the_demo_key() -> None:
    result = run(["manage.py", "check"], production_env(SECRET_KEY=None, DEBUG="true"))
    assert result.returncode == 0, result.stderr


def test_check_deploy_is_clean_with_the_production_environment() -> None:
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_when_a_protection_is_turned_off() -> None:
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(SESSION_COOKIE_SECURE="false"),
    )
    assert result.returncode != 0
    assert "security.W012" in result.stderr


def settings_in(env: dict[str, str]) -> dict[str, object]:
    result = run(["manage.py", "shell", "-c", SETTINGS_JSON], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_protections_are_on_by_default_and_off_with_debug() -> None:
    on: dict[str, Any] = settings_in(production_env())
    assert on["SESSION_COOKIE_SECURE"] and on["CSRF_COOKIE_SECURE"] and on["SECURE_SSL_REDIRECT"]
    assert on["SECURE_HSTS_SECONDS"] >= 31_536_000 and on["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert on["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert on["PASSWORD_HASHERS"][0] == "mobility.security.hashers.Argon2idPasswordHasher"
    debug = settings_in(production_env(DEBUG="true"))
    assert not debug["SESSION_COOKIE_SECURE"] and not debug["SECURE_SSL_REDIRECT"]
    assert debug["SECURE_HSTS_SECONDS"] == 0
    overridden = settings_in(production_env(SECURE_HSTS_SECONDS="60"))
    assert overridden["SECURE_HSTS_SECONDS"] == 60


def test_check_deploy_warns_when_two_factor_is_turned_off() -> None:
    env = production_env(TWO_FACTOR_REQUIRED="false")
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    assert "mobility.W001" in result.stdout + result.stderr
