"""Response headers and session rules that apply to every request."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

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
