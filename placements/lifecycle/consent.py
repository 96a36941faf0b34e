"""Placements follow a parent's or carer's consent answer, recorded by the schools app."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.dispatch import receiver

from placements.models import LIVE_STATUSES, Match, MatchStatus
from schools.models import ConsentStatus
from schools.signals import consent_recorded

from . import services

if TYPE_CHECKING:
    from mobility.accounts.models import User
    from schools.models import Pupil


@receiver(consent_recorded, dispatch_uid="placements.consent_followed")
def consent_followed(
    sender: Any, *, pupil: Pupil, status: str, actor: User, now: dt.datetime, **kwargs: Any
) -> list[int]:
    """Given: accepted placements are confirmed. Refused: live placements are cancelled."""
    changed = []
    if status == ConsentStatus.GIVEN:
        for match_id in Match.objects.filter(pupil=pupil, status=MatchStatus.ACCEPTED).values_list(
            "pk", flat=True
        ):
            services.match_confirm(match_id=match_id, actor=actor, now=now)
            changed.append(match_id)
    elif status == ConsentStatus.REFUSED:
        for match_id in Match.objects.filter(pupil=pupil, status__in=LIVE_STATUSES).values_list(
            "pk", flat=True
        ):
            services.match_cancel(match_id=match_id, actor=actor, reason="consent_refused", now=now)
            changed.append(match_id)
    return changed
