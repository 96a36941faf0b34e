"""The one table of allowed match transitions, and the structured reasons that go with them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import models

from mobility.accounts.models import Role
from placements.models import SEAT_HOLDING_STATUSES, MatchStatus

SYSTEM = "system"  # beat tasks and follow-on transitions with no person behind them


class Event(StrEnum):
    """What happens to a match; each has one row in ``TRANSITIONS``."""

    APPROVE = "approve"
    REJECT = "reject"
    OFFER = "offer"
    EMPLOYER_CONFIRM = "employer_confirm"
    EMPLOYER_DECLINE = "employer_decline"
    ACCEPT = "accept"
    PUPIL_DECLINE = "pupil_decline"
    LAPSE = "lapse"
    CONFIRM = "confirm"
    COMPLETE = "complete"
    PLACEMENT_CHANGE = "placement_change"
    SELF_FOUND_AGREE = "self_found_agree"
    CANCEL = "cancel"


@dataclass(frozen=True)
class Transition:
    event: Event
    sources: frozenset[str]
    target: str
    actors: frozenset[str]
    verb: str  # for messages: "This placement cannot be <verb> now."

    @property
    def takes_seat(self) -> bool:
        return self.target in SEAT_HOLDING_STATUSES

    def releases_seat(self, source: str) -> bool:
        return source in SEAT_HOLDING_STATUSES and self.target not in SEAT_HOLDING_STATUSES

    def claims_seat(self, source: str) -> bool:
        return source not in SEAT_HOLDING_STATUSES and self.target in SEAT_HOLDING_STATUSES


S = MatchStatus
_CANCELLABLE = frozenset({S.APPROVED, S.OFFERED, S.EMPLOYER_CONFIRMED, S.ACCEPTED, S.CONFIRMED})
_ADVISING = frozenset({Role.ADVISER, Role.ADMIN})
# School staff, and youth workers in the school's place for young people outside school.
_SCHOOL_SIDE = frozenset({Role.SCHOOL_STAFF, Role.YOUTH_WORKER})

TRANSITIONS: dict[Event, Transition] = {
    t.event: t
    for t in (
        Transition(Event.APPROVE, frozenset({S.PROPOSED}), S.APPROVED, _ADVISING, "approved"),
        Transition(Event.REJECT, frozenset({S.PROPOSED, S.APPROVED}), S.REJECTED, _ADVISING, "rejected"),
        Transition(Event.OFFER, frozenset({S.APPROVED}), S.OFFERED, _ADVISING, "offered"),
        Transition(
            Event.EMPLOYER_CONFIRM,
            frozenset({S.OFFERED}),
            S.EMPLOYER_CONFIRMED,
            frozenset({Role.EMPLOYER, Role.ADMIN}),
            "confirmed by the employer",
        ),
        Transition(
            Event.EMPLOYER_DECLINE,
            frozenset({S.OFFERED}),
            S.EMPLOYER_DECLINED,
            frozenset({Role.EMPLOYER, Role.ADMIN}),
            "declined by the employer",
        ),
        Transition(
            Event.ACCEPT, frozenset({S.EMPLOYER_CONFIRMED}), S.ACCEPTED, frozenset({Role.PUPIL}), "accepted"
        ),
        Transition(
            Event.PUPIL_DECLINE,
            frozenset({S.OFFERED, S.EMPLOYER_CONFIRMED}),
            S.PUPIL_DECLINED,
            frozenset({Role.PUPIL}),
            "declined",
        ),
        Transition(
            Event.LAPSE, frozenset({S.OFFERED, S.EMPLOYER_CONFIRMED}), S.LAPSED, frozenset({SYSTEM}), "lapsed"
        ),
        Transition(
            Event.CONFIRM,
            frozenset({S.ACCEPTED}),
            S.CONFIRMED,
            frozenset({SYSTEM, *_SCHOOL_SIDE, Role.ADVISER, Role.ADMIN}),
            "confirmed",
        ),
        Transition(Event.COMPLETE, frozenset({S.CONFIRMED}), S.COMPLETED, frozenset({SYSTEM}), "completed"),
        # An adviser approved a change of dates, site or hours: the pupil answers the offer again.
        Transition(
            Event.PLACEMENT_CHANGE,
            frozenset({S.OFFERED, S.ACCEPTED, S.CONFIRMED}),
            S.EMPLOYER_CONFIRMED,
            _ADVISING,
            "changed",
        ),
        # A placement the pupil found: the employer and pupil agreed it before the school vetted
        # it, so once an adviser approves it stands as accepted, waiting only for consent.
        Transition(
            Event.SELF_FOUND_AGREE, frozenset({S.APPROVED}), S.ACCEPTED, frozenset({SYSTEM}), "agreed"
        ),
        Transition(
            Event.CANCEL,
            _CANCELLABLE,
            S.CANCELLED,
            frozenset(
                {
                    SYSTEM,
                    Role.PUPIL,
                    Role.EMPLOYER,
                    Role.SCHOOL_STAFF,
                    Role.YOUTH_WORKER,
                    Role.ADVISER,
                    Role.ADMIN,
                }
            ),
            "cancelled",
        ),
    )
}


def allowed_events(status: str) -> list[Event]:
    """Events that can move a match out of ``status`` (whoever is asking)."""
    return [t.event for t in TRANSITIONS.values() if status in t.sources]


class RejectionReason(models.TextChoices):
    TRAVEL = "travel", "Journey unsuitable for this pupil"
    ACCESS_NEEDS = "access_needs", "Workplace cannot meet the pupil's needs"
    SAFEGUARDING = "safeguarding", "Safeguarding concern"
    PUPIL_CIRCUMSTANCES = "pupil_circumstances", "Pupil's circumstances have changed"
    BETTER_FIT = "better_fit", "A better placement is available for this pupil"
    OTHER = "other", "Other (see note)"


class EmployerDeclineReason(models.TextChoices):
    NO_SUPERVISOR = "no_supervisor", "No supervisor available"
    DATES_CHANGED = "dates_changed", "Dates no longer possible"
    CAPACITY_REDUCED = "capacity_reduced", "Fewer places than planned"
    NEEDS_NOT_MET = "needs_not_met", "Cannot meet the pupil's access needs"
    OTHER = "other", "Other (see note)"


class PupilDeclineReason(models.TextChoices):
    CHANGED_MIND = "changed_mind", "Changed my mind"
    TRAVEL = "travel", "Too hard to get there"
    OTHER_PLACEMENT = "other_placement", "Found another placement"
    OTHER = "other"


class CancelReason(models.TextChoices):
    PUPIL_WITHDREW = "pupil_withdrew", "Pupil withdrew"
    EMPLOYER_WITHDREW = "employer_withdrew", "Employer withdrew"
    CONSENT_REFUSED = "consent_refused", "Parental consent refused"
    COMPLIANCE = "compliance", "Employer compliance lapsed"
    SAFEGUARDING = "safeguarding", "Safeguarding concern"
    OTHER = "other", "Other (see note)"
