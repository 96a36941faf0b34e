"""Every web page that takes an object x every role x own and other object, GET and POST.

Out-of-scope objects are 404, wrong roles 403, anonymous visitors are sent to sign in; a refused
request writes nothing, an accepted write does what the page says. Generated from ``scoping.PAGES``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from employers.models import Opportunity
from mobility.accounts.models import Role
from mobility.geography.models import RegionLead
from placements.models import Application, MatchStatus
from schools.models import ConsentStatus, Pupil
from tests import factories as f
from tests.sharing import rolled_back_at_end
from tests.twofactor import verified_login

from .scoping import PAGES, ROLES, Page, Side, World, put, snapshot, status_of

CASES = [
    (page, method, role, which)
    for page in PAGES
    for method in page.methods
    for which in ("own", "other")
    for role in ROLES
]


def build_side(region_code: str, la_code: str, site_postcode: str) -> tuple[Side, dict[str, Any]]:
    region = f.RegionFactory.create(code=region_code, name=f"Region {region_code}")
    la = f.LocalAuthorityFactory.create(code=la_code, name=f"Authority {la_code}", region=region)
    school = f.SchoolFactory.create(local_authority=la)
    f.WindowFactory.create(school=school)
    pupil = f.PupilFactory.create(school=school)
    employer = f.EmployerFactory.create()
    f.ComplianceFactory.create(employer=employer)
    site = f.SiteFactory.create(employer=employer)
    opportunity, second, spare = (f.OpportunityFactory.create(employer=employer, site=site) for _ in range(3))
    run = f.MatchRunFactory.create(region=region)
    pending = f.EmployerFactory.create(pending=True)
    f.SiteFactory.create(employer=pending, postcode=site_postcode)
    f.EmployerMemberFactory.create(employer=pending)
    service = f.YouthServiceFactory.create(local_authority=la)
    young = f.YoungPersonFactory.create(school=service)
    f.OwnWindowFactory.create(pupil=young)
    side = Side(
        pupil=pupil,
        employer_id=employer.pk,
        site=site,
        opportunity=opportunity,
        second=second,
        spare=spare,
        draft=f.OpportunityFactory.create(employer=employer, site=site, status=Opportunity.Status.DRAFT),
        first_choice=f.ApplicationFactory.create(pupil=pupil, opportunity=opportunity),
        second_choice=f.ApplicationFactory.create(pupil=pupil, opportunity=second),
        run=run,
        match=f.MatchFactory.create(run=run, pupil=pupil, opportunity=opportunity),
        found=f.ProposalFactory.create(pupil=pupil),
        pending=pending,
        colleague=f.EmployerMemberFactory.create(employer=employer),
        young=young,
        young_found=f.ProposalFactory.create(pupil=young),
    )
    users = {
        "pupil": pupil.user,
        "employer": f.EmployerMemberFactory.create(employer=employer).user,
        "school_staff": f.SchoolStaffFactory.create(school=school).user,
        "youth_worker": f.YouthWorkerFactory.create(school=service).user,
        "adviser": f.CareersAdviserFactory.create(schools=[school]).user,
        "region_lead": RegionLead.objects.create(
            user=f.UserFactory.create(role=Role.REGION_LEAD), region=region
        ).user,
    }
    return side, users


def build_world() -> World:
    own, users = build_side("lcr", "E08000012", "L1 8JQ")
    other, _ = build_side("gm", "E08000003", "M1 1AE")
    users["admin"] = f.UserFactory.create(admin=True)
    return World(own=own, other=other, users=users)


@pytest.fixture(scope="module")
def shared_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """Built once, rolled back at the end; each test runs in its own savepoint on top."""
    with rolled_back_at_end(django_db_blocker):
        yield build_world()


@pytest.fixture
def world(shared_world: World, db: None) -> World:
    return shared_world


def client_for(world: World, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        verified_login(client, world.users[role])
    return client


@pytest.mark.parametrize(
    ("page", "method", "role", "which"),
    CASES,
    ids=[f"{p.name}-{m}-{r}-{w}" for p, m, r, w in CASES],
)
def test_page(world: World, page: Page, method: str, role: str, which: str) -> None:
    if page.status:
        put(world, page.status, started=page.started)
    client = client_for(world, role)
    url = page.url(world, which)
    body = page.payload(world.side(which)) if method == "post" else {}
    before = snapshot()
    response = getattr(client, method)(url, body)
    expected = page.expected(role, which, method)
    assert response.status_code == expected, (url, response.status_code, expected)
    if role == "anonymous":
        assert response["Location"].startswith("/accounts/login/?next="), response["Location"]
    after = snapshot()
    if method == "get" or not page.allows(role, which):
        assert after == before, f"{url} as {role} answered {expected} but wrote: {_diff(before, after)}"
    else:
        assert page.effect is not None
        assert page.effect(world.side(which)), f"{url} as {role} did not take effect"
        # The other side is never touched by a write on this one.
        assert page.effect(world.side("other" if which == "own" else "own")) is False


def _diff(before: dict[str, set[Any]], after: dict[str, set[Any]]) -> dict[str, Any]:
    return {
        k: {"gone": before[k] - after[k], "new": after[k] - before[k]}
        for k in before
        if before[k] != after[k]
    }


def test_bulk_ignores_matches_of_other_runs(world: World) -> None:
    """The run in the URL is in scope, but the posted ids belong to another region's run."""
    put(world, MatchStatus.PROPOSED)
    client = client_for(world, "adviser")
    before = snapshot()
    response = client.post(
        f"/adviser/runs/{world.own.run.pk}/bulk/", {"action": "approve", "match": [world.other.match.pk]}
    )
    assert response.status_code == 302
    assert snapshot() == before
    assert status_of(world.other.match) == MatchStatus.PROPOSED


