"""Conflicts answer 409, bad input 400 with field messages, protected fields stay put,
and lists filter and paginate."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError
from knox.models import AuthToken

from employers.models import ComplianceRecord, Opportunity
from mobility.api.exceptions import exception_handler
from placements.lifecycle.exceptions import CapacityConflict
from placements.models import Match, MatchStatus
from schools.models import Pupil
from tests import factories as f

from .conftest import ApiWorld, results


def proposal(world: ApiWorld, opportunity: Opportunity) -> Match:
    pupil = f.PupilFactory.create(school=world.own.school)
    return f.MatchFactory.create(run=world.own.run, pupil=pupil, opportunity=opportunity)


def test_two_advisers_one_last_seat_one_conflict(api_world: ApiWorld) -> None:
    opportunity = f.OpportunityFactory.create(
        employer=api_world.own.employer, site=api_world.own.site, capacity=1
    )
    first, second = proposal(api_world, opportunity), proposal(api_world, opportunity)
    client = api_world.client("adviser")
    assert client.post(f"/api/v1/matches/{first.pk}/approve/").status_code == 200
    response = client.post(f"/api/v1/matches/{second.pk}/approve/")
    assert response.status_code == 409
    assert response.json()["code"] == CapacityConflict.code
    assert "no places left" in response.json()["detail"]


def test_compliance_block_tells_the_adviser_why(api_world: ApiWorld) -> None:
    ComplianceRecord.objects.filter(employer=api_world.own.employer).update(
        insurance_expires_on=f.WINDOW_START
    )
    match = proposal(api_world, api_world.own.opportunity)
    response = api_world.client("adviser").post(f"/api/v1/matches/{match.pk}/approve/")
    assert response.status_code == 409
    assert response.json()["code"] == "compliance_blocked"
    assert "insurance expires" in response.json()["detail"]


def test_wrong_status_is_a_409_and_changes_nothing(api_world: ApiWorld) -> None:
    url = f"/api/v1/matches/{api_world.own.match.pk}/approve/"  # the match is already offered
    response = api_world.client("adviser").post(url)
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"
    assert Match.objects.get(pk=api_world.own.match.pk).status == MatchStatus.OFFERED


def test_bad_input_gets_field_messages(api_world: ApiWorld) -> None:
    adviser, employer = api_world.client("adviser"), api_world.client("employer")
    match = proposal(api_world, api_world.own.opportunity)
    reject = adviser.post(f"/api/v1/matches/{match.pk}/reject/", {"reason": "whim"}, format="json")
    assert reject.status_code == 400 and set(reject.json()) == {"reason", "note"}
    site = employer.post(
        "/api/v1/sites/", {"name": "X", "address": "Y", "postcode": "ZZ99 9ZZ"}, format="json"
    )
    assert site.status_code == 400 and "postcode" in site.json()
    backwards = employer.patch(
        f"/api/v1/opportunities/{api_world.own.draft.pk}/",
        {"starts_on": "2031-06-06", "ends_on": "2031-06-02"},
        format="json",
    )
    assert backwards.status_code == 400 and "ends_on" in backwards.json()
    too_small = employer.patch(
        f"/api/v1/opportunities/{api_world.own.opportunity.pk}/", {"capacity": 0}, format="json"
    )
    assert too_small.status_code == 400 and "capacity" in too_small.json()
    young = f.PupilFactory.create(
        school=api_world.own.school, date_of_birth=f.WINDOW_START - dt.timedelta(days=13 * 365)
    )
    client = api_world.client("anonymous")
    client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=young.user)[1]}")
    spare = api_world.spare_opportunity
    assert spare is not None
    apply = client.post("/api/v1/applications/", {"opportunity": spare.pk}, format="json")
    assert apply.status_code == 400
    assert "at least 14" in apply.json()["opportunity"][0]


def test_capacity_cannot_drop_below_places_taken(api_world: ApiWorld) -> None:
    url = f"/api/v1/opportunities/{api_world.own.opportunity.pk}/"
    response = api_world.client("employer").patch(url, {"capacity": 1}, format="json")
    assert response.status_code == 200  # one seat is taken: 1 is fine
    Opportunity.objects.filter(pk=api_world.own.opportunity.pk).update(capacity=3, seats_taken=2)
    response = api_world.client("employer").patch(url, {"capacity": 1}, format="json")
    assert response.status_code == 400 and "2 places are taken" in response.json()["capacity"][0]


def test_protected_fields_cannot_be_set(api_world: ApiWorld) -> None:
    own = api_world.own
    opp_url = f"/api/v1/opportunities/{own.draft.pk}/"
    api_world.client("employer").patch(
        opp_url,
        {"status": "published", "seats_taken": 9, "employer": api_world.other.employer.pk},
        format="json",
    )
    draft = Opportunity.objects.get(pk=own.draft.pk)
    assert (draft.status, draft.seats_taken, draft.employer_id) == ("draft", 0, own.employer.pk)
    api_world.client("pupil").patch(
        f"/api/v1/pupils/{own.pupil.pk}/",
        {
            "school": api_world.other.school.pk,
            "parental_consent": "refused",
            "care_experienced": False,
            "year_group": 12,
            "date_of_birth": "2000-01-01",
        },
        format="json",
    )
    pupil = Pupil.objects.get(pk=own.pupil.pk)
    assert (pupil.school_id, pupil.parental_consent, pupil.care_experienced, pupil.year_group) == (
        own.school.pk,
        "given",
        True,
        10,
    )
    assert pupil.date_of_birth == own.pupil.date_of_birth
    response = api_world.client("adviser").post(
        "/api/v1/runs/", {"region": "lcr", "status": "succeeded", "progress": 1}, format="json"
    )
    assert response.status_code == 201 and response.json()["status"] == "queued"


def test_integrity_errors_answer_409_not_500() -> None:
    response = exception_handler(IntegrityError("duplicate key"), {})
    assert response is not None and response.status_code == 409
    assert "duplicate key" not in response.data["detail"]


def test_opportunity_filters(api_world: ApiWorld) -> None:
    own = api_world.own
    far_site = f.SiteFactory.create(
        employer=own.employer, easting=own.site.easting + 40000, step_free_access=False
    )
    far = f.OpportunityFactory.create(employer=own.employer, site=far_site)
    later = f.OpportunityFactory.create(
        employer=own.employer,
        site=own.site,
        starts_on=f.WINDOW_START + dt.timedelta(days=70),
        ends_on=f.WINDOW_START + dt.timedelta(days=72),
        sector=f.SectorFactory.create(slug="health"),
    )
    client = api_world.client("pupil")

    def ids(**params: str | int) -> set[int]:
        response = client.get("/api/v1/opportunities/", params)
        assert response.status_code == 200, response.content
        return {o["id"] for o in results(response)}

    everything = ids()
    assert {far.pk, later.pk, own.opportunity.pk} <= everything
    assert far.pk not in ids(max_travel_minutes=30) and own.opportunity.pk in ids(max_travel_minutes=30)
    assert ids(sector="health") == {later.pk}
    assert later.pk not in ids(starts_on_before=str(f.WINDOW_START + dt.timedelta(days=10)))
    assert ids(starts_on_after=str(f.WINDOW_START + dt.timedelta(days=60))) == {later.pk}
    assert far.pk not in ids(step_free="true") and far.pk in ids(step_free="false")
    by_id = {o["id"]: o for o in results(client.get("/api/v1/opportunities/"))}
    assert by_id[far.pk]["travel_minutes"] > by_id[own.opportunity.pk]["travel_minutes"]
    assert client.get("/api/v1/opportunities/", {"starts_on_after": "not-a-date"}).status_code == 400
    # Other roles have no home: the travel filter does not apply and no travel time is shown.
    staff_view = results(
        api_world.client("school_staff").get("/api/v1/opportunities/", {"max_travel_minutes": 30})
    )
    assert far.pk in {o["id"] for o in staff_view} and all(o["travel_minutes"] is None for o in staff_view)


def test_match_filters_and_pagination(api_world: ApiWorld) -> None:
    client = api_world.client("admin")
    own, other = api_world.own, api_world.other
    assert {m["id"] for m in results(client.get("/api/v1/matches/", {"school": own.school.pk}))} == {
        own.match.pk
    }
    assert {m["id"] for m in results(client.get("/api/v1/matches/", {"run": other.run.pk}))} == {
        other.match.pk
    }
    assert results(client.get("/api/v1/matches/", {"status": "proposed"})) == []
    assert len(results(client.get("/api/v1/matches/", {"status": ["offered", "proposed"]}))) == 2
    page = client.get("/api/v1/matches/", {"page_size": 1}).json()
    assert page["count"] == 2 and len(page["results"]) == 1 and page["next"]
    assert client.get("/api/v1/matches/", {"page": 99}).status_code == 404


def test_reorder_and_withdraw_through_the_api(api_world: ApiWorld) -> None:
    client = api_world.client("pupil")
    spare = api_world.spare_opportunity
    assert spare is not None
    second = client.post("/api/v1/applications/", {"opportunity": spare.pk}, format="json")
    assert second.status_code == 201 and second.json()["rank"] == 2
    first_id = api_world.own.application.pk
    ranked = client.post(
        "/api/v1/applications/reorder/", {"application_ids": [second.json()["id"], first_id]}, format="json"
    )
    assert [(a["id"], a["rank"]) for a in ranked.json()] == [(second.json()["id"], 1), (first_id, 2)]
    withdrawn = client.post(f"/api/v1/applications/{second.json()['id']}/withdraw/").json()
    assert withdrawn["status"] == "withdrawn"
    assert client.get(f"/api/v1/applications/{first_id}/").json()["rank"] == 1
    again = client.post(f"/api/v1/applications/{second.json()['id']}/withdraw/")
    assert again.status_code == 409


def test_token_needs_the_right_password(api_world: ApiWorld) -> None:
    client = api_world.client("anonymous")
    email = api_world.users["pupil"].email
    assert (
        client.post("/api/v1/auth/token/", {"email": email, "password": "wrong"}, format="json").status_code
        == 401
    )
    assert (
        client.post(
            "/api/v1/auth/token/", {"email": email, "password": f.PASSWORD}, format="json"
        ).status_code
        == 200
    )
    assert client.get("/api/v1/me/").status_code == 401


def test_schema_and_offline_docs(api_world: ApiWorld) -> None:
    client = api_world.client("anonymous")
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/matches/{id}/employer-confirm/" in paths
    assert "409" in paths["/api/v1/matches/{id}/approve/"]["post"]["responses"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "drf_spectacular_sidecar" in html and "cdn" not in html.lower()
