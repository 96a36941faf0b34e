"""Emails to advisers about an employer's compliance record."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail

from employers.models import ComplianceRecord
from mobility.accounts.models import Role, User


def compliance_changed_send(*, record_id: int) -> int:
    """Tell every active adviser that a record awaits verification; returns how many were told."""
    record = ComplianceRecord.objects.select_related("employer").filter(pk=record_id).first()
    if record is None or record.is_verified:
        return 0  # verified (or gone) before the message went: nothing to ask for
    recipients = sorted(
        User.objects.filter(role=Role.ADVISER, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    subject = f"{record.employer.name} changed its compliance record: please verify it"[:200]
    body = (
        f"{record.employer.name} has changed its insurance, risk assessment or supervisor details.\n"
        "Its placements cannot be approved until an adviser has seen the evidence and verified it.\n\n"
        "Sign in to Mobility and open Compliance to verify."
    )
    for email in recipients:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
    return len(recipients)
