"""One live run per region at a time; what-if runs are comparisons nothing acts on."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from placements.lifecycle import services as lifecycle
from placements.lifecycle.exceptions import RunInProgress, TransitionNotAllowed
from placements.lifecycle.refill import opportunity_refill
from placements.matching.services import match_run_create
from placements.models import Match, MatchRun, MatchStatus
from tests import factories as f

from .conftest import ApiAs, WebAs, World

pytestmark = pytest.mark.django_db
S = MatchStatus


def test_a_second_live_run_for_a_region_is_refused(world: World) -> None:
    region = world.run.region
    first = match_run_create(region=region, seed=1)
    with pytest.raises(RunInProgress, match="already under way"):
        match_run_create(region=region, seed=2)
    # A what-if run may run alongside, and is marked as one.
    what_if = match_run_create(region=region, policy=MatchRun.Policy.MAX_COVERAGE, seed=3)
    assert what_if.what_if and not first.what_if
    MatchRun.objects.filter(pk=first.pk).update(status=MatchRun.Status.SUCCEEDED)
    assert match_run_create(region=region, seed=4).status == MatchRun.Status.QUEUED


def test_the_database_refuses_a_second_live_run_whatever_the_code_checks(world: World) -> None:
    region = world.run.region
    MatchRun.objects.create(region=region, seed=1, status=MatchRun.Status.RUNNING)
    with pytest.raises(IntegrityError), transaction.atomic():
        MatchRun.objects.create(region=region, seed=2, status=MatchRun.Status.QUEUED)


def test_the_api_answers_409_and_the_page_says_why(world: World, api_as: ApiAs, web_as: WebAs) -> None:
    region = world.run.region
    adviser = world.adviser.user
    first = api_as(adviser).post("/api/v1/runs/", {"region": region.code, "seed": 1}, format="json")
    assert first.status_code == 201, first.content
    second = api_as(adviser).post("/api/v1/runs/", {"region": region.code, "seed": 2}, format="json")
    assert second.status_code == 409 and second.json()["code"] == "run_in_progress", second.content
    page = web_as(adviser).post("/adviser/runs/new/", {"region": region.pk, "policy": "stable", "seed": 3})
    assert page.status_code == 200 and "already under way" in page.content.decode()
    assert MatchRun.objects.filter(region=region, what_if=False, status="queued").count() == 1
    what_if = api_as(adviser).post(
        "/api/v1/runs/", {"region": region.code, "seed": 4, "what_if": True}, format="json"
    )
    assert what_if.status_code == 201 and what_if.json()["what_if"] is True


def test_what_if_proposals_cannot_be_approved_or_offered(world: World, api_as: ApiAs) -> None:
    what_if = f.MatchRunFactory.create(region=world.run.region, what_if=True, policy="max-coverage")
    match = world.match(run=what_if)
    with pytest.raises(TransitionNotAllowed, match="what-if"):
        lifecycle.match_approve(match_id=match.pk, actor=world.adviser.user)
    answer = api_as(world.adviser.user).post(f"/api/v1/matches/{match.pk}/approve/")
    assert answer.status_code == 409 and "what-if" in answer.json()["detail"]
    assert Match.objects.get(pk=match.pk).status == S.PROPOSED


def test_refill_ignores_what_if_and_stale_proposals(world: World) -> None:
    """A freed seat is re-offered even while what-if runs and older runs still hold proposals."""
    applicant = world.pupil()
    f.ApplicationFactory.create(pupil=applicant, opportunity=world.opportunity)
    holder = world.match(to=S.OFFERED)
    world.match(to=S.OFFERED)  # capacity 2: both seats held
    older = world.run
    current = f.MatchRunFactory.create(region=older.region)
    what_if = f.MatchRunFactory.create(region=older.region, what_if=True, policy="max-coverage")
    # The applicant and two others sit in proposals nobody acts on.
    f.MatchFactory.create(run=what_if, pupil=applicant, opportunity=world.opportunity)
    f.MatchFactory.create(run=what_if, pupil=world.pupil(), opportunity=world.opportunity)
    f.MatchFactory.create(run=older, pupil=world.pupil(), opportunity=world.opportunity)
    lifecycle.match_cancel(match_id=holder.pk, actor=world.adviser.user, reason="other", note="test")
    made = opportunity_refill(opportunity_id=world.opportunity.pk, run_id=holder.run_id)
    assert [m.pupil_id for m in made] == [applicant.pk]
    assert made[0].run.parameters["refill"]["source_run_id"] == current.pk
    assert not made[0].run.what_if
