"""Lockout after repeated sign-in failures, per account and per address, on every sign-in path."""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import TYPE_CHECKING

import pytest
from axes.models import AccessAttempt
from django.test import Client, override_settings
from rest_framework.test import APIClient

from mobility.accounts.models import Role, User

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def pupil() -> User:
    return User.objects.create_user("pupil@school.test", PASSWORD, first_name="Pip", role=Role.PUPIL)


def web_sign_in(
    client: Client, email: str, password: str, address: str = "127.0.0.1"
) -> _MonkeyPatchedWSGIResponse:
    return client.post("/accounts/login/", {"email": email, "password": password}, REMOTE_ADDR=address)


def test_the_web_sign_in_locks_an_account_after_five_failures(
    pupil: User, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client()
    for _ in range(4):
        response = web_sign_in(client, "pupil@school.test", "wrong")
        assert response.status_code == 200
        assert "Enter a correct email address and password" in response.text
    with caplog.at_level(logging.WARNING, logger="mobility.security"):
        response = web_sign_in(client, "Pupil@School.test", "wrong")
    assert response.status_code == 429
    assert "Try again in 15 minutes" in response.text
    assert response["Retry-After"] == "900"
    assert any(
        getattr(r, "event", None) == "sign_in_locked_out" and r.user_id == pupil.pk  # type: ignore[attr-defined]
        for r in caplog.records
    )
    # The right password does not help while the account is locked, from any address.
    response = web_sign_in(Client(), "pupil@school.test", PASSWORD, address="10.9.8.7")
    assert response.status_code == 429
    assert "_auth_user_id" not in Client().session


@override_settings(AXES_COOLOFF_TIME=dt.timedelta(seconds=2))
def test_the_lock_is_released_after_the_window(pupil: User) -> None:
    client = Client()
    for _ in range(5):
        web_sign_in(client, "pupil@school.test", "wrong")
    assert web_sign_in(client, "pupil@school.test", PASSWORD).status_code == 429
    time.sleep(2.5)
    response = web_sign_in(client, "pupil@school.test", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/pupil/"


@override_settings(LOGIN_FAILURES_PER_ADDRESS=8)
def test_an_address_is_locked_at_its_own_higher_limit(pupil: User) -> None:
    client = Client()
    # Failures on two accounts: neither reaches five, but the eighth from the address locks it.
    for email, tries in (("a@school.test", 4), ("b@school.test", 3)):
        for _ in range(tries):
            assert web_sign_in(client, email, "wrong", address="192.0.2.10").status_code == 200
    assert web_sign_in(client, "b@school.test", "wrong", address="192.0.2.10").status_code == 429
    assert web_sign_in(client, "pupil@school.test", PASSWORD, address="192.0.2.10").status_code == 429
    # The same account from another address is fine: only that address is locked.
    assert web_sign_in(Client(), "pupil@school.test", PASSWORD, address="192.0.2.11").status_code == 302


@override_settings(BEHIND_PROXY=True)
def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(pupil: User) -> None:
    web_sign_in(Client(), "pupil@school.test", "wrong", address="10.0.0.2")
    Client().post(
        "/accounts/login/",
        {"email": "pupil@school.test", "password": "wrong"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.99, 198.51.100.7",
    )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.0.0.2", "198.51.100.7"}


def test_the_admin_sign_in_is_the_site_sign_in_and_is_locked_too() -> None:
    """The admin site takes no password itself: it sends people to the sign-in page, with its
    lockout and second factor, which returns them to the admin site."""
    User.objects.create_superuser("admin@mobility.test", PASSWORD, first_name="Avery")
    client = Client()
    refused = client.post("/admin/login/", {"username": "admin@mobility.test", "password": PASSWORD})
    assert refused.status_code == 302 and refused["Location"].startswith("/accounts/login/?next=")
    for _ in range(5):
        client.post("/accounts/login/?next=/admin/", {"email": "admin@mobility.test", "password": "wrong"})
    response = client.post(
        "/accounts/login/?next=/admin/", {"email": "admin@mobility.test", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "Try again in" in response.text


def test_the_token_endpoint_is_locked_with_a_json_answer(pupil: User) -> None:
    client = APIClient()
    for _ in range(4):
        response = client.post("/api/v1/auth/token/", {"email": "pupil@school.test", "password": "wrong"})
        assert response.status_code in (400, 401, 403)
    response = client.post("/api/v1/auth/token/", {"email": "pupil@school.test", "password": "wrong"})
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
    assert "Try again in 15 minutes" in response.json()["detail"]
    assert response["Retry-After"] == "900"
    response = client.post("/api/v1/auth/token/", {"email": "pupil@school.test", "password": PASSWORD})
    assert response.status_code == 429
    assert "token" not in response.json()


def test_forms_without_authenticate_share_the_lockout(pupil: User) -> None:
    from django.test import RequestFactory

    from mobility.security.lockout import record_failure, refusal_if_locked

    def reset_request() -> object:
        return RequestFactory().post("/accounts/password-reset/", REMOTE_ADDR="192.0.2.30")

    for _ in range(4):
        assert refusal_if_locked(reset_request(), "pupil@school.test") is None  # type: ignore[arg-type]
        record_failure(reset_request(), "pupil@school.test")  # type: ignore[arg-type]
    record_failure(reset_request(), "pupil@school.test")  # type: ignore[arg-type]
    refused = refusal_if_locked(reset_request(), "pupil@school.test")  # type: ignore[arg-type]
    assert refused is not None and refused.status_code == 429
    # The same account is locked on the sign-in form too.
    assert web_sign_in(Client(), "pupil@school.test", PASSWORD).status_code == 429


@override_settings(LOGIN_FAILURES_PER_ACCOUNT=2)
def test_the_account_limit_is_a_setting(pupil: User) -> None:
    client = Client()
    assert web_sign_in(client, "pupil@school.test", "wrong").status_code == 200
    assert web_sign_in(client, "pupil@school.test", "wrong").status_code == 429
