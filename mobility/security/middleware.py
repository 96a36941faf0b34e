"""Response headers and session rules that apply to every request."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode

from mobility.accounts.twofactor import session_needs_verifying
from mobility.security.sessions import note_activity, session_expired

logger = logging.getLogger("mobility.security")


class PermissionsPolicyMiddleware:
    """Turns off the browser features listed in PERMISSIONS_POLICY."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allowed)})" for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header:
            response.setdefault("Permissions-Policy", self.header)
        return response


class SessionPolicyMiddleware:
    """Signs out a session that idled or lasted past its role's limit (mobility.security.sessions)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            reason = session_expired(request, now)
            if reason:
                user_id = request.user.pk
                logout(request)
                logger.info("Session of user %s ended: %s", user_id, reason)
                if reason == "idle":
                    messages.info(
                        request, "You were signed out because you had not used Mobility for a while."
                    )
            else:
                note_activity(request, now)
        return self.get_response(request)


class SecondFactorMiddleware:
    """Until a session is verified by a second factor, an account that needs one reaches only the
    pages that verify or enrol it and signing out; every other page redirects there.

    The API is left to its own authentication, which refuses such a session (401).
    """

    OPEN_WHILE_UNVERIFIED = frozenset(
        {"two_factor_verify", "two_factor_setup", "logout", "privacy", "health"}
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/api/") or not session_needs_verifying(request):
            return self.get_response(request)
        try:
            name = resolve(request.path_info).url_name
        except Resolver404:
            name = None
        if name in self.OPEN_WHILE_UNVERIFIED:
            return self.get_response(request)
        next_url = request.get_full_path() if request.method == "GET" else ""
        query = f"?{urlencode({'next': next_url})}" if next_url else ""
        return HttpResponseRedirect(reverse("two_factor_verify") + query)
