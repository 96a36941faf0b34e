"""Writes for placements pupils find: propose, the employer's part through a link, the school's check.

Approval makes the employer (or uses the one staff chose), its site and compliance record, a
one-seat opportunity reserved for the pupil (closed, so no search, run or refill offers it to
anyone else) and a proposed match in a run of its own; from there the lifecycle's own services
and transitions take it (see ``placements.lifecycle.services._agree_self_found``).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from employers import services as employers
from employers.models import ComplianceRecord, Employer, Opportunity
from mobility.accounts import tokens
from mobility.errors import Invalid, NotPermitted, required_text
from mobility.outbox.services import outbox_enqueue
from mobility.permissions import pupil_id_of, staff_school_id_of, youth_service_id_of
from placements.lifecycle.follow_up import notification_record
from placements.lifecycle.models import NotificationSent
from placements.lifecycle.refill import side_run_create
from placements.models import LIVE_STATUSES, Match, MatchStatus, MatchStatusChange
from placements.selectors import who_for_employer
from schools.models import Pupil
from schools.selectors import windows_overlapping

from . import notifications
from .models import OPEN_STATUSES, EmployerLink, Proposal, ProposalStatus
from .selectors import employer_candidates

if TYPE_CHECKING:
    from mobility.accounts.models import User

log = logging.getLogger(__name__)

PUPIL_FIELDS = (
    "employer_name",
    "contact_name",
    "contact_email",
    "contact_phone",
    "address",
    "postcode",
    "starts_on",
    "ends_on",
    "pupil_plans",
)
EMPLOYER_FIELDS = (
    "sector",
    "site_name",
    "step_free_access",
    "daily_hours",
    "supervisor_name",
    "supervisor_role",
    "duties",
    "insurer",
    "insurance_policy_number",
    "insurance_expires_on",
    "risk_assessment_on",
)
LINK_TASK = "placements.selffound.tasks.employer_link_send"
NEW_EMPLOYER = "new"


class LinkRefused(Invalid):
    """An employer link that cannot be used; ``reason`` is a ``tokens`` refusal or ``unknown``."""

    def __init__(self, reason: str) -> None:
        super().__init__(LINK_REFUSALS[reason], code=f"link_{reason}")
        self.reason = reason


WITHDRAWN = "withdrawn"
LINK_REFUSALS = {
    tokens.UNKNOWN: "This link is not valid. Check it was copied in full.",
    WITHDRAWN: "The pupil has withdrawn this request, so there is nothing more to do. Thank you.",
    tokens.USED: "This link has already been used: the placement details were sent to the school.",
    tokens.REPLACED: "This link was replaced by a newer one. Use the most recent email you were sent.",
    tokens.EXPIRED: "This link has expired. Ask the pupil's school to send a new one.",
}


def _assign(proposal: Proposal, fields: tuple[str, ...], data: dict[str, Any]) -> None:
    for name in fields:
        if name in data:
            setattr(proposal, name, data[name])


def proposal_problems(*, proposal: Proposal, today: dt.date) -> dict[str, str]:
    """The pupil's dates against the placement rules and the pupil's work-experience windows."""
    problems = employers.placement_dates_problems(
        starts_on=proposal.starts_on, ends_on=proposal.ends_on, today=today
    )
    if not problems and not windows_overlapping(
        pupil=proposal.pupil, starts_on=proposal.starts_on, ends_on=proposal.ends_on
    ):
        problems["starts_on"] = "The dates must overlap your school's work-experience dates for your year."
    return problems


def proposal_submit(*, pupil: Pupil, data: dict[str, Any], now: dt.datetime | None = None) -> Proposal:
    """A pupil proposes a workplace they (or their family) found; the employer is emailed a link."""
    now = now or timezone.now()
    with transaction.atomic():
        pupil = Pupil.objects.select_for_update().get(pk=pupil.pk)  # one proposal at a time
        if Proposal.objects.filter(pupil=pupil, status__in=OPEN_STATUSES).exists():
            raise ValidationError("You already have a placement you found waiting to be checked.")
        if Match.objects.filter(pupil=pupil, status__in=LIVE_STATUSES).exists():
            raise ValidationError("You already have a placement, so you cannot propose another.")
        proposal = Proposal(pupil=pupil)
        _assign(proposal, PUPIL_FIELDS, data)
        proposal.full_clean(exclude=["pupil", *EMPLOYER_FIELDS])  # also locates the postcode
        employers.located_check_served(located=proposal)
        problems = proposal_problems(proposal=proposal, today=timezone.localdate(now))
        if problems:
            raise ValidationError(problems)
        try:
            with transaction.atomic():
                proposal.save()
        except IntegrityError as error:  # two tabs at once
            raise ValidationError("You already have a placement you found waiting to be checked.") from error
        outbox_enqueue(
            task_name=LINK_TASK, kwargs={"proposal_id": proposal.pk}, dedup_key=_link_key(proposal)
        )
    log.info("Self-found proposal %s made by pupil %s", proposal.pk, pupil.pk)
    return proposal


def _link_key(proposal: Proposal) -> str:
    return notifications.link_key(proposal.pk)


def proposal_withdraw(*, proposal_id: int, actor: User, now: dt.datetime | None = None) -> Proposal:
    """The pupil takes back a proposal not yet decided (the employer never answered, plans
    changed); the employer's link stops working and the pupil may propose another."""
    now = now or timezone.now()
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal_id)
        if pupil_id_of(actor) != proposal.pupil_id:
            raise NotPermitted("Only the pupil who proposed this placement can withdraw it.")
        if proposal.status not in OPEN_STATUSES:
            raise ValidationError(
                f"This placement is {proposal.get_status_display().lower()}, so it cannot be withdrawn."
            )
        proposal.status = ProposalStatus.WITHDRAWN
        proposal.save(update_fields=["status"])
        EmployerLink.objects.filter(proposal=proposal, used_at=None, revoked_at=None).update(revoked_at=now)
    return proposal


