"""Sessions for shared school computers: pupils' end with the browser and after idling, staff after a day."""

from __future__ import annotations

import time
from importlib import import_module

import pytest
from django.conf import settings
from django.test import Client, override_settings
from knox.models import AuthToken

from mobility.accounts.models import User
from mobility.security.sessions import LAST_SEEN_AT, SIGNED_IN_AT
from tests.factories import PASSWORD
from tests.twofactor import sign_in as sign_in_with_code

pytestmark = pytest.mark.django_db
# The configured engine (sessions are cached in Redis, written through to the database), so a
# test's change to a session is the one the site reads.
SessionStore = import_module(settings.SESSION_ENGINE).SessionStore


@pytest.fixture
def world() -> dict[str, User]:
    from tests.web.world import build_world

    built = build_world()
    return {"pupil": built.pupil.user, "staff": built.staff}


def sign_in(email: str) -> Client:
    client = Client()
    response = sign_in_with_code(client, User.objects.get(email=email), PASSWORD)
    assert response.status_code == 302
    return client


def shift_session(client: Client, **seconds_ago: float) -> None:
    """Move the session's clocks back, as if that much time had passed."""
    session = SessionStore(client.cookies["sessionid"].value)
    now = time.time()
    if "signed_in" in seconds_ago:
        session[SIGNED_IN_AT] = now - seconds_ago["signed_in"]
    if "last_seen" in seconds_ago:
        session[LAST_SEEN_AT] = now - seconds_ago["last_seen"]
    session.save()


def test_a_pupils_session_cookie_ends_with_the_browser(world: dict[str, User]) -> None:
    response = Client().post("/accounts/login/", {"email": "pupil@school.test", "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert not cookie["expires"] and not cookie["max-age"]


def test_staff_session_cookies_last_a_working_day(world: dict[str, User]) -> None:
    response = Client().post("/accounts/login/", {"email": "staff@school.test", "password": PASSWORD})
    assert response.cookies["sessionid"]["max-age"] == 8 * 3600


def test_a_pupil_idle_for_thirty_minutes_is_signed_out(world: dict[str, User]) -> None:
    client = sign_in("pupil@school.test")
    shift_session(client, signed_in=29 * 60, last_seen=29 * 60)
    assert client.get("/pupil/").status_code == 200  # 29 minutes idle: still in, and the clock restarts
    shift_session(client, last_seen=31 * 60)
    response = client.get("/pupil/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    page = client.get(response["Location"])
    assert "You were signed out because you had not used Mobility for a while" in page.text


def test_staff_are_signed_out_after_a_working_day_however_active(world: dict[str, User]) -> None:
    client = sign_in("staff@school.test")
    shift_session(client, signed_in=7 * 3600, last_seen=60)
    assert client.get("/school/").status_code == 200
    shift_session(client, signed_in=8 * 3600 + 60, last_seen=60)
    assert client.get("/school/").status_code == 302


@override_settings(PUPIL_SESSION_IDLE_MINUTES=5, STAFF_SESSION_HOURS=1)
def test_both_limits_are_settings(world: dict[str, User]) -> None:
    pupil = sign_in("pupil@school.test")
    shift_session(pupil, last_seen=6 * 60)
    assert pupil.get("/pupil/").status_code == 302
    staff = sign_in("staff@school.test")
    shift_session(staff, signed_in=3600 + 60)
    assert staff.get("/school/").status_code == 302


def test_signing_out_ends_the_session_and_revokes_the_api_token(world: dict[str, User]) -> None:
    client = sign_in("staff@school.test")
    old_key = client.cookies["sessionid"].value
    _, token = AuthToken.objects.create(user=world["staff"])
    assert client.get("/api/v1/me/", headers={"Authorization": f"Token {token}"}).status_code == 200

    assert client.post("/accounts/logout/").status_code == 200
    assert not SessionStore().exists(old_key)
    assert not AuthToken.objects.filter(user=world["staff"]).exists()
    stale = Client()
    stale.cookies["sessionid"] = old_key
    assert stale.get("/school/").status_code == 302
    revoked = Client().get("/api/v1/me/", headers={"Authorization": f"Token {token}"})
    assert revoked.status_code == 401
    assert "Invalid token" in revoked.json()["detail"]


def test_other_users_tokens_survive(world: dict[str, User]) -> None:
    client = sign_in("staff@school.test")
    theirs, _ = AuthToken.objects.create(user=world["pupil"])
    client.post("/accounts/logout/")
    assert AuthToken.objects.filter(pk=theirs.pk).exists()


def test_a_session_from_before_the_policy_starts_its_clocks_on_first_use(world: dict[str, User]) -> None:
    client = sign_in("pupil@school.test")
    session = SessionStore(client.cookies["sessionid"].value)
    del session[SIGNED_IN_AT], session[LAST_SEEN_AT]
    session.save()
    assert client.get("/pupil/").status_code == 200
    assert SIGNED_IN_AT in SessionStore(client.cookies["sessionid"].value)
    shift_session(client, last_seen=31 * 60)
    assert client.get("/pupil/").status_code == 302
