"""One guarded service per match event.

Each locks the match row, checks the event against ``transitions.TRANSITIONS`` and the
actor's role and scope, moves seats under the opportunity's row lock, saves, writes a
``MatchStatusChange`` row and queues notifications on commit. Every function takes
``now`` so deadline logic can be tested without a clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from employers.models import Opportunity
from employers.selectors import compliance_problems
from mobility.errors import DomainError
from mobility.permissions import role_of
from placements.models import LIVE_STATUSES, Match, MatchStatus, MatchStatusChange
from placements.permissions import match_in_scope
from schools.models import ConsentStatus, Pupil

from .applications import applications_close_after
from .exceptions import (
    ActionNotPermitted,
    CapacityConflict,
    ComplianceBlocked,
    ConsentRequired,
    TransitionNotAllowed,
)
from .follow_up import follow_up_record
from .offer_clock import offer_clock
from .seats import seat_release, seat_take, seats_full
from .selectors import offer_lapses_at
from .transitions import (
    SYSTEM,
    TRANSITIONS,
    CancelReason,
    EmployerDeclineReason,
    Event,
    PupilDeclineReason,
    RejectionReason,
)

if TYPE_CHECKING:
    from mobility.accounts.models import User

ADULT_AGE = 18


def lock_match(match_id: int) -> Match:
    """The match, locked for the rest of this transaction (call inside one)."""
    return (
        Match.objects.select_for_update(of=("self",))
        .select_related("pupil__user", "pupil__school", "opportunity__employer", "run")
        .get(pk=match_id)
    )


def _check_role(event: Event, actor: User | None) -> None:
    allowed = TRANSITIONS[event].actors
    if actor is None:
        if SYSTEM not in allowed:
            raise ActionNotPermitted("This step needs a person to take it.")
        return
    if role_of(actor) not in allowed:
        raise ActionNotPermitted(f"Your role cannot {event.replace('_', ' ')} this placement.")


def _check_actor(event: Event, match: Match, actor: User | None) -> None:
    _check_role(event, actor)
    if actor is not None and not match_in_scope(actor, match):
        raise ActionNotPermitted(f"Your role cannot {event.replace('_', ' ')} this placement.")


def _choice(
    value: str, choices: type[models.TextChoices], *, field: str = "reason", required: bool = True
) -> str:
    if not value and not required:
        return ""
    if value not in choices.values:
        options = ", ".join(choices.values)
        raise ValidationError({field: f"Choose one of: {options}."})
    return value


def _move(
    *, match: Match, event: Event, actor: User | None, now: dt.datetime, reason: str = "", note: str = ""
) -> None:
    """Apply one transition to a match already locked in this transaction."""
    transition = TRANSITIONS[event]
    source = match.status
    _check_source(event, source)
    released = transition.releases_seat(source)
    if transition.claims_seat(source):
        seat_take(opportunity_id=match.opportunity_id)
    elif released:
        seat_release(opportunity_id=match.opportunity_id)
    match.status = transition.target
    match.status_changed_at = now
    try:
        # No savepoint: on a clash the error leaves the caller's transaction, which rolls back.
        match.save(update_fields=["status", "status_changed_at"])
    except IntegrityError as error:  # the one-live-seat-per-pupil constraint, raced
        raise CapacityConflict(f"{match.pupil.user.first_name} already holds another placement.") from error
    change = MatchStatusChange.objects.create(
        match=match,
        from_status=source,
        to_status=transition.target,
        changed_by=actor,
        reason=reason,
        note=note,
    )
    if transition.target in (MatchStatus.PUPIL_DECLINED, MatchStatus.CONFIRMED):
        applications_close_after(
            pupil_id=match.pupil_id,
            opportunity_id=match.opportunity_id,
            confirmed=transition.target == MatchStatus.CONFIRMED,
        )
    follow_up_record(change=change, seat_freed=released)


def _check_source(event: Event, source: str) -> None:
    transition = TRANSITIONS[event]
    if source not in transition.sources:
        raise TransitionNotAllowed(
            f"This placement is {MatchStatus(source).label.lower()}, so it cannot be {transition.verb} now."
        )


def _transition(
    *,
    match_id: int,
    event: Event,
    actor: User | None,
    now: dt.datetime | None,
    reason: str = "",
    note: str = "",
) -> Match:
    now = now or timezone.now()
    with transaction.atomic():
        match = lock_match(match_id)
        _check_actor(event, match, actor)
        _move(match=match, event=event, actor=actor, now=now, reason=reason, note=note)
    return match


ComplianceCheck = Callable[..., list[str]]  # compliance_problems(employer=, through=)


def _check_placeable(
    match: Match,
    now: dt.datetime,
    compliance: ComplianceCheck = compliance_problems,
    holds_another: Callable[[Match], bool] | None = None,
) -> None:
    """Guards shared by approval and offer: a live run, compliance, consent, dates, one seat per pupil."""
    if match.run.what_if:
        raise TransitionNotAllowed(
            "This match comes from a what-if run, kept for comparison only; it cannot be approved or offered."
        )
    opportunity = match.opportunity
    problems = compliance(employer=opportunity.employer, through=opportunity.ends_on)
    if problems:
        raise ComplianceBlocked("This placement cannot go ahead yet. " + " ".join(problems))
    if match.pupil.parental_consent == ConsentStatus.REFUSED:
        raise ConsentRequired(f"{consent_giver_words(match.pupil)} refused consent.")
    if opportunity.starts_on < timezone.localdate(now):
        raise TransitionNotAllowed("The placement has already started.")
    if holds_another is None:
        others = Match.objects.filter(pupil_id=match.pupil_id, status__in=LIVE_STATUSES).exclude(pk=match.pk)
        holds_another = lambda m: others.exists()  # noqa: E731
    if holds_another(match):
        raise CapacityConflict(f"{match.pupil.user.first_name} already holds another placement.")


def consent_needed(match: Match) -> bool:
    """Under-18s need a parent's or carer's consent before a placement is confirmed; a young
    person outside school needs their own, whatever their age."""
    return match.pupil.is_young_person or match.pupil.age_on(match.opportunity.starts_on) < ADULT_AGE


def consent_giver_words(pupil: Pupil) -> str:
    """Who answers about consent, as the subject of a sentence for staff."""
    if pupil.is_young_person:
        return f"{pupil.user.first_name} has"
    return f"{pupil.user.first_name}'s parent or carer has"


def match_approve(*, match_id: int, actor: User, note: str = "", now: dt.datetime | None = None) -> Match:
    """Adviser approves a proposed match; takes a seat. Raises ComplianceBlocked, CapacityConflict."""
    now = now or timezone.now()
    with transaction.atomic():
        match = lock_match(match_id)
        _check_actor(Event.APPROVE, match, actor)
        _approve(match, actor, now, note=note)
    return match


def _approve(
    match: Match,
    actor: User,
    now: dt.datetime,
    *,
    note: str = "",
    compliance: ComplianceCheck = compliance_problems,
) -> None:
    if match.status == MatchStatus.PROPOSED:
        _check_placeable(match, now, compliance)
    _move(match=match, event=Event.APPROVE, actor=actor, now=now, note=note)
    if match.opportunity.reserved:
        _agree_self_found(match, now)


def _agree_self_found(match: Match, now: dt.datetime) -> None:
    """The pupil found this placement and its employer completed it: approved is as good as
    accepted, and confirmed at once if consent is on file (or not needed)."""
    _move(match=match, event=Event.SELF_FOUND_AGREE, actor=None, now=now, reason="self_found")
    _confirm_if_consent_on_file(match, now)


def _confirm_if_consent_on_file(match: Match, now: dt.datetime) -> None:
    if not consent_needed(match) or match.pupil.parental_consent == ConsentStatus.GIVEN:
        _move(match=match, event=Event.CONFIRM, actor=None, now=now, reason="consent_on_file")


def match_reject(
    *, match_id: int, actor: User, reason: str, note: str, now: dt.datetime | None = None
) -> Match:
    """Adviser rejects a proposed (or approved, not yet offered) match, with a reason and a note."""
    _check_rejection(reason, note)
    return _transition(match_id=match_id, event=Event.REJECT, actor=actor, now=now, reason=reason, note=note)


def _check_rejection(reason: str, note: str) -> None:
    _choice(reason, RejectionReason)
    if not note.strip():
        raise ValidationError({"note": "Add a note explaining the rejection."})


def _reject(match: Match, actor: User, now: dt.datetime, *, reason: str, note: str) -> None:
    _move(match=match, event=Event.REJECT, actor=actor, now=now, reason=reason, note=note)


def match_offer(*, match_id: int, actor: User, now: dt.datetime | None = None) -> Match:
    """Send an approved match to the employer and the pupil. The lapse clock starts."""
    now = now or timezone.now()
    with transaction.atomic():
        match = lock_match(match_id)
        _check_actor(Event.OFFER, match, actor)
        _offer(match, actor, now)
    return match


def _offer(
    match: Match, actor: User, now: dt.datetime, *, compliance: ComplianceCheck = compliance_problems
) -> None:
    if match.status == MatchStatus.APPROVED:
        _check_placeable(match, now, compliance)
    _move(match=match, event=Event.OFFER, actor=actor, now=now)


def match_employer_confirm(
    *, match_id: int, actor: User, note: str = "", now: dt.datetime | None = None
) -> Match:
    return _transition(match_id=match_id, event=Event.EMPLOYER_CONFIRM, actor=actor, now=now, note=note)


def match_employer_decline(
    *, match_id: int, actor: User, reason: str, note: str = "", now: dt.datetime | None = None
) -> Match:
    reason = _choice(reason, EmployerDeclineReason)
    return _transition(
        match_id=match_id, event=Event.EMPLOYER_DECLINE, actor=actor, now=now, reason=reason, note=note
    )


def match_accept(*, match_id: int, actor: User, now: dt.datetime | None = None) -> Match:
    """Pupil accepts; if consent is already on file (or not needed) the placement is confirmed too."""
    now = now or timezone.now()
    with transaction.atomic():
        match = lock_match(match_id)
        _check_actor(Event.ACCEPT, match, actor)
        if match.pupil.parental_consent == ConsentStatus.REFUSED and consent_needed(match):
            who = "You have" if match.pupil.is_young_person else "Your parent or carer has"
            raise ConsentRequired(f"{who} refused consent, so this cannot be accepted.")
        _move(match=match, event=Event.ACCEPT, actor=actor, now=now)
        _confirm_if_consent_on_file(match, now)
    return match


def match_pupil_decline(
    *, match_id: int, actor: User, reason: str = "", note: str = "", now: dt.datetime | None = None
) -> Match:
    reason = _choice(reason, PupilDeclineReason, required=False)
    return _transition(
        match_id=match_id, event=Event.PUPIL_DECLINE, actor=actor, now=now, reason=reason, note=note
    )


def match_confirm(*, match_id: int, actor: User | None = None, now: dt.datetime | None = None) -> Match:
    """Confirm an accepted placement once parental consent is recorded."""
    now = now or timezone.now()
    with transaction.atomic():
        match = lock_match(match_id)
        _check_actor(Event.CONFIRM, match, actor)
        if consent_needed(match) and match.pupil.parental_consent != ConsentStatus.GIVEN:
            whose = "own" if match.pupil.is_young_person else "parental"
            raise ConsentRequired(f"{match.pupil.user.first_name}'s {whose} consent has not been recorded.")
        _move(match=match, event=Event.CONFIRM, actor=actor, now=now, reason="consent_recorded")
    return match


def match_cancel(
    *, match_id: int, actor: User | None, reason: str, note: str = "", now: dt.datetime | None = None
) -> Match:
    """Cancel a live placement; the seat goes back and is re-offered by policy."""
    reason = _choice(reason, CancelReason)
    return _transition(match_id=match_id, event=Event.CANCEL, actor=actor, now=now, reason=reason, note=note)


def match_lapse(*, match_id: int, now: dt.datetime | None = None) -> Match | None:
    """Lapse an offer nobody answered in time. Returns None if it was answered meanwhile."""
    now = now or timezone.now()
    with transaction.atomic():
        match = lock_match(match_id)
        deadline = offer_lapses_at(match)
        if deadline is None or deadline > now or offer_clock(match).notification_pending:
            return None  # not due, or nobody has been told of the offer yet
        _move(match=match, event=Event.LAPSE, actor=None, now=now, reason="no_answer")
    return match


def offers_lapse_overdue(*, now: dt.datetime | None = None) -> list[int]:
    """Lapse every overdue offer, each in its own transaction; returns the lapsed match ids."""
    from .selectors import overdue_offer_ids

    now = now or timezone.now()
    return [m.pk for pk in overdue_offer_ids(now=now) if (m := match_lapse(match_id=pk, now=now))]


def match_complete(*, match_id: int, now: dt.datetime | None = None) -> Match | None:
    """Complete a confirmed placement once both sides have given feedback; None until then."""
    now = now or timezone.now()
    with transaction.atomic():
        match = lock_match(match_id)
        if match.status != MatchStatus.CONFIRMED or match.feedback.count() < 2:
            return None
        _move(match=match, event=Event.COMPLETE, actor=None, now=now, reason="feedback_received")
    return match


BULK_EVENTS = ("approve", "offer", "reject")


@dataclass(frozen=True)
class BulkOutcome:
    """What one adviser decision did to one match: its new status, or why it did not move."""

    match_id: int
    status: str | None
    code: str = ""
    messages: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status is not None


def _failure(match_id: int, error: Exception) -> BulkOutcome:
    if isinstance(error, ValidationError):
        return BulkOutcome(match_id, None, "invalid", tuple(str(m) for m in error.messages))
    code = getattr(error, "code", "conflict")
    return BulkOutcome(match_id, None, str(code), (str(getattr(error, "message", error)),))


def matches_bulk_decide(
    *,
    actor: User,
    event: str,
    match_ids: Iterable[int],
    run_id: int | None = None,
    reason: str = "",
    note: str = "",
    now: dt.datetime | None = None,
) -> list[BulkOutcome]:
    """Approve, offer or reject many matches, each in its own transaction, so one blocked match
    does not undo the others. Ids the actor cannot reach (or not in ``run_id``) answer
    ``not_found``, the same as ids that do not exist.

    The same guards as one decision at a time, with what does not change between matches
    worked out once: the actor's scope (the query below) and each employer's compliance."""

    if event not in BULK_EVENTS:
        raise ValidationError({"event": f"Choose one of: {', '.join(BULK_EVENTS)}."})
    compliance = _memo(compliance_problems)
    steps: dict[str, Callable[[Match, User, dt.datetime], None]] = {
        "approve": partial(_approve, note=note, compliance=compliance),
        "offer": partial(_offer, compliance=compliance),
        "reject": partial(_reject, reason=reason, note=note),
    }
    step = steps[event]
    invalid: ValidationError | None = None
    if event == "reject":
        try:
            _check_rejection(reason, note)
        except ValidationError as error:
            invalid = error
    wanted = list(dict.fromkeys(match_ids))
    return _decide_each(
        wanted, actor=actor, event=Event(event), run_id=run_id, step=step, invalid=invalid, note=note, now=now
    )


def _decide_each(
    wanted: list[int],
    *,
    actor: User,
    event: Event,
    run_id: int | None,
    step: Callable[[Match, User, dt.datetime], None],
    invalid: ValidationError | None,
    note: str,
    now: dt.datetime | None,
) -> list[BulkOutcome]:
    from .selectors import matches_for_user

    reachable = matches_for_user(user=actor).filter(pk__in=wanted)
    if run_id is not None:
        reachable = reachable.filter(run_id=run_id)
    found = set(reachable.values_list("pk", flat=True))
    # Self-found placements move on past approval, so they take the one-at-a-time path.
    self_found = reachable.filter(opportunity__reserved=True).exists()
    if (
        event in ("approve", "offer")
        and invalid is None
        and not self_found
        and role_of(actor) in TRANSITIONS[event].actors
    ):
        try:
            return _decide_together(
                wanted, found, actor=actor, event=event, note=note, now=now or timezone.now()
            )
        except IntegrityError:
            pass  # raced by another writer: decide one at a time below, each in its own transaction
    outcomes = []
    for match_id in wanted:  # in the order asked: the first of two for one last seat gets it
        if match_id not in found:
            outcomes.append(BulkOutcome(match_id, None, "not_found", ("Not found.",)))
            continue
        if invalid is not None:
            outcomes.append(_failure(match_id, invalid))
            continue
        try:
            with transaction.atomic():
                match = lock_match(match_id)
                _check_role(event, actor)  # the scope was checked by the query above
                step(match, actor, now or timezone.now())
        except (DomainError, ValidationError) as error:
            outcomes.append(_failure(match_id, error))
        else:
            outcomes.append(BulkOutcome(match_id, str(match.status)))
    return outcomes


def _decide_together(
    wanted: list[int], found: set[int], *, actor: User, event: Event, note: str, now: dt.datetime
) -> list[BulkOutcome]:
    """Approve or offer in one transaction: the same guards as one at a time, read for all the
    matches at once (rows locked, seats counted under the opportunities' locks), and the moves
    written in a few statements. A match that fails a guard is left as it was."""
    transition = TRANSITIONS[event]
    compliance = _memo(compliance_problems)
    with transaction.atomic():
        matches = {
            m.pk: m
            for m in Match.objects.select_for_update(of=("self",))
            .select_related("pupil__user", "pupil__school", "opportunity__employer", "run")
            .filter(pk__in=found)
            .order_by("pk")
        }
        seats = {
            o.pk: o
            for o in Opportunity.objects.select_for_update()
            .filter(pk__in={m.opportunity_id for m in matches.values()})
            .order_by("pk")
            .only("pk", "title", "capacity", "seats_taken")
        }
        live: dict[int, set[int]] = {}
        for pk, pupil_id in Match.objects.filter(
            pupil_id__in={m.pupil_id for m in matches.values()}, status__in=LIVE_STATUSES
        ).values_list("pk", "pupil_id"):
            live.setdefault(pupil_id, set()).add(pk)
        guard = "approve" if event == "approve" else "offer"
        check_from = MatchStatus.PROPOSED if guard == "approve" else MatchStatus.APPROVED
        outcomes, moved = [], []
        for match_id in wanted:
            match = matches.get(match_id)
            if match is None:
                outcomes.append(BulkOutcome(match_id, None, "not_found", ("Not found.",)))
                continue
            try:
                source = match.status
                _check_source(event, source)
                if source == check_from:
                    _check_placeable(
                        match, now, compliance, lambda m: bool(live.get(m.pupil_id, set()) - {m.pk})
                    )
                opportunity = seats[match.opportunity_id]
                if transition.claims_seat(source):
                    if opportunity.seats_taken >= opportunity.capacity:
                        raise seats_full(opportunity)
                    opportunity.seats_taken += 1
                elif transition.releases_seat(source):
                    opportunity.seats_taken = max(0, opportunity.seats_taken - 1)
            except (DomainError, ValidationError) as error:
                outcomes.append(_failure(match_id, error))
                continue
            if transition.target in LIVE_STATUSES:
                live.setdefault(match.pupil_id, set()).add(match.pk)
            moved.append((match, source))
            match.status, match.status_changed_at = transition.target, now
            outcomes.append(BulkOutcome(match_id, str(transition.target)))
        _write_moves(moved, seats, actor=actor, event=event, note=note if event == "approve" else "", now=now)
    return outcomes


def _write_moves(
    moved: list[tuple[Match, str]],
    seats: dict[int, Opportunity],
    *,
    actor: User,
    event: Event,
    note: str,
    now: dt.datetime,
) -> None:
    if not moved:
        return
    transition = TRANSITIONS[event]
    target = transition.target
    Match.objects.filter(pk__in=[m.pk for m, _ in moved]).update(status=target, status_changed_at=now)
    changed = {
        m.opportunity_id
        for m, source in moved
        if transition.claims_seat(source) or transition.releases_seat(source)
    }
    taken = [(pk, o.seats_taken) for pk, o in seats.items() if pk in changed]
    if taken:
        Opportunity.objects.filter(pk__in=[pk for pk, _ in taken]).update(
            seats_taken=models.Case(
                *(models.When(pk=pk, then=models.Value(n)) for pk, n in taken),
                output_field=models.IntegerField(),
            )
        )
    changes = MatchStatusChange.objects.bulk_create(
        MatchStatusChange(match=m, from_status=source, to_status=target, changed_by=actor, note=note)
        for m, source in moved
    )
    for change, (match, source) in zip(changes, moved, strict=True):
        change.match = match
        follow_up_record(change=change, seat_freed=transition.releases_seat(source))


def _memo(check: ComplianceCheck) -> ComplianceCheck:
    """``check`` answered once per employer and end date within one bulk decision."""
    seen: dict[tuple[int, dt.date], list[str]] = {}

    def memoised(*, employer: Any, through: dt.date) -> list[str]:
        key = (employer.pk, through)
        if key not in seen:
            seen[key] = check(employer=employer, through=through)
        return seen[key]

    return memoised