def employer_link_send(*, proposal_id: int, now: dt.datetime | None = None) -> bool:
    """Email the employer's contact a single-use link, once per proposal (a repeat sends nothing)."""
    now = now or timezone.now()
    with transaction.atomic():
        proposal = (
            Proposal.objects.select_for_update()
            .select_related("pupil__user", "pupil__school")
            .get(pk=proposal_id)
        )
        if proposal.status != ProposalStatus.AWAITING_EMPLOYER:
            return False
        subject = f"A pupil has asked to do work experience with {proposal.employer_name}"[:200]
        _, created = NotificationSent.objects.get_or_create(
            event_key=_link_key(proposal), recipient=proposal.contact_email, defaults={"subject": subject}
        )
        if not created:
            return False
        token = employer_link_issue(proposal=proposal, now=now)
        link = settings.SITE_URL.rstrip("/") + reverse("self_found_employer", kwargs={"token": token})
        days = settings.MOBILITY["INVITATION_VALID_DAYS"]
        pupil = proposal.pupil
        body = (
            f"Hello {proposal.contact_name},\n\n"
            f"{pupil.user.first_name}, {who_for_employer(pupil)}, would like to "
            f"do work experience with {proposal.employer_name} from {proposal.starts_on:%-d %B} to "
            f"{proposal.ends_on:%-d %B %Y}.\n\n"
            "Please tell us about the placement and your insurance and risk assessment here "
            f"(no account needed; the link works once, for {days} days):\n{link}\n\n"
            "If you did not expect this email, you can ignore it.\n"
        )
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [proposal.contact_email])
    return True


def employer_link_issue(*, proposal: Proposal, now: dt.datetime | None = None) -> str:
    """A new link for the proposal, replacing outstanding ones; returns the plain token."""
    now = now or timezone.now()
    token, digest = tokens.token_new()
    with transaction.atomic():
        EmployerLink.objects.filter(proposal=proposal, used_at=None, revoked_at=None).update(revoked_at=now)
        EmployerLink.objects.create(
            proposal=proposal,
            token_hash=digest,
            created_at=now,
            expires_at=now + dt.timedelta(days=settings.MOBILITY["INVITATION_VALID_DAYS"]),
        )
    return token


def employer_link_open(*, token: str, now: dt.datetime | None = None) -> EmployerLink:
    """The link behind a token, or ``LinkRefused`` saying why it cannot be used."""
    link = (
        EmployerLink.objects.select_related("proposal__pupil__user", "proposal__pupil__school")
        .filter(token_hash=tokens.token_digest(token))
        .first()
    )
    if link is None:
        raise LinkRefused(tokens.UNKNOWN)
    if link.proposal.status == ProposalStatus.WITHDRAWN:
        raise LinkRefused(WITHDRAWN)
    reason = link.refusal(now or timezone.now())
    if reason is not None:
        raise LinkRefused(reason)
    return link


