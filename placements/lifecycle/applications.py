"""A pupil's ranked applications: submit, reorder, withdraw.

Eligibility problems are the pupil's input to fix, so they raise ``ValidationError``
(a form error, a 400); a closed deadline is a ``TransitionNotAllowed`` (a 409).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from employers.models import Opportunity
from placements.models import Application
from schools.models import ConsentStatus, Pupil
from schools.selectors import application_deadline

from .exceptions import TransitionNotAllowed

Active = Application.Status.ACTIVE


def _lock_pupil(pupil: Pupil) -> Pupil:
    # Serialises one pupil's submissions, so rank and count checks cannot race.
    return Pupil.objects.select_for_update().select_related("user").get(pk=pupil.pk)


def _open_until(pupil: Pupil, opportunity: Opportunity) -> tuple[bool, dt.date | None]:
    return application_deadline(pupil=pupil, starts_on=opportunity.starts_on, ends_on=opportunity.ends_on)


def application_eligibility_problems(*, pupil: Pupil, opportunity: Opportunity, today: dt.date) -> list[str]:
    """Why this pupil cannot apply for this opportunity (empty if they can)."""
    problems = []
    if not opportunity.is_open_to_pupils:
        problems.append("This opportunity is not open for applications.")
    if pupil.parental_consent == ConsentStatus.REFUSED:
        who = "You have" if pupil.is_young_person else "Your parent or carer has"
        problems.append(f"{who} refused consent for work experience.")
    if pupil.age_on(opportunity.starts_on) < opportunity.minimum_age:
        problems.append(f"You must be at least {opportunity.minimum_age} on the first day.")
    overlaps, deadline = _open_until(pupil, opportunity)
    if not overlaps:
        problems.append("Its dates do not overlap your work-experience dates.")
    elif deadline is not None and today > deadline:
        problems.append(f"Applications closed on {deadline:%-d %B %Y}.")
    return problems


def application_submit(
    *, pupil: Pupil, opportunity: Opportunity, now: dt.datetime | None = None
) -> Application:
    """Add an opportunity to the end of the pupil's ranked list."""
    today = timezone.localdate(now or timezone.now())
    limit = settings.MOBILITY["MAX_APPLICATIONS"]
    with transaction.atomic():
        pupil = _lock_pupil(pupil)
        active = Application.objects.filter(pupil=pupil, status=Active)
        if active.filter(opportunity=opportunity).exists():
            raise ValidationError({"opportunity": "You have already applied for this opportunity."})
        if active.count() >= limit:
            raise ValidationError({"opportunity": f"You can apply for up to {limit} opportunities."})
        problems = application_eligibility_problems(pupil=pupil, opportunity=opportunity, today=today)
        if problems:
            raise ValidationError({"opportunity": problems})
        rank = (active.aggregate(top=Max("rank"))["top"] or 0) + 1
        try:
            with transaction.atomic():
                return Application.objects.create(pupil=pupil, opportunity=opportunity, rank=rank)
        except IntegrityError as error:
            raise ValidationError(
                {"opportunity": "You have already applied for this opportunity."}
            ) from error


def _check_ranking_open(applications: list[Application], today: dt.date) -> None:
    for application in applications:
        _, deadline = _open_until(application.pupil, application.opportunity)
        if deadline is not None and today > deadline:
            raise TransitionNotAllowed(f"Ranking closed on {deadline:%-d %B %Y}.")


def application_reorder(
    *, pupil: Pupil, application_ids: list[int], now: dt.datetime | None = None
) -> list[Application]:
    """Re-rank the pupil's active applications: ``application_ids`` in order, first choice first."""
    today = timezone.localdate(now or timezone.now())
    with transaction.atomic():
        pupil = _lock_pupil(pupil)
        active = list(
            Application.objects.filter(pupil=pupil, status=Active).select_related("opportunity", "pupil")
        )
        by_id = {a.pk: a for a in active}
        if len(application_ids) != len(set(application_ids)) or set(application_ids) != set(by_id):
            raise ValidationError(
                {"application_ids": "List each current application once, first choice first."}
            )
        _check_ranking_open(active, today)
        # Two passes so the unique (pupil, rank) constraint never sees a clash mid-way.
        offset = len(active) + 1000
        for application in active:
            Application.objects.filter(pk=application.pk).update(rank=application.rank + offset)
        for rank, pk in enumerate(application_ids, start=1):
            Application.objects.filter(pk=pk).update(rank=rank, updated_at=timezone.now())
            by_id[pk].rank = rank
    return [by_id[pk] for pk in application_ids]


def application_withdraw(
    *, application: Application, reason: str = Application.WithdrawnReason.REMOVED
) -> Application:
    """Withdraw one application; the ones ranked below move up. Allowed at any time."""
    with transaction.atomic():
        _lock_pupil(application.pupil)
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status != Active:
            raise TransitionNotAllowed("This application has already been withdrawn.")
        application.status = Application.Status.WITHDRAWN
        application.withdrawn_reason = reason
        application.save(update_fields=["status", "withdrawn_reason", "updated_at"])
        below = Application.objects.filter(
            pupil_id=application.pupil_id, status=Active, rank__gt=application.rank
        )
        for other in below.order_by("rank"):
            Application.objects.filter(pk=other.pk).update(rank=other.rank - 1, updated_at=timezone.now())
    return application


def applications_close_after(*, pupil_id: int, opportunity_id: int, confirmed: bool) -> None:
    """After an answer: a declined offer closes that application; a confirmed placement closes
    every other one, so no choice is left live that can never be offered."""
    active = Application.objects.filter(pupil_id=pupil_id, status=Active)
    if confirmed:
        closing, reason = active.exclude(opportunity_id=opportunity_id), Application.WithdrawnReason.PLACED
    else:
        closing, reason = (
            active.filter(opportunity_id=opportunity_id),
            Application.WithdrawnReason.OFFER_DECLINED,
        )
    for application in closing.order_by("-rank"):
        application_withdraw(application=application, reason=reason)
