"""The happy path, the audit trail and the transition table's refusals."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError

from employers.models import Opportunity
from placements.lifecycle import services
from placements.lifecycle.exceptions import ActionNotPermitted, ConsentRequired, TransitionNotAllowed
from placements.lifecycle.transitions import TRANSITIONS, Event, allowed_events
from placements.models import SEAT_HOLDING_STATUSES, Match, MatchStatus, MatchStatusChange

from .conftest import NOW, World, advance

S = MatchStatus


def seats(opportunity: Opportunity) -> int:
    opportunity.refresh_from_db()
    return opportunity.seats_taken


def test_table_covers_every_status_and_ends_in_terminal_ones() -> None:
    targets = {t.target for t in TRANSITIONS.values()}
    sources = set().union(*(t.sources for t in TRANSITIONS.values()))
    assert targets | sources == set(S.values)
    terminal = {S.REJECTED, S.EMPLOYER_DECLINED, S.PUPIL_DECLINED, S.LAPSED, S.COMPLETED, S.CANCELLED}
    assert {s for s in S.values if not allowed_events(s)} == terminal


def test_whole_path_writes_one_audit_row_per_step(world: World) -> None:
    pupil = world.pupil(parental_consent="requested")
    match = world.match(pupil=pupil, to=S.ACCEPTED)
    assert seats(world.opportunity) == 1
    pupil.parental_consent = "given"
    pupil.save()
    services.match_confirm(match_id=match.pk, actor=world.staff.user, now=NOW)
    changes = list(
        MatchStatusChange.objects.filter(match=match).values_list("from_status", "to_status", "changed_by")
    )
    assert changes == [
        (S.PROPOSED, S.APPROVED, world.adviser.user.pk),
        (S.APPROVED, S.OFFERED, world.adviser.user.pk),
        (S.OFFERED, S.EMPLOYER_CONFIRMED, world.member.pk),
        (S.EMPLOYER_CONFIRMED, S.ACCEPTED, pupil.user.pk),
        (S.ACCEPTED, S.CONFIRMED, world.staff.user.pk),
    ]
    assert seats(world.opportunity) == 1


def test_accept_with_consent_on_file_confirms_at_once(world: World) -> None:
    match = world.match(to=S.EMPLOYER_CONFIRMED)
    services.match_accept(match_id=match.pk, actor=match.pupil.user, now=NOW)
    match.refresh_from_db()
    assert match.status == S.CONFIRMED
    last = match.status_changes.last()
    assert last is not None
    assert (last.from_status, last.to_status, last.changed_by, last.reason) == (
        S.ACCEPTED,
        S.CONFIRMED,
        None,
        "consent_on_file",
    )


def test_confirm_without_consent_is_refused(world: World) -> None:
    match = world.match(pupil=world.pupil(parental_consent="requested"), to=S.ACCEPTED)
    with pytest.raises(ConsentRequired):
        services.match_confirm(match_id=match.pk, actor=world.staff.user, now=NOW)
    match.refresh_from_db()
    assert match.status == S.ACCEPTED


EVENT_CALLS = {
    "approve": lambda m, w: services.match_approve(match_id=m.pk, actor=w.adviser.user, now=NOW),
    "reject": lambda m, w: services.match_reject(
        match_id=m.pk, actor=w.adviser.user, reason="travel", note="Two buses", now=NOW
    ),
    "offer": lambda m, w: services.match_offer(match_id=m.pk, actor=w.adviser.user, now=NOW),
    "employer_confirm": lambda m, w: services.match_employer_confirm(match_id=m.pk, actor=w.member, now=NOW),
    "employer_decline": lambda m, w: services.match_employer_decline(
        match_id=m.pk, actor=w.member, reason="no_supervisor", now=NOW
    ),
    "accept": lambda m, w: services.match_accept(match_id=m.pk, actor=m.pupil.user, now=NOW),
    "pupil_decline": lambda m, w: services.match_pupil_decline(match_id=m.pk, actor=m.pupil.user, now=NOW),
    "confirm": lambda m, w: services.match_confirm(match_id=m.pk, actor=w.staff.user, now=NOW),
    "cancel": lambda m, w: services.match_cancel(
        match_id=m.pk, actor=w.adviser.user, reason="other", now=NOW
    ),
}


@pytest.mark.parametrize("event", sorted(EVENT_CALLS))
@pytest.mark.parametrize("status", S.values)
def test_every_event_from_every_status_follows_the_table(world: World, event: str, status: str) -> None:
    match = world.match()
    # Test set-up only: put the match straight into the status, with the seat it would hold.
    Match.objects.filter(pk=match.pk).update(status=status)
    held = int(status in SEAT_HOLDING_STATUSES)
    Opportunity.objects.filter(pk=world.opportunity.pk).update(seats_taken=held)
    match.refresh_from_db()
    transition = TRANSITIONS[Event(event)]
    if status in transition.sources:
        EVENT_CALLS[event](match, world)
        match.refresh_from_db()
        assert match.status in (transition.target, S.CONFIRMED)  # accept may confirm at once
        assert seats(world.opportunity) == int(match.status in SEAT_HOLDING_STATUSES)
    else:
        with pytest.raises(TransitionNotAllowed):
            EVENT_CALLS[event](match, world)
        match.refresh_from_db()
        assert match.status == status
        assert seats(world.opportunity) == held
        assert not match.status_changes.exists()


@pytest.mark.parametrize(
    ("event", "who"),
    [
        ("approve", "pupil"),
        ("approve", "member"),
        ("approve", "staff"),
        ("offer", "member"),
        ("employer_confirm", "adviser"),
        ("employer_confirm", "pupil"),
        ("accept", "adviser"),
        ("accept", "member"),
        ("confirm", "pupil"),
        ("confirm", "member"),
    ],
)
def test_roles_outside_the_table_cannot_act(world: World, event: str, who: str) -> None:
    source = next(iter(TRANSITIONS[Event(event)].sources))
    match = advance(world, world.match(pupil=world.pupil(parental_consent="requested")), source)
    actor = {
        "pupil": match.pupil.user,
        "member": world.member,
        "staff": world.staff.user,
        "adviser": world.adviser.user,
    }[who]
    calls: dict[str, Callable[..., object]] = {
        "approve": services.match_approve,
        "offer": services.match_offer,
        "employer_confirm": services.match_employer_confirm,
        "accept": services.match_accept,
        "confirm": services.match_confirm,
    }
    call = calls[event]
    with pytest.raises(ActionNotPermitted):
        call(match_id=match.pk, actor=actor, now=NOW)
    match.refresh_from_db()
    assert match.status == source


def test_an_adviser_for_another_school_cannot_act(world: World) -> None:
    from tests.factories import CareersAdviserFactory, SchoolFactory

    stranger = CareersAdviserFactory.create(schools=[SchoolFactory.create()])
    match = world.match()
    with pytest.raises(ActionNotPermitted):
        services.match_approve(match_id=match.pk, actor=stranger.user, now=NOW)


def test_rejection_needs_a_listed_reason_and_a_note(world: World) -> None:
    match = world.match()
    with pytest.raises(ValidationError) as bad_reason:
        services.match_reject(match_id=match.pk, actor=world.adviser.user, reason="dislike", note="x")
    assert "reason" in bad_reason.value.message_dict
    with pytest.raises(ValidationError) as no_note:
        services.match_reject(match_id=match.pk, actor=world.adviser.user, reason="travel", note="  ")
    assert "note" in no_note.value.message_dict
    services.match_reject(
        match_id=match.pk, actor=world.adviser.user, reason="travel", note="Three buses each way"
    )
    change = MatchStatusChange.objects.get(match=match)
    assert (change.to_status, change.reason, change.note) == (S.REJECTED, "travel", "Three buses each way")


def test_declines_and_cancellation_give_the_seat_back(world: World) -> None:
    declined = world.match(to=S.OFFERED)
    services.match_employer_decline(match_id=declined.pk, actor=world.member, reason="dates_changed", now=NOW)
    pupil_says_no = world.match(to=S.EMPLOYER_CONFIRMED)
    assert seats(world.opportunity) == 1
    services.match_pupil_decline(
        match_id=pupil_says_no.pk, actor=pupil_says_no.pupil.user, reason="travel", now=NOW
    )
    assert seats(world.opportunity) == 0
    confirmed = world.match(to=S.CONFIRMED)
    assert seats(world.opportunity) == 1
    services.match_cancel(
        match_id=confirmed.pk, actor=confirmed.pupil.user, reason="pupil_withdrew", note="Ill"
    )
    assert seats(world.opportunity) == 0
    assert Match.objects.get(pk=confirmed.pk).status == S.CANCELLED
