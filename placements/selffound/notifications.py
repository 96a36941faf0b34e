"""Emails about a placement a pupil found, sent from the outbox once the change commits.

- School staff of the pupil's school: the employer has done its part, the placement is ready
  to check.
- The employer's contact: the outcome of the school's check. A refusal is neutral: the reason
  is written for the pupil and may touch on the pupil's own circumstances, and there is no
  part of it written for the employer, so it is never sent; the employer can ask the school.

Each recipient is told once per event (``NotificationSent``), so a task run twice sends once.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from placements.lifecycle.models import NotificationSent
from placements.selectors import school_shown_to_employer
from schools.models import SchoolStaff

from .models import Proposal, ProposalStatus

READY_TASK = "placements.selffound.tasks.ready_to_check_send"
OUTCOME_TASK = "placements.selffound.tasks.outcome_send"


def link_key(proposal_id: int) -> str:
    return f"self-found-link:{proposal_id}"


def ready_key(proposal_id: int) -> str:
    return f"self-found-ready:{proposal_id}"


def outcome_key(proposal_id: int) -> str:
    return f"self-found-outcome:{proposal_id}"


def event_keys(proposal_id: int) -> list[str]:
    return [link_key(proposal_id), ready_key(proposal_id), outcome_key(proposal_id)]


def _send_once(key: str, recipient: str, subject: str, body: str) -> bool:
    with transaction.atomic():
        _, created = NotificationSent.objects.get_or_create(
            event_key=key, recipient=recipient, defaults={"subject": subject[:200]}
        )
        if created:
            send_mail(subject[:200], body, settings.DEFAULT_FROM_EMAIL, [recipient])
    return created


def ready_to_check_send(*, proposal_id: int) -> int:
    """Tell the pupil's school staff the employer has answered; returns how many were told."""
    proposal = Proposal.objects.select_related("pupil__user", "pupil__school").filter(pk=proposal_id).first()
    if proposal is None or proposal.status != ProposalStatus.AWAITING_VETTING:
        return 0  # withdrawn (or already checked) before the message went
    recipients = sorted(
        SchoolStaff.objects.filter(school_id=proposal.pupil.school_id, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    pages = "youth" if proposal.pupil.school.is_youth_service else "school"
    link = settings.SITE_URL.rstrip("/") + reverse(f"{pages}:found", kwargs={"pk": proposal.pk})
    subject = "A placement a pupil found is ready for your checks"
    body = (
        f"{proposal.employer_name} has sent its placement details, insurance and risk assessment "
        f"for {proposal.pupil.user.get_full_name()}'s placement from {proposal.starts_on:%-d %B} to "
        f"{proposal.ends_on:%-d %B %Y}.\n\n"
        f"Please check health and safety and safeguarding, then approve or refuse it:\n{link}\n"
    )
    return sum(_send_once(ready_key(proposal.pk), email, subject, body) for email in recipients)


def outcome_send(*, proposal_id: int) -> int:
    """Tell the employer's contact the school's decision; returns 1 if sent now, else 0."""
    proposal = Proposal.objects.select_related("pupil__school").filter(pk=proposal_id).first()
    if proposal is None or proposal.status not in (ProposalStatus.APPROVED, ProposalStatus.REFUSED):
        return 0
    if not proposal.contact_email:
        return 0  # the pupil's record was erased before the message went
    school = school_shown_to_employer(proposal.pupil)
    young = proposal.pupil.school.is_youth_service
    agrees = "the young person confirms it" if young else "the pupil's parent or carer gives consent"
    contact = "us" if young else "the school"
    if proposal.status == ProposalStatus.APPROVED:
        subject = f"{school} has checked the work experience placement at {proposal.employer_name}"
        body = (
            f"Hello {proposal.contact_name},\n\n"
            f"Thank you for the placement details. {school} has checked them and approved the "
            f"placement from {proposal.starts_on:%-d %B} to {proposal.ends_on:%-d %B %Y}.\n\n"
            "What happens next: before it starts, a careers adviser verifies your insurance and risk "
            f"assessment and approves the placement, and {agrees}. "
            f"You do not need to do anything now; if you have questions, please contact {contact}.\n"
        )
    else:
        subject = f"The work experience placement at {proposal.employer_name} will not go ahead"
        body = (
            f"Hello {proposal.contact_name},\n\n"
            f"Thank you for the placement details. {school} has decided not to go ahead with this "
            "placement, so there is nothing more for you to do.\n\n"
            f"If you have questions, please contact {contact}.\n"
        )
    return int(_send_once(outcome_key(proposal.pk), proposal.contact_email, subject, body))
