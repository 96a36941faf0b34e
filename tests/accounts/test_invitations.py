"""Invitations: single use, expiring, hashed; printed codes count towards the sign-in lockout."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from mobility.accounts import services
from mobility.accounts.models import Invitation, Role, User
from tests.factories import PupilFactory, SchoolStaffFactory, UserFactory
from tests.twofactor import verified_login

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "lantern-quarry-otter-52"


@pytest.fixture
def invitee() -> User:
    return User.objects.create_user("new@school.test", None, first_name="Nia", role=Role.PUPIL)


def link_in(message: Any) -> str:
    match = re.search(r"https?://\S+/accounts/invitation/\S+/", message.body)
    assert match, message.body
    return match.group(0)


def test_the_link_is_emailed_on_commit_and_only_its_hash_is_stored(
    invitee: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        issued = services.invitation_send(user=invitee, site_url="https://mobility.example/")
        assert mail.outbox == []  # nothing leaves before the transaction commits
    assert len(callbacks) == 1 and len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@school.test"]
    assert link_in(mail.outbox[0]) == f"https://mobility.example/accounts/invitation/{issued.token}/"
    stored = Invitation.objects.get()
    assert issued.token not in stored.token_hash and stored.token_hash != issued.token
    assert stored.expires_at - stored.created_at == dt.timedelta(days=7)


def test_the_link_sets_a_password_once(invitee: User) -> None:
    issued = services.invitation_send(user=invitee, by_email=False)
    client = Client()
    page = client.get(issued.path)
    assert page.status_code == 200 and "Set your password" in page.text
    response = client.post(issued.path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    invitee.refresh_from_db()
    assert invitee.check_password(NEW_PASSWORD)
    again = Client().get(issued.path)
    assert again.status_code == 410 and "already been used" in again.text


def test_django_password_validators_apply(invitee: User) -> None:
    issued = services.invitation_send(user=invitee, by_email=False)
    response = Client().post(issued.path, {"new_password1": "password", "new_password2": "password"})
    assert response.status_code == 200
    assert "This password is too common" in response.text
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=issued.invitation, password="12345678901")
    invitee.refresh_from_db()
    assert not invitee.has_usable_password()


def test_an_expired_link_is_refused(invitee: User) -> None:
    issued = services.invitation_send(user=invitee, by_email=False, now=timezone.now() - dt.timedelta(days=8))
    response = Client().get(issued.path)
    assert response.status_code == 410
    assert "This invitation has expired" in response.text
    response = Client().post(issued.path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 410
    invitee.refresh_from_db()
    assert not invitee.has_usable_password()


def test_a_new_invitation_replaces_the_old_one(invitee: User) -> None:
    first = services.invitation_send(user=invitee, by_email=False)
    second = services.invitation_send(user=invitee, by_email=False)
    assert Client().get(first.path).status_code == 410
    assert Client().get(second.path).status_code == 200
    assert Client().get("/accounts/invitation/not-a-real-token/").status_code == 404


def test_an_activation_code_leads_to_setting_a_password(invitee: User) -> None:
    issued = services.invitation_send(user=invitee, by_email=False)
    client = Client()
    response = client.post("/accounts/activate/", {"email": "NEW@school.test", "code": issued.code.lower()})
    assert response.status_code == 302 and response["Location"] == "/accounts/activate/password/"
    response = client.post(
        "/accounts/activate/password/", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    invitee.refresh_from_db()
    assert invitee.check_password(NEW_PASSWORD)
    again = Client().post("/accounts/activate/", {"email": "new@school.test", "code": issued.code})
    assert again.status_code == 410 and "already been used" in again.text


def test_guessing_codes_is_locked_out_like_guessing_passwords(invitee: User) -> None:
    issued = services.invitation_send(user=invitee, by_email=False)
    client = Client()
    for _ in range(4):
        response = client.post("/accounts/activate/", {"email": "new@school.test", "code": "AAAA-AAAA"})
        assert response.status_code == 200
        assert "Enter the email address and activation code printed on your sheet" in response.text
    response = client.post("/accounts/activate/", {"email": "new@school.test", "code": "AAAA-AAAA"})
    assert response.status_code == 429 and "Try again in" in response.text
    # Locked: even the right code waits.
    response = client.post("/accounts/activate/", {"email": "new@school.test", "code": issued.code})
    assert response.status_code == 429


def test_staff_resend_one_or_all_and_see_who_has_activated(django_capture_on_commit_callbacks: Any) -> None:
    staff = SchoolStaffFactory.create()
    waiting = PupilFactory.create(school=staff.school)
    waiting.user.set_unusable_password()
    waiting.user.save()
    activated = PupilFactory.create(school=staff.school)
    other_school = PupilFactory.create()
    other_school.user.set_unusable_password()
    other_school.user.save()
    client = Client()
    verified_login(client, staff.user)
    page = client.get("/school/accounts/")
    assert page.status_code == 200
    assert "1 not activated" in page.text and activated.user.email in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/school/accounts/resend/", {"user": waiting.user.pk})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[waiting.user.email]]
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/school/accounts/resend/", {"user": other_school.user.pk})  # not theirs: nothing
        client.post("/school/accounts/resend/")
    assert [m.to for m in mail.outbox] == [[waiting.user.email]] * 2
    assert Invitation.objects.filter(user=waiting.user, revoked_at=None).count() == 1


def test_the_admin_site_invites_a_new_account(django_capture_on_commit_callbacks: Any) -> None:
    admin = UserFactory.create(admin=True)
    client = Client()
    verified_login(client, admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/accounts/user/add/",
            {
                "email": "adviser.new@careers.test",
                "first_name": "Ada",
                "role": Role.ADVISER,
                "usable_password": "false",
            },
        )
    assert response.status_code == 302, response.text
    user = User.objects.get(email="adviser.new@careers.test")
    assert not user.has_usable_password()
    assert mail.outbox[0].to == [user.email]