def test_pupil_cannot_reorder_with_another_pupils_application(world: World) -> None:
    """Moving one's own choice never touches the ranks of another pupil's choices."""
    client = client_for(world, "pupil")
    others = list(Application.objects.filter(pupil=world.other.pupil).values_list("pk", "rank"))
    assert client.post(f"/pupil/choices/{world.own.second_choice.pk}/up/").status_code == 302
    assert list(Application.objects.filter(pupil=world.other.pupil).values_list("pk", "rank")) == others


def _upload(client: Client, text: str) -> str:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/school/pupils/import/", {"file": SimpleUploadedFile("pupils.csv", text.encode(), "text/csv")}
    )
    assert response.status_code == 200, response.status_code
    return str(response.context["token"])


CSV = (
    "first_name,last_name,email,year_group,date_of_birth,postcode\n"
    "Casey,Import,casey.import@school.test,10,2016-03-01,L6 1AL\n"
)


@pytest.mark.parametrize("role", ROLES)
def test_import_confirm_is_for_school_staff_only(world: World, role: str) -> None:
    client = client_for(world, role)
    count = Pupil.objects.count()
    response = client.post("/school/pupils/import/confirm/", {"token": "0" * 16})
    expected = {"anonymous": 302, "school_staff": 302}.get(role, 403)
    assert response.status_code == expected
    if role == "school_staff":  # nothing was uploaded: back to the upload page
        assert response["Location"] == "/school/pupils/import/"
    assert Pupil.objects.count() == count


def test_import_confirm_uses_only_the_signed_in_staff_members_file(world: World) -> None:
    """Another school's staff member who learns the token cannot import into either school."""
    own_staff = client_for(world, "school_staff")
    token = _upload(own_staff, CSV)
    stranger = Client()
    verified_login(stranger, f.SchoolStaffFactory.create(school=world.other.pupil.school).user)
    count = Pupil.objects.count()
    response = stranger.post("/school/pupils/import/confirm/", {"token": token})
    assert response.status_code == 302 and response["Location"] == "/school/pupils/import/"
    assert Pupil.objects.count() == count
    response = own_staff.post("/school/pupils/import/confirm/", {"token": token})
    assert response.status_code == 302 and response["Location"] == "/school/accounts/"
    imported = Pupil.objects.get(user__email="casey.import@school.test")
    assert imported.school_id == world.own.pupil.school_id
    assert imported.parental_consent == ConsentStatus.NOT_REQUESTED
