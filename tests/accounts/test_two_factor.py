"""Two-factor sign-in without a browser: what an unverified session reaches, the admin site, the
API and its tokens, lockout on wrong codes, and resets. Codes are real TOTP codes."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from mobility.accounts import twofactor
from mobility.accounts.models import RecoveryCode, Role, SecondFactorChange, User
from mobility.errors import NotPermitted
from tests import factories as f
from tests.twofactor import app_for, code_for, verified_login

pytestmark = pytest.mark.django_db

PASSWORD = f.PASSWORD


def person(email: str, role: str, **fields: object) -> User:
    return User.objects.create_user(email, PASSWORD, first_name="Sam", role=role, **fields)


def not_the_code(app: TOTPDevice) -> str:
    return f"{(int(code_for(app)) + 1) % 1_000_000:06d}"


def signed_in_without_code(user: User) -> Client:
    """Past the password, not yet the second factor."""
    client = Client()
    client.force_login(user)
    return client


def test_an_unverified_session_reaches_only_the_second_factor_pages() -> None:
    staff = f.SchoolStaffFactory.create().user
    client = signed_in_without_code(staff)
    response = client.get("/school/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/verify/?next=%2Fschool%2F"
    assert client.get("/accounts/two-factor/verify/").status_code == 302  # no app yet: set one up
    assert client.get("/accounts/two-factor/set-up/").status_code == 200
    assert client.post("/school/pupils/import/", {}).status_code == 302
    assert client.get("/privacy/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 200
    verified_login(client, staff)
    assert client.get("/school/").status_code == 200


def test_roles_and_the_setting_decide_who_needs_a_second_factor(settings: object) -> None:
    pupil = f.PupilFactory.create().user
    member = f.EmployerMemberFactory.create().user
    adviser = person("adviser@careers.test", Role.ADVISER)
    assert not twofactor.offered(pupil) and not twofactor.needed(pupil)
    assert twofactor.offered(member) and not twofactor.needed(member)
    assert twofactor.required(adviser) and twofactor.needed(adviser)
    youth_worker = f.YouthWorkerFactory.create().user
    lead = person("lead@combined.test", Role.REGION_LEAD)
    assert twofactor.required(youth_worker), "youth workers see named young people's records"
    assert twofactor.offered(lead) and not twofactor.required(lead), "leads see only aggregates"
    app_for(member)
    assert twofactor.needed(member), "an employer who turned it on is asked for it"
    with pytest.raises(NotPermitted):
        twofactor.totp_enrolment_start(user=pupil)


def test_the_admin_site_refuses_an_unverified_staff_session() -> None:
    admin = User.objects.create_superuser("admin@mobility.test", PASSWORD, first_name="Avery")
    client = signed_in_without_code(admin)
    response = client.get("/admin/", follow=False)
    assert response.status_code == 302
    # Whichever layer answers first, the way in is the second-factor page.
    assert response["Location"].startswith("/accounts/two-factor/verify/")
    login = client.get("/admin/login/?next=/admin/")
    assert login.status_code == 302 and login["Location"].startswith("/accounts/two-factor/verify/")
    verified_login(client, admin)
    assert client.get("/admin/").status_code == 200


def test_the_admin_site_itself_requires_a_verified_session(settings: Any) -> None:
    """The admin site's own check, apart from the middleware (django-otp's OTPAdminSite)."""
    user = User.objects.create_superuser("admin@mobility.test", PASSWORD, first_name="Avery")
    request = RequestFactory().get("/admin/")
    request.user = user
    user.otp_device = None  # type: ignore[attr-defined]
    assert not admin.site.has_permission(request)
    user.otp_device = app_for(user)  # type: ignore[attr-defined]
    assert admin.site.has_permission(request)
    # Only with two-factor turned off (the local demo), and no app set up, does a password open it.
    settings.TWO_FACTOR_REQUIRED = False
    user.otp_device = None  # type: ignore[attr-defined]
    assert not admin.site.has_permission(request)
    TOTPDevice.objects.filter(user=user).delete()
    assert admin.site.has_permission(request)


def test_the_api_refuses_an_unverified_session_of_a_role_that_requires_one() -> None:
    staff = f.SchoolStaffFactory.create().user
    client = signed_in_without_code(staff)
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert "Finish signing in" in response.json()["detail"]
    verified_login(client, staff)
    assert client.get("/api/v1/me/").json()["role"] == Role.SCHOOL_STAFF
    pupil_client = signed_in_without_code(f.PupilFactory.create().user)
    assert pupil_client.get("/api/v1/me/").status_code == 200


def test_a_token_for_a_required_role_needs_the_second_factor() -> None:
    staff = person("staff@school.test", Role.SCHOOL_STAFF)
    api = APIClient()
    body = {"email": staff.email, "password": PASSWORD}
    no_app = api.post("/api/v1/auth/token/", body, format="json")
    assert no_app.status_code == 403 and "Set up an authenticator app" in no_app.json()["detail"]
    app = app_for(staff)
    no_code = api.post("/api/v1/auth/token/", body, format="json")
    assert no_code.status_code == 401 and "send otp_code" in no_code.json()["detail"]
    wrong = api.post("/api/v1/auth/token/", {**body, "otp_code": not_the_code(app)}, format="json")
    assert wrong.status_code == 401 and "The code is not right" in wrong.json()["detail"]
    too_soon = api.post("/api/v1/auth/token/", {**body, "otp_code": code_for(app)}, format="json")
    assert too_soon.status_code == 401 and "Too many wrong codes" in too_soon.json()["detail"]
    time.sleep(1.1)  # the device's wait after one wrong code
    right = api.post("/api/v1/auth/token/", {**body, "otp_code": code_for(app)}, format="json")
    assert right.status_code == 200 and right.json()["token"]


def test_an_employer_without_a_second_factor_gets_a_token_with_the_password() -> None:
    member = f.EmployerMemberFactory.create().user
    member.set_password(PASSWORD)
    member.save()
    response = APIClient().post(
        "/api/v1/auth/token/", {"email": member.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200


def test_wrong_codes_lock_the_account_like_wrong_passwords() -> None:
    staff = person("staff@school.test", Role.SCHOOL_STAFF)
    app = app_for(staff)
    client = Client()
    client.post("/accounts/login/", {"email": staff.email, "password": PASSWORD})
    wrong = not_the_code(app)
    statuses = [client.post("/accounts/two-factor/verify/", {"code": wrong}).status_code for _ in range(5)]
    assert statuses[:4] == [200, 200, 200, 200] and statuses[4] == 429
    # Even the right code is refused until the lock ends.
    locked = client.post("/accounts/two-factor/verify/", {"code": code_for(app)})
    assert locked.status_code == 429 and "Try again in" in locked.text
    assert client.get("/school/").status_code == 302


def test_recovery_codes_are_stored_as_digests_and_work_once() -> None:
    staff = person("staff@school.test", Role.SCHOOL_STAFF)
    app_for(staff)
    codes = twofactor.recovery_codes_issue(user=staff)
    stored = set(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert len(stored) == 10 and not any(c.replace("-", "") in h for c in codes for h in stored)
    client = Client()
    client.post("/accounts/login/", {"email": staff.email, "password": PASSWORD})
    first = client.post("/accounts/two-factor/verify/", {"code": codes[0]})
    assert first.status_code == 302
    other = Client()
    other.post("/accounts/login/", {"email": staff.email, "password": PASSWORD})
    again = other.post("/accounts/two-factor/verify/", {"code": codes[0]})
    assert again.status_code == 200 and "The code is not right" in again.text


def test_an_admin_resets_a_second_factor_and_it_is_on_the_audit_trail() -> None:
    admin = User.objects.create_superuser("admin@mobility.test", PASSWORD, first_name="Avery")
    staff = person("staff@school.test", Role.SCHOOL_STAFF)
    app_for(staff)
    twofactor.recovery_codes_issue(user=staff)
    client = verified_login(Client(), admin)
    response = client.post(
        "/admin/accounts/user/", {"action": "reset_second_factor", "_selected_action": [staff.pk]}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=staff).exists() and not RecoveryCode.objects.exists()
    change = SecondFactorChange.objects.get(action=SecondFactorChange.Action.REMOVED)
    assert (change.user_id, change.by_user_id) == (staff.pk, admin.pk)
    # Staff cannot turn off their own, nor reset someone else's.
    with pytest.raises(NotPermitted):
        twofactor.second_factor_remove(user=staff, removed_by=staff, reason="")
    with pytest.raises(NotPermitted):
        twofactor.second_factor_remove(user=admin, removed_by=staff, reason="")


def test_with_two_factor_turned_off_as_in_the_demo_a_password_is_enough(settings: Any) -> None:
    settings.TWO_FACTOR_REQUIRED = False
    User.objects.create_superuser("admin@mobility.test", PASSWORD, first_name="Avery")
    client = Client()
    response = client.post("/accounts/login/", {"email": "admin@mobility.test", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/adviser/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/api/v1/me/").status_code == 200
