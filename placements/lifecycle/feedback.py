"""Attendance and feedback after a placement; the second side's feedback completes it."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mobility.accounts.models import Role
from mobility.permissions import role_of
from placements.models import MatchStatus
from placements.permissions import match_in_scope

from .exceptions import ActionNotPermitted, TransitionNotAllowed
from .models import PlacementFeedback
from .services import lock_match, match_complete

if TYPE_CHECKING:
    from mobility.accounts.models import User

_SIDES: dict[str, str] = {
    Role.PUPIL: PlacementFeedback.Side.PUPIL,
    Role.EMPLOYER: PlacementFeedback.Side.EMPLOYER,
}


def match_feedback_record(
    *,
    match_id: int,
    actor: User,
    rating: int,
    comment: str = "",
    days_attended: int | None = None,
    now: dt.datetime | None = None,
) -> PlacementFeedback:
    """The pupil or a member of the employer gives feedback; the employer also records attendance.

    Opens on the placement's first day. When both sides have answered, the placement is completed.
    """
    now = now or timezone.now()
    side = _SIDES.get(role_of(actor) or "")
    with transaction.atomic():
        match = lock_match(match_id)
        if side is None or not match_in_scope(actor, match):
            raise ActionNotPermitted("Only the pupil and the employer give feedback on a placement.")
        opportunity = match.opportunity
        if match.status != MatchStatus.CONFIRMED:
            raise TransitionNotAllowed("Feedback is for confirmed placements that have started.")
        if timezone.localdate(now) < opportunity.starts_on:
            raise TransitionNotAllowed(f"Feedback opens on the first day, {opportunity.starts_on:%-d %B %Y}.")
        errors: dict[str, str] = {}
        if not 1 <= rating <= 5:
            errors["rating"] = "Give a rating from 1 to 5."
        length = (opportunity.ends_on - opportunity.starts_on).days + 1
        if side == PlacementFeedback.Side.EMPLOYER:
            if days_attended is None:
                errors["days_attended"] = "Record how many days the pupil attended."
            elif not 0 <= days_attended <= length:
                errors["days_attended"] = f"Between 0 and {length} days."
        elif days_attended is not None:
            errors["days_attended"] = "Attendance is recorded by the employer."
        if errors:
            raise ValidationError(errors)
        if PlacementFeedback.objects.filter(match=match, side=side).exists():
            raise TransitionNotAllowed("Feedback for this placement has already been given.")
        feedback = PlacementFeedback.objects.create(
            match=match, side=side, author=actor, rating=rating, comment=comment, days_attended=days_attended
        )
        match_complete(match_id=match.pk, now=now)
    return feedback
