"""API tokens: hashed, expiring, listed and revoked by their owner; missing or bad ones are a 401."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from mobility.accounts.models import Role, User
from tests.twofactor import token_request

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def staff() -> User:
    return User.objects.create_user("staff@school.test", PASSWORD, first_name="Sam", role=Role.SCHOOL_STAFF)


def issue(email: str = "staff@school.test") -> dict[str, str]:
    body = token_request(User.objects.get(email=email), PASSWORD)
    response = APIClient().post("/api/v1/auth/token/", body, format="json")
    assert response.status_code == 200, response.content
    return response.json()  # type: ignore[no-any-return]


def with_token(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_token_is_stored_as_a_digest_and_expires(staff: User) -> None:
    body = issue()
    stored = AuthToken.objects.get(user=staff)
    assert body["token"] not in (stored.digest, stored.token_key) and body["token"].startswith(
        stored.token_key
    )
    assert stored.expiry is not None
    assert dt.timedelta(days=6) < stored.expiry - timezone.now() <= dt.timedelta(days=7)
    assert with_token(body["token"]).get("/api/v1/me/").status_code == 200
    AuthToken.objects.filter(pk=stored.pk).update(expiry=timezone.now() - dt.timedelta(seconds=1))
    expired = with_token(body["token"]).get("/api/v1/me/")
    assert expired.status_code == 401 and expired["WWW-Authenticate"] == "Token"


def test_the_owner_lists_and_revokes_their_tokens(staff: User) -> None:
    first, second = issue(), issue()
    other = User.objects.create_user("other@school.test", PASSWORD, first_name="Oz", role=Role.SCHOOL_STAFF)
    theirs = issue("other@school.test")
    client = with_token(first["token"])
    listed = client.get("/api/v1/auth/tokens/").json()
    assert {row["token_key"] for row in listed} == {first["token_key"], second["token_key"]}
    assert all("token" not in row and "digest" not in row for row in listed)
    assert client.delete(f"/api/v1/auth/tokens/{theirs['token_key']}/").status_code == 404
    assert client.delete(f"/api/v1/auth/tokens/{second['token_key']}/").status_code == 204
    assert with_token(second["token"]).get("/api/v1/me/").status_code == 401
    assert with_token(theirs["token"]).get("/api/v1/me/").status_code == 200
    assert AuthToken.objects.filter(user=other).count() == 1


@pytest.mark.parametrize(
    "header", [None, "Token not-a-real-token", "Token", "Bearer abc", "Token a b"], ids=str
)
def test_missing_or_bad_credentials_answer_401_with_www_authenticate(header: str | None) -> None:
    client = APIClient()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/pupils/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"]


def test_a_wrong_password_for_a_token_is_a_401(staff: User) -> None:
    response = APIClient().post(
        "/api/v1/auth/token/", {"email": "staff@school.test", "password": "wrong"}, format="json"
    )
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
