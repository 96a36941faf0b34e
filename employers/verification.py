"""An organisation's verification: pupils see nothing of it until an adviser of its region has
verified it, saying what they checked, or refused it, saying why.

Each decision is one service that locks the row and checks ``DECISIONS``, the one table of the
states it may start from. The row is on the audit trail; the contact hears of the outcome
through the outbox once the decision commits.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from employers.models import Employer
from employers.selectors import email_confirmed, employers_for_verification
from mobility.errors import Conflict, NotPermitted, required_text
from mobility.outbox.services import outbox_enqueue

if TYPE_CHECKING:
    from mobility.accounts.models import User

log = logging.getLogger(__name__)
V = Employer.Verification

# The decision, and the states it may be taken from. A refusal can be reversed once the
# organisation has put things right; a verification is final (closing opportunities is how an
# organisation stops).
DECISIONS: dict[str, frozenset[str]] = {
    V.VERIFIED: frozenset({V.PENDING, V.REFUSED}),
    V.REFUSED: frozenset({V.PENDING}),
}
NOTE_NEEDED: dict[str, str] = {
    V.VERIFIED: "Say what you checked, for example the Companies House record and a call to the contact",
    V.REFUSED: "Give the reason for refusing; the organisation is told it",
}


def employer_verify(
    *, employer: Employer, actor: User, note: str, now: dt.datetime | None = None
) -> Employer:
    """Pupils may now see the organisation's published opportunities."""
    return _decide(employer=employer, decision=V.VERIFIED, actor=actor, note=note, now=now)


def employer_refuse(
    *, employer: Employer, actor: User, reason: str, now: dt.datetime | None = None
) -> Employer:
    """Its opportunities stay hidden from pupils; the contact is told ``reason``."""
    return _decide(employer=employer, decision=V.REFUSED, actor=actor, note=reason, now=now)


def _decide(
    *, employer: Employer, decision: str, actor: User, note: str, now: dt.datetime | None
) -> Employer:
    note = required_text(note, field="note", message=NOTE_NEEDED[decision])
    now = now or timezone.now()
    with transaction.atomic():
        scope = employers_for_verification(user=actor)
        locked = scope.select_for_update().filter(pk=employer.pk).first()
        if locked is None:
            raise NotPermitted("Only an adviser for the organisation's region can decide this.")
        if locked.verification_status not in DECISIONS[decision]:
            raise Conflict(
                f"{locked.name} is already {locked.get_verification_status_display().lower()}.",
                code="verification_decided",
            )
        # One made in the admin site may have no members yet; a sign-up always has its contact.
        has_members = locked.members.exists()
        if has_members and not Employer.objects.filter(email_confirmed(), pk=locked.pk).exists():
            raise Conflict(
                f"{locked.name}'s contact has not yet confirmed their email address.",
                code="email_not_confirmed",
            )
        locked.verification_status = decision
        locked.verification_decided_by = actor
        locked.verification_decided_at = now
        locked.verification_note = note
        locked.full_clean(exclude=["contact"])
        locked.save(
            update_fields=[
                "verification_status",
                "verification_decided_by",
                "verification_decided_at",
                "verification_note",
            ]
        )
        outbox_enqueue(
            task_name="employers.tasks.notify_verification_decided",
            kwargs={"employer_id": locked.pk, "decided_at": now.isoformat()},
            dedup_key=f"employer-verification:{locked.pk}:{now.isoformat()}",
        )
    log.info("Employer %s %s by user %s", locked.pk, decision, actor.pk)
    return locked
