"""What blocks an approval: compliance, capacity, one live seat per pupil, consent, dates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from employers.models import ComplianceRecord, Opportunity
from placements.lifecycle import services
from placements.lifecycle.exceptions import (
    CapacityConflict,
    ComplianceBlocked,
    ConsentRequired,
    TransitionNotAllowed,
)
from placements.models import Match, MatchStatus
from tests.factories import WINDOW_END, WINDOW_START, MatchRunFactory

from .conftest import NOW, World

S = MatchStatus


def approve(world: World, match: Match) -> Match:
    return services.match_approve(match_id=match.pk, actor=world.adviser.user, now=NOW)


def test_missing_compliance_blocks_approval_and_says_why(world: World) -> None:
    ComplianceRecord.objects.filter(employer=world.employer).delete()
    match = world.match()
    with pytest.raises(ComplianceBlocked, match="no insurance or risk assessment on file"):
        approve(world, match)
    match.refresh_from_db()
    assert match.status == S.PROPOSED
    world.opportunity.refresh_from_db()
    assert world.opportunity.seats_taken == 0


def test_insurance_expiring_before_the_placement_ends_blocks_approval(world: World) -> None:
    ComplianceRecord.objects.filter(employer=world.employer).update(
        insurance_expires_on=WINDOW_END - dt.timedelta(days=1)
    )
    with pytest.raises(ComplianceBlocked, match=r"insurance expires on .* before the placement ends"):
        approve(world, world.match())


def test_stale_risk_assessment_and_no_supervisor_are_both_reported(world: World) -> None:
    ComplianceRecord.objects.filter(employer=world.employer).update(
        risk_assessment_on=WINDOW_START - dt.timedelta(days=400), supervisor_name=""
    )
    with pytest.raises(ComplianceBlocked) as blocked:
        approve(world, world.match())
    assert "risk assessment is valid until" in blocked.value.message
    assert "No supervisor is named" in blocked.value.message


def test_compliance_lapsing_after_approval_blocks_the_offer(world: World) -> None:
    match = approve(world, world.match())
    ComplianceRecord.objects.filter(employer=world.employer).update(insurance_expires_on=WINDOW_START)
    with pytest.raises(ComplianceBlocked):
        services.match_offer(match_id=match.pk, actor=world.adviser.user, now=NOW)


def test_the_last_seat_goes_once(world: World) -> None:
    opportunity = world.opportunity_with(capacity=1)
    first, second = world.match(opportunity=opportunity), world.match(opportunity=opportunity)
    approve(world, first)
    with pytest.raises(CapacityConflict, match="no places left"):
        approve(world, second)
    second.refresh_from_db()
    opportunity.refresh_from_db()
    assert (second.status, opportunity.seats_taken) == (S.PROPOSED, 1)


def test_a_pupil_holds_one_live_placement(world: World) -> None:
    pupil = world.pupil()
    world.match(pupil=pupil, to=S.APPROVED)
    other_run_match = world.match(
        pupil=pupil, opportunity=world.opportunity_with(), run=MatchRunFactory.create()
    )
    with pytest.raises(CapacityConflict, match="already holds another placement"):
        approve(world, other_run_match)


def test_the_database_refuses_overfilling_even_without_the_service(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Opportunity.objects.filter(pk=world.opportunity.pk).update(seats_taken=world.opportunity.capacity + 1)


def test_refused_consent_blocks_approval(world: World) -> None:
    with pytest.raises(ConsentRequired):
        approve(world, world.match(pupil=world.pupil(parental_consent="refused")))


def test_no_approval_once_the_placement_has_started(world: World) -> None:
    late = dt.datetime.combine(WINDOW_START + dt.timedelta(days=1), dt.time(12), tzinfo=dt.UTC)
    with pytest.raises(TransitionNotAllowed, match="already started"):
        services.match_approve(match_id=world.match().pk, actor=world.adviser.user, now=late)
