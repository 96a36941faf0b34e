"""Sign-in lockout with django-axes: per account, and per address with its own, higher limit.

Every sign-in path (web, admin, API token) goes through ``authenticate(request, ...)``, where
axes refuses a locked-out account or address before the password is checked.
"""

from __future__ import annotations

import logging
import math
from datetime import timedelta
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_parameters, get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db.models import Max, Q, Sum
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from mobility.accounts.models import User

logger = logging.getLogger("mobility.security")


def username_of(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The account a sign-in is for, whichever field name the sign-in path uses."""
    credentials = credentials or {}
    name = credentials.get("username") or credentials.get("email")
    if name is None:
        name = request.POST.get("username") or request.POST.get("email")
    return str(name).strip().lower() if name else None


def account_failure_limit(request: HttpRequest, credentials: dict[str, Any] | None) -> int:
    """Axes's one limit is the per-account one (AccountAndAddressHandler scales the address's)."""
    return int(settings.LOGIN_FAILURES_PER_ACCOUNT)


def client_address(request: HttpRequest) -> str | None:
    """The client's address: behind the reverse proxy, the one it appended to X-Forwarded-For."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.BEHIND_PROXY and forwarded:
        return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR")


class AccountAndAddressHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """Locks when either the account or the address reaches its own failure limit.

    Axes compares one failure count with one limit; this reports the count that is
    closest to (or furthest past) its own limit, shifted onto the per-account limit.
    """

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        limits = {
            "username": int(settings.LOGIN_FAILURES_PER_ACCOUNT),
            "ip_address": int(settings.LOGIN_FAILURES_PER_ADDRESS),
        }
        account_limit = limits["username"]
        worst = -account_limit
        for filters, attempts in zip(
            self._filters(request, credentials), self.get_user_attempts(request, credentials), strict=True
        ):
            failures = int(attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)
            if len(filters) == 1:
                (parameter,) = filters
                worst = max(worst, failures - limits.get(parameter, account_limit))
        return account_limit + worst

    def _filters(self, request: Any, credentials: dict[str, Any] | None) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = get_client_parameters(
            get_client_username(request, credentials),
            request.axes_ip_address,
            request.axes_user_agent,
            request,
            credentials,
        )
        return parameters


def minutes_left(request: HttpRequest, username: str | None) -> int:
    """Whole minutes until the most recent failure for this account or address is out of the window."""
    ip_address = getattr(request, "axes_ip_address", None) or client_address(request)
    latest = AccessAttempt.objects.filter(Q(username=username) | Q(ip_address=ip_address)).aggregate(
        latest=Max("attempt_time")
    )["latest"]
    window: timedelta = settings.AXES_COOLOFF_TIME
    if latest is None:
        return max(1, math.ceil(window.total_seconds() / 60))
    seconds: float = (latest + window - timezone.now()).total_seconds()
    return max(1, math.ceil(seconds / 60))


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """429 with Retry-After: JSON under /api/, a page everywhere else."""
    minutes = minutes_left(request, username_of(request, credentials))
    message = f"Too many failed sign-in attempts. Try again in {minutes} minute{'s' if minutes != 1 else ''}."
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message, "code": "locked_out"}, status=429)
    else:
        response = render(
            request, "accounts/locked_out.html", {"minutes": minutes, "message": message}, status=429
        )
    response["Retry-After"] = str(minutes * 60)
    return response


@receiver(user_locked_out)
def log_lockout(
    sender: Any, request: Any, username: str | None, ip_address: str | None, **kwargs: Any
) -> None:
    # The user's id, not their email address: most accounts belong to children.
    user_id = User.objects.filter(email__iexact=username).values_list("pk", flat=True).first()
    logger.warning(
        "Sign-in locked out: user %s from address %s on %s",
        user_id if user_id is not None else "(no such account)",
        ip_address,
        getattr(request, "path", "?"),
        extra={"event": "sign_in_locked_out", "user_id": user_id, "ip_address": ip_address},
    )
    # An API view authenticates with DRF's wrapper; the middleware answers for the Django request.
    inner = getattr(request, "_request", None)
    if inner is not None:
        inner.axes_locked_out = True
        inner.axes_credentials = getattr(request, "axes_credentials", None)


class TestClientLockoutBackend(AxesStandaloneBackend):  # type: ignore[misc]
    """For the test settings only: the test client's ``login()`` authenticates without a request."""

    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> None:
        if request is not None:
            super().authenticate(request, username, password, **kwargs)


def record_failure(request: HttpRequest, email: str) -> None:
    """Count a failed attempt on a sign-in-like form that does not call ``authenticate()``
    (a password reset, an activation code), towards the same lockout."""
    user_login_failed.send(sender=__name__, credentials={"username": email}, request=request)


def refusal_if_locked(request: HttpRequest, email: str) -> HttpResponse | None:
    """The lockout answer when this account or address is locked, else None; for the same forms."""
    credentials = {"username": email}
    if AxesProxyHandler.is_locked(request, credentials):
        return lockout_response(request, None, credentials)
    return None
