"""Changes to a live placement: the employer asks, an adviser approves or refuses.

On approval the change is applied and every pupil holding an offer or place there goes
back to answering the offer (``placement_change``): they accept again or decline, which
frees the seat. The pupils and their schools are told on commit.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from employers import services as employer_services
from employers.models import Opportunity, Site
from mobility.accounts.models import Role
from mobility.errors import required_text
from mobility.outbox.services import outbox_enqueue
from mobility.permissions import role_of, school_ids_of, scope_by_role
from placements.models import Match, MatchStatus

from .exceptions import ActionNotPermitted, TransitionNotAllowed
from .models import ChangeRequest
from .services import _move, lock_match
from .transitions import Event

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from mobility.accounts.models import User

CHANGE_REASON = "placement_changed"
LIVE_HERE = (MatchStatus.OFFERED, MatchStatus.EMPLOYER_CONFIRMED, MatchStatus.ACCEPTED, MatchStatus.CONFIRMED)


def change_requests_for_user(*, user: User | AnonymousUser) -> QuerySet[ChangeRequest]:
    """Members their organisation's; advisers those touching their schools' pupils; admins all."""
    base = ChangeRequest.objects.select_related("opportunity__employer", "requested_by", "decided_by")
    if role_of(user) == Role.ADVISER:
        return base.filter(opportunity__matches__pupil__school_id__in=school_ids_of(user)).distinct()
    return scope_by_role(base, user, employer="opportunity__employer_id")


def _as_json(name: str, value: Any) -> Any:
    if name == "site":
        return value.pk if isinstance(value, Site) else value
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value) if value is not None else None


def _from_json(name: str, value: Any) -> Any:
    if name == "site":
        return Site.objects.get(pk=value)
    field = Opportunity._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field.to_python(value)


def change_request_create(
    *, opportunity: Opportunity, actor: User, data: dict[str, Any], reason: str
) -> ChangeRequest:
    """Record an employer's request; the values are checked now as they would be on approval."""
    reason = required_text(reason, field="reason", message="Say why the placement needs to change.")
    wanted = {k: v for k, v in data.items() if k in employer_services.LOCKED_FIELDS}
    if (
        "site" in wanted
        and wanted["site"] is not None
        and wanted["site"].employer_id != opportunity.employer_id
    ):
        raise ValidationError({"site": "Choose one of your own sites."})
    with transaction.atomic():
        opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        before = employer_services.locked_values(opportunity)
        trial = Opportunity.objects.get(pk=opportunity.pk)
        for name, value in wanted.items():
            setattr(trial, name, value)
        after = employer_services.locked_values(trial)
        changed = {name: _as_json(name, wanted[name]) for name in wanted if before[name] != after[name]}
        if not changed:
            raise ValidationError("Nothing would change: give the new dates, site, hours or minimum age.")
        employer_services.opportunity_check(
            opportunity=trial, dates_before=(opportunity.starts_on, opportunity.ends_on)
        )
        request = ChangeRequest(
            opportunity=opportunity,
            proposed=changed,
            previous={name: _as_json(name, before[name]) for name in changed},
            reason=reason,
            requested_by=actor,
        )
        request.full_clean()
        try:
            with transaction.atomic():
                request.save()
        except IntegrityError as error:
            raise TransitionNotAllowed(
                "A change to this placement is already waiting for an adviser."
            ) from error
    return request


def _lock_pending(request_id: int) -> ChangeRequest:
    request = ChangeRequest.objects.select_for_update().select_related("opportunity").get(pk=request_id)
    if request.status != ChangeRequest.Status.PENDING:
        raise TransitionNotAllowed(f"This change has already been {request.get_status_display().lower()}.")
    return request


def _check_adviser(actor: User) -> None:
    if role_of(actor) not in (Role.ADVISER, Role.ADMIN):
        raise ActionNotPermitted("Only a careers adviser can decide on a change to a placement.")


def change_request_approve(
    *, request_id: int, actor: User, note: str = "", now: dt.datetime | None = None
) -> ChangeRequest:
    """Apply the change and send every pupil holding it back to answering the offer."""
    _check_adviser(actor)
    now = now or timezone.now()
    with transaction.atomic():
        request = _lock_pending(request_id)
        data = {name: _from_json(name, value) for name, value in request.proposed.items()}
        employer_services.opportunity_update(opportunity=request.opportunity, data=data, approved_change=True)
        match_ids = list(
            Match.objects.filter(opportunity_id=request.opportunity_id, status__in=LIVE_HERE).values_list(
                "pk", flat=True
            )
        )
        for match_id in match_ids:
            match = lock_match(match_id)
            if match.status == MatchStatus.EMPLOYER_CONFIRMED:
                # Already waiting for the pupil's answer: restart the clock on the new details.
                Match.objects.filter(pk=match.pk).update(status_changed_at=now)
            else:
                _move(
                    match=match,
                    event=Event.PLACEMENT_CHANGE,
                    actor=actor,
                    now=now,
                    reason=CHANGE_REASON,
                    note=f"Change request {request.pk}",
                )
        request.status = ChangeRequest.Status.APPROVED
        request.decided_by, request.decided_at, request.decision_note = actor, now, note.strip()
        request.full_clean()
        request.save()
        outbox_enqueue(
            task_name="placements.lifecycle.tasks.notify_placement_change",
            kwargs={"request_id": request.pk},
            dedup_key=f"notify:change-request:{request.pk}",
        )
    return request


def change_request_refuse(
    *, request_id: int, actor: User, note: str, now: dt.datetime | None = None
) -> ChangeRequest:
    _check_adviser(actor)
    note = required_text(
        note, field="note", message="Say why the change is refused; the employer will read it."
    )
    with transaction.atomic():
        request = _lock_pending(request_id)
        request.status = ChangeRequest.Status.REFUSED
        request.decided_by, request.decided_at = actor, now or timezone.now()
        request.decision_note = note
        request.full_clean()
        request.save()
    return request