def proposal_employer_complete(
    *, link: EmployerLink, data: dict[str, Any], now: dt.datetime | None = None
) -> Proposal:
    """The employer's placement details and compliance, sent once through the link."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        link = EmployerLink.objects.select_for_update().get(pk=link.pk)
        reason = link.refusal(now)  # again, under the lock: two tabs cannot both use it
        if reason is not None:
            raise LinkRefused(reason)
        proposal = Proposal.objects.select_for_update().get(pk=link.proposal_id)
        if proposal.status == ProposalStatus.WITHDRAWN:
            raise LinkRefused(WITHDRAWN)
        if proposal.status != ProposalStatus.AWAITING_EMPLOYER:
            raise LinkRefused(tokens.USED)
        _assign(proposal, EMPLOYER_FIELDS, data)
        _check_employer_part(proposal, today)
        proposal.full_clean(exclude=["pupil"])
        proposal.status = ProposalStatus.AWAITING_VETTING
        proposal.employer_completed_at = now
        proposal.save()
        link.used_at = now
        link.save(update_fields=["used_at"])
        _notify(notifications.READY_TASK, notifications.ready_key(proposal.pk), proposal)
    return proposal


def _notify(task_name: str, key: str, proposal: Proposal) -> None:
    outbox_enqueue(task_name=task_name, kwargs={"proposal_id": proposal.pk}, dedup_key=key)


def _check_employer_part(proposal: Proposal, today: dt.date) -> None:
    required = {
        "sector": "Choose the kind of work you do",
        "site_name": "Enter the name of the workplace",
        "daily_hours": "Enter the hours a day",
        "supervisor_name": "Enter the supervisor's name",
        "duties": "Say what the pupil will do",
        "insurer": "Enter your employer's liability insurer",
        "insurance_policy_number": "Enter the policy number",
        "insurance_expires_on": "Enter when the insurance expires",
        "risk_assessment_on": "Enter the date of your risk assessment for young workers",
    }
    problems = {name: text for name, text in required.items() if getattr(proposal, name) in (None, "")}
    expires, assessed = proposal.insurance_expires_on, proposal.risk_assessment_on
    if expires and expires < proposal.ends_on:
        problems["insurance_expires_on"] = "The insurance must cover the placement's last day"
    if assessed and assessed > today:
        problems["risk_assessment_on"] = "The risk assessment date cannot be in the future"
    elif assessed and assessed + settings.MOBILITY["RISK_ASSESSMENT_VALID_FOR"] < proposal.ends_on:
        problems["risk_assessment_on"] = "The risk assessment is too old to cover the placement"
    if problems:
        raise ValidationError(problems)


def _lock_for_vetting(proposal_id: int, actor: User) -> Proposal:
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("pupil__user", "pupil__school__local_authority")
        .get(pk=proposal_id)
    )
    if proposal.pupil.school_id not in (staff_school_id_of(actor), youth_service_id_of(actor)):
        raise NotPermitted("Only the pupil's school or youth service can check this placement.")
    if proposal.status != ProposalStatus.AWAITING_VETTING:
        raise ValidationError(
            f"This placement is {proposal.get_status_display().lower()}, not waiting for checks."
        )
    return proposal


def _record_check(proposal: Proposal, actor: User, now: dt.datetime, checks: dict[str, Any]) -> None:
    proposal.health_and_safety_checked = bool(checks.get("health_and_safety_checked"))
    proposal.safeguarding_checked = bool(checks.get("safeguarding_checked"))
    proposal.vetting_note = str(checks.get("note", "")).strip()
    proposal.vetted_by, proposal.vetted_at = actor, now


def proposal_refuse(
    *, proposal_id: int, actor: User, reason: str, checks: dict[str, Any], now: dt.datetime | None = None
) -> Proposal:
    """The school does not approve the workplace; ``reason`` is shown to the pupil."""
    reason = required_text(reason, field="refusal_reason", message="Say why, in words the pupil can read")
    now = now or timezone.now()
    with transaction.atomic():
        proposal = _lock_for_vetting(proposal_id, actor)
        _record_check(proposal, actor, now, checks)
        proposal.status, proposal.refusal_reason = ProposalStatus.REFUSED, reason
        proposal.full_clean(exclude=["pupil"])
        proposal.save()
        _notify(notifications.OUTCOME_TASK, notifications.outcome_key(proposal.pk), proposal)
    return proposal


def proposal_approve(
    *,
    proposal_id: int,
    actor: User,
    checks: dict[str, Any],
    employer_choice: str = "",
    now: dt.datetime | None = None,
) -> Proposal:
    """The school's checks passed: make the placement and propose it for the adviser's approval.

    ``employer_choice`` is ``"new"`` or the id of an existing employer with the same name and
    postcode; staff must choose when there is one.
    """
    now = now or timezone.now()
    with transaction.atomic():
        proposal = _lock_for_vetting(proposal_id, actor)
        _record_check(proposal, actor, now, checks)
        if not (proposal.health_and_safety_checked and proposal.safeguarding_checked):
            raise ValidationError(
                {"health_and_safety_checked": "Record both checks before approving, or refuse with a reason"}
            )
        if Match.objects.filter(pupil=proposal.pupil, status__in=LIVE_STATUSES).exists():
            raise ValidationError("This pupil already holds a placement; refuse this one with a reason.")
        employer = _employer_for(proposal, employer_choice)
        site = employer.sites.filter(postcode=proposal.postcode).first() or employers.site_save(
            employer=employer,
            data={
                "name": proposal.site_name,
                "address": proposal.address,
                "postcode": proposal.postcode,
                "step_free_access": proposal.step_free_access,
            },
        )
        if not ComplianceRecord.objects.filter(employer=employer).exists():
            # Counts for approval only once an adviser verifies it, as for every employer.
            employers.compliance_save(
                employer=employer,
                data={
                    name: getattr(proposal, name)
                    for name in employers.COMPLIANCE_FIELDS
                    if name != "safeguarding_checks"
                },
                actor=actor,
                checker=False,
                now=now,
            )
        opportunity = employers.opportunity_create(
            employer=employer,
            reserved=True,
            data={
                "site": site,
                "title": f"Work experience at {employer.name}"[:200],
                "description": proposal.duties,
                "sector": proposal.sector,
                "capacity": 1,
                "starts_on": proposal.starts_on,
                "ends_on": proposal.ends_on,
                "daily_hours": proposal.daily_hours,
                "minimum_age": 13,
            },
        )
        proposal.opportunity, proposal.match = opportunity, _propose(proposal, opportunity, actor, now)
        proposal.status = ProposalStatus.APPROVED
        proposal.full_clean(exclude=["pupil"])
        proposal.save()
        _notify(notifications.OUTCOME_TASK, notifications.outcome_key(proposal.pk), proposal)
    return proposal


def _employer_for(proposal: Proposal, choice: str) -> Employer:
    candidates = {str(e.pk): e for e in employer_candidates(proposal=proposal)}
    if choice == NEW_EMPLOYER or (not candidates and not choice):
        assert proposal.sector is not None  # the employer's part requires it
        return employers.employer_create(name=proposal.employer_name, sector=proposal.sector)
    if choice in candidates:
        return candidates[choice]
    raise ValidationError(
        {
            "employer_choice": f"{proposal.employer_name} is already on Mobility at {proposal.postcode}: "
            "choose whether this is the same employer"
        }
    )


def _propose(proposal: Proposal, opportunity: Opportunity, actor: User, now: dt.datetime) -> Match:
    """A proposed match in a run of its own, as a refill makes: advisers approve it as any other."""
    run = side_run_create(
        region=proposal.pupil.school.local_authority.region,
        parameters={"self_found": {"proposal_id": proposal.pk}},
        now=now,
        created_by=actor,
    )
    match = Match.objects.create(
        run=run,
        pupil=proposal.pupil,
        opportunity=opportunity,
        rank=1,
        explanation="You found this placement yourself and "
        + ("your youth worker" if proposal.pupil.school.is_youth_service else "your school")
        + " has checked it.",
    )
    change = MatchStatusChange.objects.create(
        match=match, to_status=MatchStatus.PROPOSED, changed_by=actor, reason="self_found"
    )
    notification_record(change=change)
    return match
