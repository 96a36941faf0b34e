"""Every page denies by default: login required, role checked, other people's objects are 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from employers.models import ComplianceRecord, Employer, EmployerMember, Opportunity
from mobility.accounts.models import Role, User
from mobility.geography.models import Region
from placements.models import MatchRun, MatchStatus
from schools.models import School
from tests.twofactor import password_login
from tests.web.world import AT_HOME, PASSWORD, WebWorld, build_world, user

pytestmark = pytest.mark.django_db

PAGES = {
    Role.PUPIL: ["pupil:home", "pupil:search", "pupil:choices", "pupil:found"],
    Role.EMPLOYER: [
        "employer:home",
        "employer:organisation",
        "employer:sites",
        "employer:compliance",
        "employer:opportunities",
        "employer:opportunity_new",
        "employer:pupils",
        "employer:colleagues",
        "employer:colleague_invite",
    ],
    Role.SCHOOL_STAFF: [
        "school:home",
        "school:pupils",
        "school:import",
        "school:windows",
        "school:benchmark",
        "school:found_awaiting",
        "school:accounts",
        "school:invite_colleague",
    ],
    Role.ADVISER: [
        "adviser:home",
        "adviser:run_new",
        "adviser:compare",
        "adviser:unmet",
        "adviser:employers",
    ],
}
LOGINS = {
    Role.PUPIL: "pupil@school.test",
    Role.EMPLOYER: "member@employer.test",
    Role.SCHOOL_STAFF: "staff@school.test",
    Role.ADVISER: "adviser@careers.test",
}


@pytest.fixture
def world(db: None) -> WebWorld:
    return build_world()


def client_for(role: Role) -> Client:
    client = Client()
    assert password_login(client, User.objects.get(email=LOGINS[role]), PASSWORD)
    return client


def test_anonymous_visitors_are_sent_to_sign_in(world: WebWorld) -> None:
    for names in PAGES.values():
        for name in names:
            response = Client().get(reverse(name))
            assert response.status_code == 302, name
            assert response["Location"].startswith("/accounts/login/?next="), name


def test_each_role_reaches_its_own_pages_and_no_other(world: WebWorld) -> None:
    for role, email in LOGINS.items():
        client = client_for(role)
        assert client.get("/")["Location"] == reverse(PAGES[role][0]), email
        for page_role, names in PAGES.items():
            for name in names:
                status = client.get(reverse(name)).status_code
                assert status == (200 if page_role == role else 403), (email, name, status)


def test_admin_may_use_the_adviser_pages(world: WebWorld) -> None:
    user("admin@mobility.test", Role.ADMIN, "Avery")
    client = Client()
    assert password_login(client, User.objects.get(email="admin@mobility.test"), PASSWORD)
    assert client.get(reverse("adviser:home")).status_code == 200
    assert client.get(reverse("pupil:home")).status_code == 403


def test_sign_in_rejects_a_wrong_password_and_unsafe_next(world: WebWorld) -> None:
    client = Client()
    response = client.post("/accounts/login/", {"email": "pupil@school.test", "password": "nope"})
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.text
    assert "Error: Sign in" in response.text
    response = client.post(
        "/accounts/login/?next=https://evil.example/", {"email": "pupil@school.test", "password": PASSWORD}
    )
    assert response["Location"] == reverse("pupil:home")


def test_objects_out_of_scope_are_not_found(world: WebWorld) -> None:
    draft = world.add_opportunity("Secret draft", status=Opportunity.Status.DRAFT)
    other_employer = Employer.objects.create(name="Other Ltd", sector=world.sectors["retail"])
    EmployerMember.objects.create(
        user=user("other@employer.test", Role.EMPLOYER, "Olly"), employer=other_employer
    )
    ComplianceRecord.objects.create(
        employer=other_employer,
        insurance_expires_on=world.window_end + dt.timedelta(days=100),
        risk_assessment_on=world.window_start,
        verified_at=timezone.now(),
        verification_note="Certificate seen.",
        supervisor_name="Sol Supervisor",
    )
    theirs = world.add_opportunity("Their placement", employer=other_employer)
    match = world.match(world.add_pupil("Jordan"), theirs, to=MatchStatus.OFFERED)
    other_school = School.objects.create(
        urn="100002",
        name="Elsewhere High",
        phase="secondary",
        local_authority=world.liverpool,
        **AT_HOME,
    )
    stranger = world.add_pupil("Stranger")
    stranger.school = other_school
    stranger.save()
    elsewhere = Region.objects.create(code="gm", name="Greater Manchester")
    far_run = MatchRun.objects.create(region=elsewhere, seed=1)

    assert client_for(Role.PUPIL).get(reverse("pupil:opportunity", args=[draft.pk])).status_code == 404
    assert client_for(Role.PUPIL).post(reverse("pupil:accept", args=[match.pk])).status_code == 404
    employer = client_for(Role.EMPLOYER)
    assert employer.get(reverse("employer:opportunity_edit", args=[theirs.pk])).status_code == 404
    assert employer.get(reverse("employer:match", args=[match.pk])).status_code == 404
    assert employer.post(reverse("employer:match_confirm", args=[match.pk])).status_code == 404
    assert client_for(Role.SCHOOL_STAFF).get(reverse("school:consent", args=[stranger.pk])).status_code == 404
    assert client_for(Role.ADVISER).get(reverse("adviser:run", args=[far_run.pk])).status_code == 404
    match.refresh_from_db()
    assert match.status == MatchStatus.OFFERED


def test_employer_never_sees_date_of_birth_postcode_or_flags(world: WebWorld) -> None:
    opportunity = world.add_opportunity("Games studio week")
    match = world.match(world.pupil, opportunity, to=MatchStatus.OFFERED)
    client = client_for(Role.EMPLOYER)
    for url in (
        reverse("employer:pupils"),
        reverse("employer:match", args=[match.pk]),
        reverse("employer:home"),
    ):
        text = client.get(url).text
        assert "Riley" in text
        # Offered, not yet accepted: access needs stay with the school.
        assert "Needs a quiet space at lunch." not in text
        for secret in (
            "Jones",
            "L1 8JQ",
            world.pupil.date_of_birth.isoformat(),
            f"{world.pupil.date_of_birth:%-d %B %Y}",
            "free school meals",
            "pupil premium",
        ):
            assert secret not in text, (url, secret)


def test_state_changes_need_a_post(world: WebWorld) -> None:
    opportunity = world.add_opportunity("Games studio week")
    match = world.match(world.pupil, opportunity, to=MatchStatus.EMPLOYER_CONFIRMED)
    assert client_for(Role.PUPIL).get(reverse("pupil:accept", args=[match.pk])).status_code == 405
    assert client_for(Role.PUPIL).get(reverse("pupil:apply", args=[opportunity.pk])).status_code == 405
    match.refresh_from_db()
    assert match.status == MatchStatus.EMPLOYER_CONFIRMED
