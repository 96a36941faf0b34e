"""Session sign-in for the API, refused until a second factor has verified the session."""

from __future__ import annotations

from typing import Any

from drf_spectacular.authentication import SessionScheme
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request

from mobility.accounts.twofactor import session_needs_verifying


class VerifiedSessionAuthentication(SessionAuthentication):
    """A browser session counts for the API only once any second factor it needs is verified."""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is not None and session_needs_verifying(request._request):
            raise exceptions.AuthenticationFailed(
                "Finish signing in: enter the code from your authenticator app on the website first.",
                code="second_factor_required",
            )
        return result


class VerifiedSessionScheme(SessionScheme):  # type: ignore[no-untyped-call]
    """The OpenAPI schema describes it as the cookie session it is."""

    target_class = "mobility.api.authentication.VerifiedSessionAuthentication"
