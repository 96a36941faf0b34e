"""The admin site, open only to staff whose session is verified by a second factor.

It has no password form of its own: signing in (with the lockout, and the second factor or its
enrolment) happens on the site's sign-in page, which then returns to the admin site.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.admin import AdminSite
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_otp.admin import OTPAdminSite

from mobility.accounts import twofactor


class VerifiedAdminSite(OTPAdminSite):  # type: ignore[misc]
    site_header = "Mobility administration"
    site_title = "Mobility admin"

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)

    def has_permission(self, request: HttpRequest) -> bool:
        """Staff, verified by a second factor. (Only where TWO_FACTOR_REQUIRED is off, as in the
        local demo, may staff who never set one up enter with a password alone.)"""
        if not AdminSite.has_permission(self, request):
            return False
        return twofactor.session_verified(request) or not twofactor.needed(request.user)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        if request.user.is_authenticated and not twofactor.session_needs_verifying(request):
            # Fully signed in but not staff: Django's page says the account may not enter.
            response: HttpResponse = super().login(request, extra_context)
            return response
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        target = "two_factor_verify" if request.user.is_authenticated else "login"
        return HttpResponseRedirect(f"{reverse(target)}?{urlencode({'next': next_url})}")
