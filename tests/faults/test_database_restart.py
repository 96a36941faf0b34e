"""A persistent connection the database dropped (as on a restart): the next request still succeeds."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test.client import RequestFactory
from knox.models import AuthToken

from mobility.accounts.models import Role, User

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def persistent_connection() -> Iterator[None]:
    """Connections kept between requests, as in production (CONN_MAX_AGE)."""
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = 60
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def get(handler: WSGIHandler, token: str) -> tuple[str, bytes]:
    """One request through the WSGI handler, with the request signals a real server sends."""
    environ = RequestFactory()._base_environ(  # type: ignore[attr-defined]  # private, so not in the stubs
        PATH_INFO="/api/v1/me/", REQUEST_METHOD="GET", HTTP_AUTHORIZATION=f"Token {token}"
    )
    answer: dict[str, str] = {}

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: object = None
    ) -> Callable[[bytes], object]:
        answer["status"] = status
        return lambda data: None

    body = b"".join(handler(environ, start_response))
    return answer["status"], body


def drop_from_outside(pid: int) -> None:
    """Terminate this test's own request connection from a second session of this test."""
    params = connection.get_connection_params()
    with psycopg.connect(
        dbname=connection.settings_dict["NAME"],
        autocommit=True,
        **{k: params[k] for k in ("user", "host", "port", "password") if k in params},
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.mark.parametrize("health_checks", [True, False])
def test_the_first_request_after_a_dropped_connection(
    persistent_connection: None, health_checks: bool
) -> None:
    connection.settings_dict["CONN_HEALTH_CHECKS"] = health_checks  # read when connecting
    user = User.objects.create_user(
        "adviser@careers.test", "pw-Long-enough-1", role=Role.ADVISER, first_name="Ada"
    )
    token = AuthToken.objects.create(user=user)[1]
    handler = WSGIHandler()
    assert get(handler, token)[0] == "200 OK"
    with connection.cursor() as cursor:  # the connection the request left open
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]

    drop_from_outside(pid)
    status, body = get(handler, token)

    if health_checks:  # the setting in mobility/settings/base.py
        assert status == "200 OK" and json.loads(body)["email"] == "adviser@careers.test"
    else:  # what happened before: the dead connection was reused
        assert status.startswith("500")


def test_health_checks_are_on_in_the_settings() -> None:
    from django.conf import settings

    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
