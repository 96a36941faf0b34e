"""The API's throttles answer 429 with Retry-After."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient

from mobility.accounts.models import Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def rates(anon: str, user: str) -> override_settings:
    from django.conf import settings

    return override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user}}
    )


def test_a_signed_in_user_past_the_rate_gets_429_with_retry_after() -> None:
    user = User.objects.create_user("pupil@school.test", "pw-123456789", first_name="Pip", role=Role.PUPIL)
    client = APIClient()
    client.force_authenticate(user)
    with rates(anon="100/min", user="3/min"):
        statuses = [client.get("/api/v1/me/").status_code for _ in range(4)]
        response = client.get("/api/v1/me/")
    assert statuses == [200, 200, 200, 429]
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "throttled" in response.json()["detail"].lower()


def test_anonymous_clients_are_throttled_by_address() -> None:
    client = APIClient()
    body = {"email": "nobody@school.test", "password": "whatever"}
    with rates(anon="2/hour", user="100/min"):
        first = [
            client.post("/api/v1/auth/token/", body, REMOTE_ADDR="192.0.2.1").status_code for _ in range(2)
        ]
        throttled = client.post("/api/v1/auth/token/", body, REMOTE_ADDR="192.0.2.1")
        elsewhere = client.post("/api/v1/auth/token/", body, REMOTE_ADDR="192.0.2.2")
    assert 429 not in first
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 60
    assert elsewhere.status_code != 429
