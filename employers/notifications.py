"""Emails about employers: to advisers when a compliance record changes, to an organisation's
contact when an adviser decides its verification, to an address someone tried to sign up again."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail

from employers.models import ComplianceRecord, Employer
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


def verification_decided_send(*, employer_id: int, decided_at: str) -> int:
    """Tell the contact (or, if they have gone, every member) the adviser's decision; returns how
    many were told. A decision replaced since (a refusal reversed) is not sent."""
    employer = Employer.objects.select_related("contact").filter(pk=employer_id).first()
    if employer is None or employer.verification_decided_at is None:
        return 0
    if employer.verification_decided_at != dt.datetime.fromisoformat(decided_at):
        return 0
    contact = employer.contact
    if contact is not None and contact.is_active:
        recipients = [contact.email]
    else:
        recipients = sorted(
            User.objects.filter(employer_member__employer=employer, is_active=True).values_list(
                "email", flat=True
            )
        )
    if employer.is_verified:
        subject = f"{employer.name} is verified on Mobility"
        body = (
            f"An adviser has verified {employer.name}.\n\n"
            "Pupils can now find and apply for the opportunities you publish. "
            "Sign in to Mobility to publish or change them.\n"
        )
    else:
        subject = f"{employer.name} could not be verified on Mobility"
        body = (
            f"An adviser could not verify {employer.name}, so pupils cannot see its opportunities.\n\n"
            f"The reason given:\n{employer.verification_note}\n\n"
            "If you can put this right, reply to your local careers service.\n"
        )
    for email in recipients:
        send_mail(subject[:200], body, settings.DEFAULT_FROM_EMAIL, [email])
    return len(recipients)


def sign_up_existing_send(*, user_id: int) -> int:
    """Someone tried to register an organisation with an address that already has an account."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    body = (
        f"Hello {user.first_name},\n\n"
        "Someone tried to register an organisation on Mobility with this email address, which "
        "already has an account. Nothing was changed.\n\n"
        "If it was you, sign in instead, or reset your password if you have forgotten it.\n"
        "If it was not you, you can ignore this email.\n"
    )
    send_mail("You already have a Mobility account", body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return 1
