"""Every API operation x every role x own/other object, generated from ``matrix.OPS``."""

from __future__ import annotations

import pytest

from employers.models import Employer

from .conftest import ROLES, ApiWorld, all_keys, results
from .matrix import LISTS, OPS, PUPIL_SECRETS, Op, prepare, snapshot

CASES = [(op, role, which) for op in OPS for which in op.sides for role in ROLES]


@pytest.mark.parametrize(
    ("op", "role", "which"), CASES, ids=[f"{op.name}-{role}-{which}" for op, role, which in CASES]
)
def test_operation(api_world: ApiWorld, op: Op, role: str, which: str) -> None:
    prepare(api_world, op)
    client = api_world.client(role)
    body = op.payload(api_world, which, role)
    before = snapshot()
    response = getattr(client, op.method)(op.url(api_world, which), body, format="json")
    expected = op.expected(role, which)
    assert response.status_code in expected, (response.status_code, expected, getattr(response, "data", None))
    if op.method == "get" or response.status_code >= 300:
        assert snapshot() == before, f"{op.name} as {role} answered {response.status_code} but wrote"
    else:
        assert op.done(api_world, which), f"{op.name} as {role} answered {response.status_code}, no effect"
    if response.status_code == 404:
        assert set(response.json()) <= {"detail", "code"}  # nothing about the object
    if role == "employer" and response.status_code < 300 and response.content:
        assert not all_keys(response.json()) & (PUPIL_SECRETS - {"postcode"})


LIST_CASES = [(name, role) for name, *_ in LISTS for role in ROLES]


@pytest.mark.parametrize(("name", "role"), LIST_CASES, ids=[f"{n}-{r}" for n, r in LIST_CASES])
def test_list_is_scoped(api_world: ApiWorld, name: str, role: str) -> None:
    _, url, (own_attr, other_attr), sees_own, sees_other = next(row for row in LISTS if row[0] == name)
    response = api_world.client(role).get(url)
    if role == "anonymous":
        assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
        return
    assert response.status_code == 200
    ids = {row["id"] for row in results(response)}
    assert (getattr(api_world.own, own_attr).pk in ids) == (role in sees_own)
    assert (getattr(api_world.other, other_attr).pk in ids) == (role in sees_other)


def test_employer_sees_only_the_narrow_pupil(api_world: ApiWorld) -> None:
    response = api_world.client("employer").get("/api/v1/matches/")
    (match,) = results(response)
    # Before the pupil accepts: first name, school and year group only.
    assert set(match["pupil"]) == {"first_name", "school", "year_group"}
    assert not all_keys(response.json()) & PUPIL_SECRETS
    api_world.set_status("confirmed")
    confirmed = api_world.client("employer").get(f"/api/v1/matches/{match['id']}/").json()
    assert "last_name" in confirmed["pupil"]
    assert "access_needs" not in confirmed["pupil"]  # not marked to share
    api_world.own.pupil.share_access_needs = True
    api_world.own.pupil.save()
    shared = api_world.client("employer").get(f"/api/v1/matches/{match['id']}/").json()
    assert shared["pupil"]["access_needs"] == "Needs a quiet room"
    assert not all_keys(confirmed) & PUPIL_SECRETS


def test_pupil_does_not_see_their_own_flags_or_priority(api_world: ApiWorld) -> None:
    client = api_world.client("pupil")
    me = client.get(f"/api/v1/pupils/{api_world.own.pupil.pk}/").json()
    assert "care_experienced" not in me and "date_of_birth" in me
    match = client.get(f"/api/v1/matches/{api_world.own.match.pk}/").json()
    assert "priority_tier" not in match and "score" not in match
    staff_view = api_world.client("school_staff").get(f"/api/v1/pupils/{api_world.own.pupil.pk}/").json()
    assert staff_view["care_experienced"] is True


def test_pupils_and_employers_do_not_see_matches_before_the_offer(api_world: ApiWorld) -> None:
    api_world.set_status("proposed")
    for role in ("pupil", "employer"):
        assert results(api_world.client(role).get("/api/v1/matches/")) == []
        assert api_world.client(role).get(f"/api/v1/matches/{api_world.own.match.pk}/").status_code == 404
    assert len(results(api_world.client("adviser").get("/api/v1/matches/"))) == 1


def test_advisers_queue_holds_their_regions_sign_ups_only(api_world: ApiWorld) -> None:
    own, other = api_world.own.pending.pk, api_world.other.pending.pk
    url = "/api/v1/employers/awaiting-verification/"
    assert {row["id"] for row in results(api_world.client("adviser").get(url))} == {own}
    assert {row["id"] for row in results(api_world.client("admin").get(url))} >= {own, other}
    assert api_world.client("adviser").get(url + "?q=zzzz").json()["results"] == []
    assert api_world.client("adviser").get(url + "?status=verified").status_code == 400


def test_members_read_their_own_verification_and_cannot_write_it(api_world: ApiWorld) -> None:
    employer = api_world.own.employer
    client = api_world.client("employer")
    body = client.get(f"/api/v1/employers/{employer.pk}/").json()
    assert body["verification_status"] == "verified" and body["verification_note"]
    response = client.patch(
        f"/api/v1/employers/{employer.pk}/", {"verification_status": "pending"}, format="json"
    )
    assert response.status_code == 200
    assert Employer.objects.get(pk=employer.pk).verification_status == "verified"
