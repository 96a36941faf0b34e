"""Writes for pupils' profiles, parental consent and work-experience windows.

Callers pass only the fields a role may change; ``school``, consent and the located grid
point are never taken from a client.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from placements.lifecycle import services as lifecycle
from placements.models import LIVE_STATUSES, Match, MatchStatus, Sector
from schools.models import ConsentMethod, ConsentRecord, ConsentStatus, Pupil, School, WorkExperienceWindow

if TYPE_CHECKING:
    from mobility.accounts.models import User

PUPIL_SELF_FIELDS = frozenset(
    {
        "postcode",
        "needs_step_free_access",
        "access_needs",
        "share_access_needs",
        "max_travel_minutes",
        "sector_interests",
    }
)
PUPIL_STAFF_FIELDS = PUPIL_SELF_FIELDS | {
    "year_group",
    "fsm_or_pupil_premium",
    "care_experienced",
    "send",
    "young_carer",
    "at_risk_of_neet",
}
WINDOW_FIELDS = ("year_group", "starts_on", "ends_on", "application_deadline")


def pupil_update(*, pupil: Pupil, allowed: Iterable[str], data: dict[str, Any]) -> Pupil:
    """Change a pupil's profile. ``allowed`` is the caller's role's field set; others are refused."""
    refused = set(data) - set(allowed)
    if refused:
        raise ValidationError({name: "You cannot change this." for name in sorted(refused)})
    with transaction.atomic():
        pupil = Pupil.objects.select_for_update().get(pk=pupil.pk)
        interests: list[Sector] | None = data.pop("sector_interests", None)
        for name, value in data.items():
            setattr(pupil, name, value)
        pupil.full_clean(exclude=["user", "school"])  # also locates a changed postcode
        pupil.save()
        if interests is not None:
            pupil.sector_interests.set(interests)
    return pupil


def pupil_consent_record(
    *,
    pupil: Pupil,
    status: str,
    actor: User,
    method: str = "",
    parent_carer_name: str = "",
    now: dt.datetime | None = None,
) -> list[int]:
    """Record a parent's or carer's answer as a new row of the pupil's consent history, and act on it.

    Given: accepted placements are confirmed. Refused: live placements are cancelled.
    Returns the ids of matches whose status changed.
    """
    if status not in ConsentStatus.values:
        raise ValidationError({"status": f"Choose one of: {', '.join(ConsentStatus.values)}."})
    if method and method not in ConsentMethod.values:
        raise ValidationError({"method": f"Choose one of: {', '.join(ConsentMethod.values)}."})
    now = now or timezone.now()
    with transaction.atomic():
        locked = Pupil.objects.select_for_update().get(pk=pupil.pk)
        ConsentRecord.objects.create(
            pupil=locked,
            status=status,
            method=method,
            parent_carer_name=parent_carer_name.strip(),
            recorded_by=actor,
            recorded_at=now,
        )
        # Kept for the pages and API that read the current answer; the history is the record.
        locked.parental_consent = status
        locked.parental_consent_recorded_at = now
        locked.save(update_fields=["parental_consent", "parental_consent_recorded_at"])
        changed = []
        if status == ConsentStatus.GIVEN:
            for match_id in Match.objects.filter(pupil=locked, status=MatchStatus.ACCEPTED).values_list(
                "pk", flat=True
            ):
                lifecycle.match_confirm(match_id=match_id, actor=actor, now=now)
                changed.append(match_id)
        elif status == ConsentStatus.REFUSED:
            for match_id in Match.objects.filter(pupil=locked, status__in=LIVE_STATUSES).values_list(
                "pk", flat=True
            ):
                lifecycle.match_cancel(match_id=match_id, actor=actor, reason="consent_refused", now=now)
                changed.append(match_id)
    return changed


def window_save(
    *, school: School, data: dict[str, Any], window: WorkExperienceWindow | None = None
) -> WorkExperienceWindow:
    """Create or change a school's work-experience window."""
    window = window or WorkExperienceWindow(school=school)
    for name in WINDOW_FIELDS:
        if name in data:
            setattr(window, name, data[name])
    window.full_clean()
    window.save()
    return window
