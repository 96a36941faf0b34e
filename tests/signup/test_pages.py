"""The sign-up page, the adviser's queue and the colleagues page, through the test client."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.settings import api_settings

from employers.models import Employer, EmployerMember
from mobility.accounts.models import User
from tests import factories as f
from tests.twofactor import verified_login

from .conftest import SignUpWorld, pending_employer

pytestmark = pytest.mark.django_db


def form(**changes: str) -> dict[str, str]:
    data = {
        "organisation": "Mersey Robotics Ltd",
        "sector": str(f.SectorFactory.create().pk),
        "first_name": "Jo",
        "last_name": "Founder",
        "job_title": "",
        "email": "jo@mersey-robotics.test",
        "phone": "0151 496 0000",
        "site_name": "Workshop",
        "address": "1 Dale Street, Liverpool",
        "postcode": "L2 2DH",
    }
    data.update(changes)
    return data


def visitor(address: str) -> Client:
    """A visitor from ``address``, with no sign-ups counted against it yet."""
    cache.delete(f"throttle_sign_up_{address}")
    return Client(REMOTE_ADDR=address)


def test_visitors_find_the_sign_up_page_from_home_and_sign_in() -> None:
    for url in ("/", reverse("login")):
        assert reverse("sign_up") in Client().get(url).content.decode()
    page = Client().get(reverse("sign_up"))
    assert page.status_code == 200
    assert b"<script>" not in page.content and b"onclick" not in page.content


def test_the_same_answer_whether_or_not_the_address_has_an_account(
    django_capture_on_commit_callbacks: object,
) -> None:
    f.LocalAuthorityFactory.create()
    f.UserFactory.create(email="taken@example.test")
    answers = []
    for email in ("jo@mersey-robotics.test", "taken@example.test"):
        with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
            response = visitor("198.51.100.7").post(reverse("sign_up"), form(email=email))
        assert response.status_code == 302
        answers.append((response["Location"], Client().get(response["Location"]).content))
    assert answers[0] == answers[1]
    assert Employer.objects.filter(name="Mersey Robotics Ltd").count() == 1
    assert [m.to for m in mail.outbox] == [["jo@mersey-robotics.test"]]  # the other is told via the outbox


def test_bad_answers_are_field_errors_not_failures() -> None:
    f.LocalAuthorityFactory.create()
    client = visitor("198.51.100.8")
    response = client.post(reverse("sign_up"), form(postcode="M1 1AE", phone="call me", email="nope"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a phone number, like 0151 496 0000" in page
    assert "Enter an email address in the correct format" in page
    response = client.post(reverse("sign_up"), form(postcode="M1 1AE"))
    assert "M1 1AE is outside the areas this service covers" in response.content.decode()
    assert not Employer.objects.filter(name="Mersey Robotics Ltd").exists()


def test_sign_up_needs_the_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR="198.51.100.9")
    assert client.post(reverse("sign_up"), form()).status_code == 403
    assert not Employer.objects.filter(name="Mersey Robotics Ltd").exists()


def test_sign_ups_from_one_address_are_throttled() -> None:
    f.LocalAuthorityFactory.create()
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "sign_up": "2/hour"}
    with override_settings(REST_FRAMEWORK={"DEFAULT_THROTTLE_RATES": rates}):
        client = visitor("198.51.100.10")
        for n in range(2):
            assert client.post(reverse("sign_up"), form(email=f"n{n}@x.test")).status_code == 302
        refused = client.post(reverse("sign_up"), form(email="n3@x.test"))
        assert refused.status_code == 429
        assert int(refused["Retry-After"]) > 3000
        assert "Try again in 60 minutes" in refused.content.decode()
        assert not User.objects.filter(email="n3@x.test").exists()
        # Another address is not held up.
        assert visitor("198.51.100.11").post(reverse("sign_up"), form(email="n4@x.test")).status_code == 302


def test_the_queue_lists_confirmed_sign_ups_in_the_advisers_region(sign_up_world: SignUpWorld) -> None:
    w = sign_up_world
    _, member = pending_employer(name="Unconfirmed Ltd")
    User.objects.filter(pk=member.user_id).update(password="!unusable")
    far, _ = pending_employer(name="Far Away Ltd", postcode="M1 1AE")
    adviser = Client()
    verified_login(adviser, w.adviser)
    page = adviser.get(reverse("adviser:employers")).content.decode()
    assert w.pending.name in page
    assert "Unconfirmed Ltd" not in page and "Far Away Ltd" not in page
    assert w.pending.name not in adviser.get(reverse("adviser:employers") + "?q=robotics").content.decode()
    assert w.pending.name in adviser.get(reverse("adviser:employers") + "?q=L2+2DH").content.decode()
    assert adviser.get(reverse("adviser:employer", args=[far.pk])).status_code == 404
    far_adviser = Client()
    verified_login(far_adviser, w.far_adviser)
    assert "Far Away Ltd" in far_adviser.get(reverse("adviser:employers")).content.decode()


def test_the_queue_is_paged() -> None:
    school = f.SchoolFactory.create()
    adviser = Client()
    verified_login(adviser, f.CareersAdviserFactory.create(schools=[school]).user)
    for n in range(51):
        pending_employer(name=f"Queued {n:02d} Ltd")
    first = adviser.get(reverse("adviser:employers")).content.decode()
    assert "Page 1 of 2" in first and "Queued 00 Ltd" in first and "Queued 50 Ltd" not in first
    assert "Queued 50 Ltd" in adviser.get(reverse("adviser:employers") + "?page=2").content.decode()


def test_refusing_needs_a_reason_and_says_so(sign_up_world: SignUpWorld) -> None:
    w = sign_up_world
    adviser = Client()
    verified_login(adviser, w.adviser)
    response = adviser.post(reverse("adviser:employer_refuse", args=[w.pending.pk]), {"refused-note": ""})
    assert response.status_code == 400
    assert "Give the reason for refusing" in response.content.decode()
    assert Employer.objects.get(pk=w.pending.pk).verification_status == "pending"


def test_colleagues_are_listed_invited_and_removed(sign_up_world: SignUpWorld) -> None:
    w = sign_up_world
    member = Client()
    verified_login(member, w.contact.user)
    response = member.post(
        reverse("employer:colleague_invite"),
        {"first_name": "Sam", "last_name": "Colleague", "email": "sam@mersey-robotics.test", "job_title": ""},
    )
    assert response.status_code == 302
    page = member.get(reverse("employer:colleagues")).content.decode()
    assert "sam@mersey-robotics.test" in page and "Invited: the link works until" in page
    again = member.post(
        reverse("employer:colleague_invite"),
        {"first_name": "Sam", "last_name": "Again", "email": "sam@mersey-robotics.test"},
    )
    assert again.status_code == 200 and "already exists" in again.content.decode()
    sam = EmployerMember.objects.get(user__email="sam@mersey-robotics.test")
    assert member.post(reverse("employer:colleague_remove", args=[sam.pk])).status_code == 302
    assert not EmployerMember.objects.filter(pk=sam.pk).exists()
    # Removing oneself is refused with a message, and changes nothing.
    member.post(reverse("employer:colleague_remove", args=[w.contact.pk]))
    assert EmployerMember.objects.filter(pk=w.contact.pk).exists()
    assert "cannot remove yourself" in member.get(reverse("employer:colleagues")).content.decode()
