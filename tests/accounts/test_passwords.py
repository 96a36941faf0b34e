"""Password reset and change: the same answer whether or not an account exists; validators always run."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from mobility.accounts.models import Role, User
from tests.twofactor import verified_login

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "lantern-quarry-otter-52"


@pytest.fixture
def pupil() -> User:
    return User.objects.create_user("pupil@school.test", PASSWORD, first_name="Pip", role=Role.PUPIL)


def ask_reset(email: str, client: Client | None = None) -> object:
    return (client or Client()).post("/accounts/password/reset/", {"email": email}, follow=True)


def test_the_reset_page_says_the_same_whether_or_not_the_account_exists(pupil: User) -> None:
    known = ask_reset("pupil@school.test")
    unknown = ask_reset("nobody@school.test")
    assert known.status_code == unknown.status_code == 200  # type: ignore[attr-defined]
    main = re.compile(r"<main.*</main>", re.S)
    assert main.search(known.text).group(0) == main.search(unknown.text).group(0)  # type: ignore[attr-defined,union-attr]
    assert [m.to for m in mail.outbox] == [["pupil@school.test"]]


def test_the_emailed_link_sets_a_new_password_through_the_validators(pupil: User) -> None:
    ask_reset("pupil@school.test")
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", str(mail.outbox[0].body))
    assert link
    client = Client()
    form = client.get(link.group(1), follow=True)
    assert "Choose a new password" in form.text
    url = form.redirect_chain[-1][0]
    weak = client.post(url, {"new_password1": "123456789", "new_password2": "123456789"})
    assert "This password is entirely numeric" in weak.text
    done = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)
    assert "Your password has been changed" in done.text
    pupil.refresh_from_db()
    assert pupil.check_password(NEW_PASSWORD)
    again = Client().get(link.group(1), follow=True)
    assert "This reset link is not valid" in again.text


def test_a_locked_out_account_gets_no_reset_email(pupil: User) -> None:
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"email": "pupil@school.test", "password": "wrong"})
    response = client.post("/accounts/password/reset/", {"email": "pupil@school.test"})
    assert response.status_code == 429
    assert mail.outbox == []


def test_changing_a_password_needs_the_old_one_and_a_good_new_one(pupil: User) -> None:
    client = Client()
    verified_login(client, pupil)
    url = "/accounts/password/change/"
    wrong = client.post(
        url, {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert "Your old password was entered incorrectly" in wrong.text
    weak = client.post(url, {"old_password": PASSWORD, "new_password1": "pip", "new_password2": "pip"})
    assert "This password is too short" in weak.text
    done = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Your password has been changed" in done.text
    pupil.refresh_from_db()
    assert pupil.check_password(NEW_PASSWORD)
    assert client.get(url).status_code == 200  # still signed in after the change
    assert Client().get(url).status_code == 302  # signed-out visitors are sent to sign in
