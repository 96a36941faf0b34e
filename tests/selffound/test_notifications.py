"""Emails about a placement a pupil found go through the outbox once the change commits."""

from __future__ import annotations

from django.core import mail

from mobility.outbox.models import OutboxMessage
from placements.selffound import notifications, services
from placements.selffound.models import Proposal
from placements.selffound.tasks import outcome_send, ready_to_check_send
from tests import factories as f

from .conftest import CHECKS, Found

REASON = "The pupil's care plan means the travel is too far."


def _run(task_name: str, task) -> int:  # type: ignore[no-untyped-def]
    (message,) = OutboxMessage.objects.filter(task_name=task_name)
    return task(**message.kwargs)  # type: ignore[no-any-return]


def test_school_staff_are_told_once_when_the_employer_has_answered(found: Found) -> None:
    other = f.SchoolStaffFactory.create(school=found.school)
    f.SchoolStaffFactory.create()  # another school's staff hear nothing
    found.propose()
    assert not OutboxMessage.objects.filter(task_name=notifications.READY_TASK).exists()
    services.proposal_withdraw(proposal_id=Proposal.objects.get().pk, actor=found.pupil.user)
    proposal = found.completed()
    assert _run(notifications.READY_TASK, ready_to_check_send) == 2
    assert _run(notifications.READY_TASK, ready_to_check_send) == 0  # a repeat sends nothing
    assert sorted(m.to[0] for m in mail.outbox) == sorted([found.staff.user.email, other.user.email])
    body = mail.outbox[0].body
    assert "Corner Bakery" in body and f"/school/found/{proposal.pk}/" in body


def test_the_employer_hears_the_approval_and_what_happens_next(found: Found) -> None:
    proposal = found.approved()
    assert _run(notifications.OUTCOME_TASK, outcome_send) == 1
    (message,) = [m for m in mail.outbox if m.to == ["pat@bakery.example"]]
    assert "approved the placement" in message.body and "What happens next" in message.body
    assert proposal.pupil.user.last_name not in message.body


def test_a_refusal_is_neutral_and_never_gives_the_pupils_reason(found: Found) -> None:
    proposal = found.completed()
    services.proposal_refuse(proposal_id=proposal.pk, actor=found.staff.user, reason=REASON, checks=CHECKS)
    assert _run(notifications.OUTCOME_TASK, outcome_send) == 1
    (message,) = [m for m in mail.outbox if m.to == ["pat@bakery.example"]]
    assert "decided not to go ahead" in message.body
    assert "care plan" not in message.body
    assert found.pupil.user.first_name not in f"{message.subject} {message.body}"


def test_a_proposal_withdrawn_before_the_email_goes_tells_no_one(found: Found) -> None:
    proposal = found.completed()
    services.proposal_withdraw(proposal_id=proposal.pk, actor=found.pupil.user)
    assert _run(notifications.READY_TASK, ready_to_check_send) == 0
    assert mail.outbox == []
