"""Live placements do not move: a change goes through an adviser, and the pupil answers again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from employers import services as employer_services
from mobility.errors import Conflict
from placements.lifecycle import changes
from placements.lifecycle import services as lifecycle
from placements.lifecycle.models import ChangeRequest
from placements.lifecycle.tasks import notify_placement_change
from placements.models import MatchStatus
from tests import factories as f

from .conftest import ApiAs, WebAs, World

pytestmark = pytest.mark.django_db
S = MatchStatus
LATER = f.WINDOW_START + dt.timedelta(days=7)


@pytest.mark.parametrize("status", [S.OFFERED, S.EMPLOYER_CONFIRMED, S.ACCEPTED, S.CONFIRMED])
def test_a_live_placement_cannot_be_moved_directly(world: World, status: str) -> None:
    consent = "given" if status == S.CONFIRMED else "requested"  # given: acceptance confirms at once
    world.match(pupil=world.pupil(parental_consent=consent), to=status)
    with pytest.raises(Conflict, match="Ask the careers adviser"):
        employer_services.opportunity_update(opportunity=world.opportunity, data={"starts_on": LATER})
    # Other details can still change.
    employer_services.opportunity_update(opportunity=world.opportunity, data={"title": "Renamed"})


def test_before_any_offer_the_employer_may_move_it(world: World) -> None:
    world.match(to=S.APPROVED)
    moved = employer_services.opportunity_update(
        opportunity=world.opportunity, data={"starts_on": LATER, "ends_on": LATER + dt.timedelta(days=2)}
    )
    assert moved.starts_on == LATER


def test_the_api_and_the_web_form_refuse_with_409_and_a_message(
    world: World, api_as: ApiAs, web_as: WebAs
) -> None:
    world.match(to=S.CONFIRMED)
    answer = api_as(world.member).patch(
        f"/api/v1/opportunities/{world.opportunity.pk}/",
        {"starts_on": LATER.isoformat(), "ends_on": (LATER + dt.timedelta(days=2)).isoformat()},
        format="json",
    )
    assert answer.status_code == 409 and "Ask the careers adviser" in answer.json()["detail"]
    o = world.opportunity
    later = {"starts_on": LATER.isoformat(), "ends_on": (LATER + dt.timedelta(days=2)).isoformat()}
    form = f.opportunity_form(o, daily_hours="7", **later)
    page = web_as(world.member).post(f"/employer/opportunities/{o.pk}/", form)
    assert page.status_code == 200 and "Ask the careers adviser" in page.content.decode()
    o.refresh_from_db()
    assert o.starts_on == f.WINDOW_START


def test_an_approved_change_is_applied_and_the_pupil_answers_again(world: World) -> None:
    match = world.match(to=S.CONFIRMED)
    request = changes.change_request_create(
        opportunity=world.opportunity,
        actor=world.member,
        data={"starts_on": LATER, "ends_on": LATER + dt.timedelta(days=2)},
        reason="Office move",
    )
    assert request.proposed == {
        "starts_on": LATER.isoformat(),
        "ends_on": (LATER + dt.timedelta(days=2)).isoformat(),
    }
    changes.change_request_approve(request_id=request.pk, actor=world.adviser.user)
    match.refresh_from_db()
    world.opportunity.refresh_from_db()
    assert world.opportunity.starts_on == LATER
    assert match.status == S.EMPLOYER_CONFIRMED
    row = match.status_changes.latest("pk")
    assert (row.from_status, row.to_status, row.reason) == (
        S.CONFIRMED,
        S.EMPLOYER_CONFIRMED,
        "placement_changed",
    )
    # The pupil and the school are told, once.
    assert notify_placement_change(request.pk) == 2
    assert notify_placement_change(request.pk) == 0
    assert {m.to[0] for m in mail.outbox} == {match.pupil.user.email, world.staff.user.email}
    # The pupil confirms again (consent on file), or could decline and free the seat.
    lifecycle.match_accept(match_id=match.pk, actor=match.pupil.user)
    match.refresh_from_db()
    assert match.status == S.CONFIRMED


def test_declining_a_changed_placement_frees_the_seat(world: World) -> None:
    match = world.match(pupil=world.pupil(parental_consent="requested"), to=S.ACCEPTED)
    request = changes.change_request_create(
        opportunity=world.opportunity, actor=world.member, data={"daily_hours": 6}, reason="Shorter days"
    )
    changes.change_request_approve(request_id=request.pk, actor=world.adviser.user)
    lifecycle.match_pupil_decline(match_id=match.pk, actor=match.pupil.user)
    world.opportunity.refresh_from_db()
    assert world.opportunity.seats_taken == 0


def test_a_refused_change_changes_nothing(world: World) -> None:
    match = world.match(to=S.CONFIRMED)
    request = changes.change_request_create(
        opportunity=world.opportunity, actor=world.member, data={"minimum_age": 16}, reason="Insurance"
    )
    changes.change_request_refuse(request_id=request.pk, actor=world.adviser.user, note="Pupil is 15")
    match.refresh_from_db()
    world.opportunity.refresh_from_db()
    assert (match.status, world.opportunity.minimum_age) == (S.CONFIRMED, 14)
    assert ChangeRequest.objects.get(pk=request.pk).status == ChangeRequest.Status.REFUSED


def test_change_requests_through_the_api(world: World, api_as: ApiAs) -> None:
    match = world.match(to=S.CONFIRMED)
    asked = api_as(world.member).post(
        "/api/v1/change-requests/",
        {"opportunity": world.opportunity.pk, "daily_hours": "6.0", "reason": "Shorter days"},
        format="json",
    )
    assert asked.status_code == 201, asked.content
    url = f"/api/v1/change-requests/{asked.json()['id']}/"
    assert api_as(world.member).post(url + "approve/").status_code == 403
    approved = api_as(world.adviser.user).post(url + "approve/", {"note": "Fine"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert api_as(world.adviser.user).post(url + "approve/").status_code == 409
    match.refresh_from_db()
    assert match.status == S.EMPLOYER_CONFIRMED


def test_change_requests_through_the_pages(world: World, web_as: WebAs) -> None:
    match = world.match(to=S.CONFIRMED)
    o = world.opportunity
    employer = web_as(world.member)
    sent = employer.post(
        f"/changes/opportunity/{o.pk}/",
        {
            "site": o.site_id,
            "starts_on": o.starts_on.isoformat(),
            "ends_on": o.ends_on.isoformat(),
            "daily_hours": "6",
            "minimum_age": o.minimum_age,
            "reason": "Shorter days",
        },
    )
    assert sent.status_code == 302, sent.content.decode()[:3000]
    request = ChangeRequest.objects.get()
    adviser = web_as(world.adviser.user)
    assert o.title in adviser.get("/changes/").content.decode()
    assert adviser.post(f"/changes/{request.pk}/", {"decision": "approve"}).status_code == 302
    match.refresh_from_db()
    assert match.status == S.EMPLOYER_CONFIRMED
