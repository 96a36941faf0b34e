"""Two-factor sign-in: who needs it, and the writes that enrol, verify and remove a second factor.

A second factor is an authenticator app (django-otp's TOTP device, confirmed by a first code)
and a set of single-use recovery codes (``RecoveryCodeDevice``, stored as digests). It is required
for careers advisers, school staff, youth workers and platform admins, optional for other roles (an employer
turns it on from its account page) and not offered to pupils.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.models import Device, VerifyNotAllowed
from django_otp.plugins.otp_totp.models import TOTPDevice

from mobility.accounts.models import (
    RecoveryCode,
    RecoveryCodeDevice,
    Role,
    SecondFactorChange,
    recovery_code_digest,
)
from mobility.errors import Invalid, NotPermitted
from mobility.permissions import role_of

log = logging.getLogger(__name__)

# Those who see named children's records; region leads see only suppressed aggregates.
REQUIRED_ROLES = frozenset({Role.ADVISER, Role.SCHOOL_STAFF, Role.YOUTH_WORKER, Role.ADMIN})
NOT_OFFERED_ROLES = frozenset({Role.PUPIL})
# No 0/O, 1/I/L: recovery codes are printed and typed back from paper.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


class SecondFactorRefused(Invalid):
    """A code that did not verify; the message says what to do next."""

    def __init__(self, message: str, code: str = "second_factor_wrong") -> None:
        super().__init__(message, code=code, field="code")


def offered(user: Any) -> bool:
    role = role_of(user)
    return role is not None and role not in NOT_OFFERED_ROLES


def required(user: Any) -> bool:
    """The role must use a second factor (staff, who reach the admin site, always count)."""
    if not settings.TWO_FACTOR_REQUIRED or not offered(user):
        return False
    return role_of(user) in REQUIRED_ROLES or bool(getattr(user, "is_staff", False))


def app_device(user: Any) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they have enrolled one."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def enrolled(user: Any) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def needed(user: Any) -> bool:
    """This account signs in with a second factor: its role requires one, or its owner turned it on."""
    return offered(user) and (required(user) or enrolled(user))


def session_verified(request: HttpRequest) -> bool:
    """A second factor was verified in this session (django-otp's OTPMiddleware looks it up)."""
    return getattr(request.user, "otp_device", None) is not None


def session_needs_verifying(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_authenticated) and not session_verified(request) and needed(user)


def format_recovery_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def totp_enrolment_start(*, user: Any) -> TOTPDevice:
    """The authenticator app being set up: the same secret until it is confirmed, so a reload
    does not undo a scan."""
    if not offered(user):
        raise NotPermitted("Two-factor sign-in is not offered to your account.")
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return pending or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def totp_enrolment_confirm(*, request: HttpRequest, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the app with its first code, verify this session with it, and issue recovery codes.

    Any earlier app of the user's stops working. Returns the plain recovery codes, shown once.
    """
    user = request.user
    # The failed attempt is counted (throttle) in its own transaction, before the refusal.
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
        refusal = _refusal(locked, _digits(code))
    if refusal:
        raise SecondFactorRefused(refusal)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=locked.pk).delete()
        locked.confirmed = True
        locked.save(update_fields=["confirmed"])
        _record(user, SecondFactorChange.Action.ENROLLED, by=user)
        codes = recovery_codes_issue(user=user)
    otp_login(request, locked)
    log.info("Two-factor sign-in enrolled by user %s", user.pk)
    return codes


def recovery_codes_issue(*, user: Any) -> list[str]:
    """A new set of recovery codes; the old set stops working. Only digests are kept."""
    codes = [
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        for _ in range(settings.TWO_FACTOR_RECOVERY_CODES)
    ]
    with transaction.atomic():
        RecoveryCodeDevice.objects.filter(user=user).delete()
        device = RecoveryCodeDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
        RecoveryCode.objects.bulk_create(
            RecoveryCode(device=device, code_hash=recovery_code_digest(code)) for code in codes
        )
        _record(user, SecondFactorChange.Action.RECOVERY_CODES, by=user)
    log.info("Recovery codes issued to user %s", user.pk)
    return [format_recovery_code(code) for code in codes]


def recovery_codes_left(*, user: Any) -> int:
    return RecoveryCode.objects.filter(device__user=user).count()


def second_factor_verify(*, request: HttpRequest, code: str) -> Device:
    """Verify the signed-in user's code from their app (6 digits) or a recovery code, and mark the
    session verified. Raises ``SecondFactorRefused`` with what to do."""
    device = second_factor_check(user=request.user, code=code)
    otp_login(request, device)
    log.info("Second factor verified for user %s with %s", request.user.pk, device.__class__.__name__)
    return device


def second_factor_check(*, user: Any, code: str) -> Device:
    """The device that accepts ``code`` (used up, for a recovery code), or ``SecondFactorRefused``.
    The API's token endpoint calls this alone: it has no session to mark."""
    from_app = _looks_like_app_code(code)
    device: Device | None
    # The failed attempt is counted (throttle) in its own transaction, before the refusal.
    with transaction.atomic():
        if from_app:
            device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        else:
            device = RecoveryCodeDevice.objects.select_for_update().filter(user=user).first()
        refusal = _refusal(device, _digits(code) if from_app else code)
    if device is None or refusal:
        raise SecondFactorRefused(refusal or WRONG)
    return device


def second_factor_remove(*, user: Any, removed_by: Any, reason: str) -> int:
    """Remove the user's app and recovery codes. The owner may do it only where the role does not
    require a second factor; a platform admin may reset anyone's (they enrol again at next sign-in).
    """
    by_owner = removed_by.pk == user.pk
    if by_owner and required(user):
        raise NotPermitted("Your role must use two-factor sign-in, so it cannot be turned off.")
    if not by_owner and role_of(removed_by) != Role.ADMIN:
        raise NotPermitted("Only a platform admin can reset someone else's two-factor sign-in.")
    with transaction.atomic():
        apps, _ = TOTPDevice.objects.filter(user=user).delete()
        RecoveryCodeDevice.objects.filter(user=user).delete()
        _record(user, SecondFactorChange.Action.REMOVED, by=removed_by, reason=reason)
    log.warning(
        "Two-factor sign-in of user %s removed by user %s (%s)",
        user.pk,
        removed_by.pk,
        reason,
        extra={"event": "second_factor_removed", "user_id": user.pk, "removed_by": removed_by.pk},
    )
    return int(apps)


def _record(user: Any, action: str, *, by: Any, reason: str = "") -> None:
    SecondFactorChange.objects.create(user_id=user.pk, action=action, by_user_id=by.pk, reason=reason[:200])


def _looks_like_app_code(code: str) -> bool:
    """Six digits (spaces allowed) are from the app; anything else is tried as a recovery code."""
    plain = str(code).replace(" ", "").strip()
    return len(plain) == 6 and plain.isdigit()


def _digits(code: str) -> str:
    return "".join(ch for ch in str(code) if ch.isdigit())


def _refusal(device: Device | None, token: str) -> str | None:
    """Why ``token`` did not verify on ``device`` (and the failure counted), or None if it did."""
    if device is None:
        return WRONG
    allowed, details = device.verify_is_allowed()
    if not allowed and details and details.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
        return "Too many wrong codes in a row. Wait a few seconds, then enter a new code."
    return None if device.verify_token(token) else WRONG


WRONG = "The code is not right. Enter the 6-digit code your app shows now, or one of your recovery codes."
