"""Writes for accounts: inviting people, and setting a password through an invitation.

A new account has no usable password. Its owner sets one through a single-use invitation that
expires: a link sent by email, or a code printed on a class sheet for pupils with no reachable
email address. Sending a new invitation replaces the person's outstanding ones.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import NotRequired, TypedDict, TypeVar, Unpack

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mobility.accounts import tokens
from mobility.accounts.models import Invitation, Role, User
from mobility.accounts.tokens import token_digest, token_new
from mobility.errors import Invalid

log = logging.getLogger(__name__)
T = TypeVar("T")

# No 0/O, 1/I/L: a pupil copies the code from paper.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


class Invitee(TypedDict):
    """A colleague being invited, and who invites them: what each app's invite passes through."""

    email: str
    first_name: str
    last_name: str
    invited_by: User
    site_url: NotRequired[str | None]


class InvitationRefused(Invalid):
    """A link or code that cannot be used; ``reason`` says why, for the page that explains."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message, code=f"invitation_{reason}")
        self.reason = reason


@dataclass(frozen=True)
class IssuedInvitation:
    """An invitation with its plain token and code, which exist only here."""

    invitation: Invitation
    token: str
    code: str

    @property
    def path(self) -> str:
        return reverse("invitation", kwargs={"token": self.token})


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def valid_for() -> dt.timedelta:
    return dt.timedelta(days=settings.MOBILITY["INVITATION_VALID_DAYS"])


def invitation_send(
    *,
    user: User,
    sent_by: User | None = None,
    by_email: bool = True,
    site_url: str | None = None,
    now: dt.datetime | None = None,
) -> IssuedInvitation:
    """Invite ``user`` to set a password, replacing their outstanding invitations.

    With ``by_email`` the link is emailed once the transaction commits; without, the caller
    shows the code (a printed class sheet).
    """
    now = now or timezone.now()
    token, token_hash = token_new()
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    with transaction.atomic():
        Invitation.objects.filter(user=user, used_at=None, revoked_at=None).update(revoked_at=now)
        invitation = Invitation.objects.create(
            user=user,
            token_hash=token_hash,
            code_hash=token_digest(code),
            sent_by=sent_by,
            created_at=now,
            expires_at=now + valid_for(),
        )
        issued = IssuedInvitation(invitation=invitation, token=token, code=format_code(code))
        if by_email:
            transaction.on_commit(partial(_email, [_message(issued, site_url)]))
    log.info("Invitation %s sent to user %s by user %s", invitation.pk, user.pk, sent_by and sent_by.pk)
    return issued


def invitations_send(
    *, users: Iterable[User], sent_by: User | None = None, site_url: str | None = None
) -> list[IssuedInvitation]:
    """Invite many people at once (an import, a resend to everyone), in one batch of emails."""
    messages: list[EmailMessage] = []
    issued: list[IssuedInvitation] = []
    with transaction.atomic():
        for user in users:
            one = invitation_send(user=user, sent_by=sent_by, by_email=False, site_url=site_url)
            issued.append(one)
            messages.append(_message(one, site_url))
        transaction.on_commit(partial(_email, messages))
    return issued


def user_invite(
    *,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    invited_by: User | None,
    site_url: str | None = None,
) -> User:
    """Create an account with no usable password and invite its owner to set one."""
    if role not in Role.values:
        raise Invalid(f"Choose one of: {', '.join(Role.values)}.", field="role")
    with transaction.atomic():
        user = User.objects.create_user(
            email=email, password=None, first_name=first_name, last_name=last_name, role=role
        )
        invitation_send(user=user, sent_by=invited_by, site_url=site_url)
    return user


def colleague_invite(*, role: str, attach: Callable[[User], T], **invitee: Unpack[Invitee]) -> T:
    """A colleague's account in ``role``, invited to set a password, and ``attach`` linking it to
    the inviter's school or organisation: all or nothing."""
    with transaction.atomic():
        return attach(user_invite(role=role, **invitee))


def invitation_by_token(*, token: str, now: dt.datetime | None = None) -> Invitation:
    """The invitation behind a link, or ``InvitationRefused`` saying why it cannot be used."""
    invitation = Invitation.objects.select_related("user").filter(token_hash=token_digest(token)).first()
    if invitation is None:
        raise InvitationRefused("unknown", "This link is not valid. Check it was copied in full.")
    _check_usable(invitation, now or timezone.now())
    return invitation


def invitation_by_code(*, email: str, code: str, now: dt.datetime | None = None) -> Invitation:
    """The invitation a printed code belongs to, for the account with ``email``."""
    wanted = token_digest(normalise_code(code))
    candidates = Invitation.objects.select_related("user").filter(
        user__email__iexact=email.strip(), code_hash__gt=""
    )
    for invitation in candidates:
        if hmac.compare_digest(invitation.code_hash, wanted):
            _check_usable(invitation, now or timezone.now())
            return invitation
    raise InvitationRefused("unknown", "Enter the email address and activation code printed on your sheet")


def invitation_check(*, invitation: Invitation, now: dt.datetime | None = None) -> None:
    """Raise ``InvitationRefused`` unless the invitation can still be used."""
    _check_usable(invitation, now or timezone.now())


REFUSALS = {
    tokens.USED: "This invitation has already been used. Sign in with the password you set.",
    tokens.REPLACED: "This invitation was replaced by a newer one. Use the most recent one you were given.",
    tokens.EXPIRED: "This invitation has expired. Ask whoever invited you to send a new one.",
}


def _check_usable(invitation: Invitation, now: dt.datetime) -> None:
    reason = invitation.refusal(now)
    if reason is not None:
        raise InvitationRefused(reason, REFUSALS[reason])


def invitation_accept(*, invitation: Invitation, password: str, now: dt.datetime | None = None) -> User:
    """Set the invited person's password, once. Django's password validators apply."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
        _check_usable(locked, now)  # again, under the lock: two tabs cannot both use it
        user = locked.user
        validate_password(password, user)
        user.set_password(password)
        user.save(update_fields=["password"])
        Invitation.objects.filter(user=user, used_at=None).update(used_at=now)
    log.info("Invitation %s accepted by user %s", invitation.pk, user.pk)
    return user


def _message(issued: IssuedInvitation, site_url: str | None) -> EmailMessage:
    user = issued.invitation.user
    link = (site_url or settings.SITE_URL).rstrip("/") + issued.path
    days = settings.MOBILITY["INVITATION_VALID_DAYS"]
    body = (
        f"Hello {user.first_name},\n\n"
        "An account has been made for you on Mobility, where pupils find work experience close "
        "to home.\n\n"
        f"Set your password here (the link works once, for {days} days):\n{link}\n\n"
        "If you did not expect this email, you can ignore it.\n"
    )
    return EmailMessage("Set your Mobility password", body, settings.DEFAULT_FROM_EMAIL, [user.email])


def _email(messages: list[EmailMessage]) -> None:
    if messages:
        get_connection().send_messages(messages)
