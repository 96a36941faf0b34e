"""Session lifetimes that suit shared school computers, and signing out that really ends access.

A pupil's session cookie lasts until the browser closes and the session ends after
PUPIL_SESSION_IDLE_MINUTES without a request; everyone else's ends STAFF_SESSION_HOURS after
signing in. Signing out (or being signed out) also revokes the user's API token.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest
from knox.models import AuthToken

from mobility.accounts.models import Role
from mobility.permissions import role_of

logger = logging.getLogger("mobility.security")

SIGNED_IN_AT = "_mobility_signed_in_at"
LAST_SEEN_AT = "_mobility_last_seen_at"
# Recording every request would write the session each time; a minute is precise enough.
LAST_SEEN_GRANULARITY = 60


@dataclass(frozen=True)
class SessionPolicy:
    ends_with_browser: bool
    idle_seconds: int | None
    max_seconds: int | None


def policy_for(user: Any) -> SessionPolicy:
    if role_of(user) == Role.PUPIL:
        return SessionPolicy(
            ends_with_browser=True, idle_seconds=settings.PUPIL_SESSION_IDLE_MINUTES * 60, max_seconds=None
        )
    return SessionPolicy(
        ends_with_browser=False, idle_seconds=None, max_seconds=settings.STAFF_SESSION_HOURS * 3600
    )


def session_expired(request: HttpRequest, now: float) -> str | None:
    """Why the signed-in user's session is over, or None while it lasts."""
    policy = policy_for(request.user)
    session = request.session
    signed_in_at = session.get(SIGNED_IN_AT)
    if signed_in_at is None:
        # A session made some other way (before this policy, or minted by a script): clocks start now.
        start_clocks(request, request.user, now)
        return None
    last_seen_at = session.get(LAST_SEEN_AT, signed_in_at)
    if policy.idle_seconds is not None and now - last_seen_at > policy.idle_seconds:
        return "idle"
    if policy.max_seconds is not None and now - signed_in_at > policy.max_seconds:
        return "too old"
    return None


def note_activity(request: HttpRequest, now: float) -> None:
    if now - request.session.get(LAST_SEEN_AT, 0) >= LAST_SEEN_GRANULARITY:
        request.session[LAST_SEEN_AT] = now


@receiver(user_logged_in)
def start_session(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    start_clocks(request, user, time.time())


def start_clocks(request: HttpRequest, user: Any, now: float) -> None:
    policy = policy_for(user)
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now
    request.session.set_expiry(0 if policy.ends_with_browser else policy.max_seconds)


@receiver(user_logged_out)
def revoke_api_tokens(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    revoked, _ = AuthToken.objects.filter(user=user).delete()
    if revoked:
        logger.info("Signed out: revoked %d API token(s) of user %s", revoked, user.pk)
