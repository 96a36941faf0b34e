"""A parent's or carer's answer acts on the pupil's placements: refused cancels every live one."""

from __future__ import annotations

import pytest

from employers.models import Opportunity
from placements.models import MatchStatus
from schools.models import ConsentStatus, Pupil
from schools.services import pupil_consent_record

from .conftest import World

LIVE = [
    MatchStatus.APPROVED,
    MatchStatus.OFFERED,
    MatchStatus.EMPLOYER_CONFIRMED,
    MatchStatus.ACCEPTED,
    MatchStatus.CONFIRMED,
]


@pytest.mark.parametrize("status", LIVE)
def test_refused_consent_cancels_a_live_placement_and_frees_its_seat(world: World, status: str) -> None:
    pupil = world.pupil(parental_consent=ConsentStatus.REQUESTED if status == "accepted" else "given")
    match = world.match(pupil=pupil, to=status)
    assert Opportunity.objects.get(pk=world.opportunity.pk).seats_taken == 1

    changed = pupil_consent_record(pupil=pupil, status=ConsentStatus.REFUSED, actor=world.staff.user)

    assert changed == [match.pk]
    match.refresh_from_db()
    assert match.status == MatchStatus.CANCELLED
    last = match.status_changes.latest("pk")
    assert (last.from_status, last.reason, last.changed_by) == (status, "consent_refused", world.staff.user)
    assert Opportunity.objects.get(pk=world.opportunity.pk).seats_taken == 0
    assert Pupil.objects.get(pk=pupil.pk).parental_consent == ConsentStatus.REFUSED


def test_refused_consent_leaves_finished_and_unapproved_matches_alone(world: World) -> None:
    pupil = world.pupil()
    proposed = world.match(pupil=pupil)
    other = world.match(pupil=world.pupil(), to=MatchStatus.CONFIRMED)  # another pupil's placement

    assert pupil_consent_record(pupil=pupil, status=ConsentStatus.REFUSED, actor=world.staff.user) == []

    proposed.refresh_from_db()
    other.refresh_from_db()
    assert (proposed.status, other.status) == (MatchStatus.PROPOSED, MatchStatus.CONFIRMED)
    assert Opportunity.objects.get(pk=world.opportunity.pk).seats_taken == 1


def test_given_consent_confirms_an_accepted_placement(world: World) -> None:
    pupil = world.pupil(parental_consent=ConsentStatus.REQUESTED)
    match = world.match(pupil=pupil, to=MatchStatus.ACCEPTED)

    changed = pupil_consent_record(pupil=pupil, status=ConsentStatus.GIVEN, actor=world.staff.user)

    assert changed == [match.pk]
    match.refresh_from_db()
    assert match.status == MatchStatus.CONFIRMED
    assert Opportunity.objects.get(pk=world.opportunity.pk).seats_taken == 1
