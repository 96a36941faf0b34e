"""The whole journey through the API alone: a pupil, an employer, an adviser (and the
school's careers leader recording consent). The match run is executed by calling its
Celery task in-process, as a worker would."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from employers.models import Site
from mobility.accounts.models import Role, User
from mobility.geography.travel import journey_minutes
from placements import tasks as matching_tasks
from placements.lifecycle.notifications import notification_send_for_change
from placements.models import MatchStatusChange
from tests import factories as f
from tests.twofactor import token_request

from .conftest import results


def signed_in(email: str) -> APIClient:
    client = APIClient()
    body = token_request(User.objects.get(email=email), f.PASSWORD)
    response = client.post("/api/v1/auth/token/", body, format="json")
    assert response.status_code == 200, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


@pytest.mark.django_db
def test_apply_run_approve_offer_confirm_accept_consent_feedback_complete(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    school = f.SchoolFactory.create()
    f.WindowFactory.create(school=school)
    pupil = f.PupilFactory.create(
        school=school, postcode="L1 8JQ", parental_consent="requested"
    )  # 1 km from L2 2DH
    staff = f.SchoolStaffFactory.create(school=school)
    adviser = f.CareersAdviserFactory.create(schools=[school])
    member = f.EmployerMemberFactory.create()
    f.SectorFactory.create(slug="digital")

    as_pupil, as_employer = signed_in(pupil.user.email), signed_in(member.user.email)
    as_adviser, as_staff = signed_in(adviser.user.email), signed_in(staff.user.email)

    # The employer records compliance, adds a site and publishes an opportunity.
    me = as_employer.get("/api/v1/me/").json()
    assert (me["role"], me["employer_id"]) == (Role.EMPLOYER, member.employer_id)
    compliance = {
        "insurer": "Mutual",
        "insurance_expires_on": str(f.WINDOW_END + dt.timedelta(days=90)),
        "risk_assessment_on": str(f.TODAY - dt.timedelta(days=10)),
        "supervisor_name": "Sam Supervisor",
    }
    recorded = as_employer.post("/api/v1/compliance/", compliance, format="json")
    assert recorded.status_code == 201
    # An adviser sees the evidence and verifies it; only then does it count for approval.
    verify_url = f"/api/v1/compliance/{recorded.json()['id']}/verify/"
    assert as_adviser.post(verify_url, {"note": "Certificate seen"}, format="json").status_code == 200
    site = as_employer.post(
        "/api/v1/sites/",
        {"name": "Office", "address": "Dale Street", "postcode": "L2 2DH", "step_free_access": True},
        format="json",
    )
    assert site.status_code == 201, site.content
    opportunity = as_employer.post(
        "/api/v1/opportunities/",
        {
            "site": site.json()["id"],
            "title": "Software week",
            "description": "Build a small app.",
            "sector": "digital",
            "capacity": 1,
            "starts_on": str(f.WINDOW_START),
            "ends_on": str(f.WINDOW_END),
        },
        format="json",
    )
    assert opportunity.status_code == 201, opportunity.content
    opportunity_id = opportunity.json()["id"]
    assert opportunity.json()["status"] == "draft"
    assert (
        as_employer.post(f"/api/v1/opportunities/{opportunity_id}/publish/").json()["status"] == "published"
    )

    # The pupil browses near home and applies.
    browse = results(
        as_pupil.get("/api/v1/opportunities/", {"max_travel_minutes": "30", "sector": "digital"})
    )
    assert [o["id"] for o in browse] == [opportunity_id]
    placed = Site.objects.get(pk=site.json()["id"])
    pupil.refresh_from_db()
    home, work = (pupil.easting, pupil.northing), (placed.easting, placed.northing)
    assert browse[0]["travel_minutes"] == journey_minutes(home=home, destinations=[work])[0] <= 30
    applied = as_pupil.post("/api/v1/applications/", {"opportunity": opportunity_id}, format="json")
    assert applied.status_code == 201, applied.content
    assert applied.json()["rank"] == 1

    # The adviser starts a run; a worker executes it.
    run = as_adviser.post(
        "/api/v1/runs/", {"region": school.local_authority.region.code, "seed": 11}, format="json"
    )
    assert run.status_code == 201, run.content
    matching_tasks.match_run_execute(run.json()["id"])
    assert as_adviser.get(f"/api/v1/runs/{run.json()['id']}/").json()["status"] == "succeeded"
    (proposed,) = results(as_adviser.get("/api/v1/matches/", {"run": run.json()["id"], "status": "proposed"}))
    match_url = f"/api/v1/matches/{proposed['id']}/"
    assert "approve" in proposed["allowed_actions"]

    # Adviser approves and offers; the employer confirms; the pupil accepts.
    assert (
        as_adviser.post(match_url + "approve/", {"note": "Good fit"}, format="json").json()["status"]
        == "approved"
    )
    offered = as_adviser.post(match_url + "offer/").json()
    assert offered["status"] == "offered" and offered["offer_lapses_at"]
    employer_view = as_employer.get(match_url).json()
    assert set(employer_view["pupil"]) == {"first_name", "school", "year_group"}
    assert as_employer.post(match_url + "employer-confirm/").json()["status"] == "employer_confirmed"
    assert as_pupil.post(match_url + "accept/").json()["status"] == "accepted"

    # The careers leader records parental consent, which confirms the placement.
    consent = as_staff.post(f"/api/v1/pupils/{pupil.pk}/consent/", {"status": "given"}, format="json").json()
    assert consent["changed_match_ids"] == [proposed["id"]]
    assert as_pupil.get(match_url).json()["status"] == "confirmed"

    # The week happens; both sides give feedback, which completes it.
    first_day = dt.datetime.combine(f.WINDOW_START, dt.time(17), tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: first_day)
    # Weeks later: the tokens from before have expired (API_TOKEN_HOURS), so sign in again.
    assert as_pupil.get(match_url).status_code == 401
    as_pupil, as_employer = signed_in(pupil.user.email), signed_in(member.user.email)
    as_adviser = signed_in(adviser.user.email)
    assert (
        as_pupil.post(
            match_url + "feedback/", {"rating": 5, "comment": "Loved it"}, format="json"
        ).status_code
        == 200
    )
    done = as_employer.post(match_url + "feedback/", {"rating": 4, "days_attended": 5}, format="json").json()
    assert done["status"] == "completed"
    assert done["feedback_given"] == ["employer", "pupil"]

    history = as_adviser.get(match_url + "history/").json()
    assert [h["to_status"] for h in history] == [
        "approved",
        "offered",
        "employer_confirmed",
        "accepted",
        "confirmed",
        "completed",
    ]
    # Every step's notification can be sent; the pupil heard of the offer and the confirmation.
    for change in MatchStatusChange.objects.filter(match_id=proposed["id"]):
        notification_send_for_change(change_id=change.pk)
    pupil_subjects = [m.subject for m in mail.outbox if m.to == [pupil.user.email]]
    assert any("offered" in s for s in pupil_subjects) and any("confirmed" in s for s in pupil_subjects)
