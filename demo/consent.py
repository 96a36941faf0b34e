"""Demo parental consent, recorded as schools record it: a request, then the parent's or carer's
answer, each through the schools service, by the school's careers leader, on a date this term."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from mobility.accounts.models import User
from schools.models import ConsentMethod, ConsentStatus, Pupil, SchoolStaff
from schools.services import pupil_consent_record

from . import names
from .plan import TODAY, date_between, weighted

METHODS = (
    (ConsentMethod.PAPER, 45),
    (ConsentMethod.ONLINE, 30),
    (ConsentMethod.EMAIL, 20),
    (ConsentMethod.PHONE, 5),
)
# Letters home go out in the second and third weeks of term.
REQUESTS_FROM, REQUESTS_TO = dt.date(TODAY.year, 9, 8), dt.date(TODAY.year, 9, 19)
SAME_SURNAME = 0.8  # otherwise the parent or carer has another surname


@dataclass(frozen=True)
class ConsentPlan:
    """Where a pupil's consent is to stand, and when the answer came (None while none has)."""

    status: str
    answered_at: dt.datetime | None


def consent_history_record(rng: random.Random, pupils: list[Pupil], plans: dict[int, ConsentPlan]) -> int:
    """Record each pupil's consent history through the service; returns the records written."""
    leaders = _careers_leaders()
    written = 0
    for pupil in pupils:
        plan = plans[pupil.pk]
        if plan.status == ConsentStatus.NOT_REQUESTED:
            continue
        leader = leaders[pupil.school_id]
        asked = _asked_on(rng, plan.answered_at)
        pupil_consent_record(pupil=pupil, status=ConsentStatus.REQUESTED, actor=leader, now=asked)
        written += 1
        if plan.answered_at is None:
            continue
        surname = pupil.user.last_name if rng.random() < SAME_SURNAME else rng.choice(names.SURNAMES)
        pupil_consent_record(
            pupil=pupil,
            status=plan.status,
            actor=leader,
            method=weighted(rng, METHODS),
            parent_carer_name=f"{rng.choice(names.FIRST_NAMES)} {surname}",
            now=plan.answered_at,
        )
        written += 1
    return written


def _asked_on(rng: random.Random, answered_at: dt.datetime | None) -> dt.datetime:
    """When the school asked: in the weeks letters go home, and before any answer."""
    last = REQUESTS_TO if answered_at is None else min(REQUESTS_TO, answered_at.date() - dt.timedelta(days=1))
    day = date_between(rng, min(REQUESTS_FROM, last), last)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(8, 16), rng.randint(0, 59))))


def _careers_leaders() -> dict[int, User]:
    return {staff.school_id: staff.user for staff in SchoolStaff.objects.select_related("user")}
