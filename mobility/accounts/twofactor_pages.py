"""Pages for two-factor sign-in: enter a code, set up an authenticator app, see recovery codes
once, and manage it from the account page."""

from __future__ import annotations

from base64 import b32encode
from collections.abc import Callable
from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from mobility.accounts import twofactor
from mobility.accounts.web import AuthedRequest, home_url
from mobility.errors import NotPermitted
from mobility.security.lockout import record_failure, refusal_if_locked
from mobility.web_forms import GovukForm

# Recovery codes wait here between the confirming POST and the page that shows them once.
NEW_CODES_KEY = "two_factor_new_recovery_codes"


class CodeForm(GovukForm):
    code = forms.CharField(label="Security code", max_length=20, strip=True)

    def __init__(self, *args: Any, recovery: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.widget.attrs.update(autocomplete="one-time-code", spellcheck="false")
        if recovery:
            field.label = "Recovery code"
            field.help_text = "10 letters and numbers, for example ABCDE-23456"
            field.widget.attrs.update(autocapitalize="characters")
        else:
            field.help_text = "The 6-digit code your authenticator app shows now"
            field.widget.attrs.update(inputmode="numeric", **{"class": "govuk-input--width-10"})


class PasswordAgainForm(GovukForm):
    password = forms.CharField(label="Your password", strip=False, widget=forms.PasswordInput)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["password"].widget.attrs.update(autocomplete="current-password")

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("Enter your current password")
        return password


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    return candidate if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}) else ""


def _with_next(name: str, next_url: str) -> str:
    return reverse(name) + (f"?next={next_url}" if next_url else "")


def _locked(request: HttpRequest) -> HttpResponse | None:
    return refusal_if_locked(request, request.user.get_username())


def _try_code(
    request: HttpRequest, form: CodeForm, attempt: Callable[[str], HttpResponse]
) -> HttpResponse | None:
    """The lockout first; then a wrong code counts towards it and is put on the form (None: show it)."""
    locked = _locked(request)
    if locked or not form.is_valid():
        return locked
    try:
        return attempt(form.cleaned_data["code"])
    except twofactor.SecondFactorRefused as error:
        record_failure(request, request.user.get_username())
        form.add_error("code", error.message)
        return _locked(request)


@sensitive_post_parameters("code")
@never_cache
@login_required
def verify_view(request: AuthedRequest) -> HttpResponse:
    """The second step of signing in: a code from the app, or a recovery code."""
    next_url = _next_url(request)
    if twofactor.session_verified(request) or not twofactor.needed(request.user):
        return HttpResponseRedirect(next_url or home_url(request.user))
    if not twofactor.enrolled(request.user):
        return redirect(_with_next("two_factor_setup", next_url))
    recovery = request.GET.get("use") == "recovery" or request.POST.get("use") == "recovery"
    form = CodeForm(request.POST or None, recovery=recovery)

    def verified(code: str) -> HttpResponse:
        twofactor.second_factor_verify(request=request, code=code)
        return HttpResponseRedirect(next_url or home_url(request.user))

    answer = _try_code(request, form, verified) if request.method == "POST" else None
    if answer:
        return answer
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": next_url, "recovery": recovery}
    )


@sensitive_post_parameters("code")
@never_cache
@login_required
def setup_view(request: AuthedRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code or type the secret, then confirm with a code."""
    next_url = _next_url(request)
    user = request.user
    if twofactor.enrolled(user) and not twofactor.session_verified(request):
        # Replacing an app needs the old one first: sign in with it (or a recovery code).
        return redirect(_with_next("two_factor_verify", next_url))
    if twofactor.enrolled(user) and request.method == "GET" and not request.GET.get("replace"):
        return redirect("two_factor")
    try:
        device = twofactor.totp_enrolment_start(user=user)
    except NotPermitted:
        return redirect(home_url(user))
    form = CodeForm(request.POST or None)

    def confirmed(code: str) -> HttpResponse:
        request.session[NEW_CODES_KEY] = twofactor.totp_enrolment_confirm(
            request=request, device=device, code=code
        )
        return redirect(_with_next("two_factor_recovery_codes", next_url))

    answer = _try_code(request, form, confirmed) if request.method == "POST" else None
    if answer:
        return answer
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "next": next_url,
            "qr_code": segno.make(device.config_url, error="m").svg_data_uri(scale=5),
            "secret": _spaced(b32encode(device.bin_key).decode()),
            "required": twofactor.required(user),
        },
    )


@never_cache
@login_required
def recovery_codes_view(request: AuthedRequest) -> HttpResponse:
    """New recovery codes, shown once: a reload shows how many are left, not the codes."""
    codes = request.session.pop(NEW_CODES_KEY, None)
    if not codes:
        return redirect("two_factor")
    return render(
        request,
        "accounts/two_factor_recovery_codes.html",
        {"codes": codes, "next": _next_url(request) or home_url(request.user)},
    )


@sensitive_post_parameters("password")
@never_cache
@login_required
def manage_view(request: AuthedRequest) -> HttpResponse:
    """The account page's two-factor section: status, new recovery codes, turning it on or off."""
    user = request.user
    if not twofactor.offered(user):
        return render(request, "accounts/two_factor_not_offered.html")
    form = PasswordAgainForm(request.POST or None, user=user)
    action = request.POST.get("action")
    if request.method == "POST" and action in {"new_codes", "turn_off"}:
        locked = _locked(request)
        if locked:
            return locked
        if form.is_valid():
            if action == "new_codes" and twofactor.enrolled(user):
                request.session[NEW_CODES_KEY] = twofactor.recovery_codes_issue(user=user)
                return redirect("two_factor_recovery_codes")
            if action == "turn_off" and not twofactor.required(user):
                twofactor.second_factor_remove(user=user, removed_by=user, reason="turned off by its owner")
                messages.success(request, "Two-factor sign-in is off. You sign in with your password only.")
                return redirect("two_factor")
        else:
            record_failure(request, user.get_username())
    app = twofactor.app_device(user)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "form": form,
            "app": app,
            "codes_left": twofactor.recovery_codes_left(user=user) if app else 0,
            "required": twofactor.required(user),
        },
    )


def _spaced(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


urlpatterns = [
    path("accounts/two-factor/", manage_view, name="two_factor"),
    path("accounts/two-factor/verify/", verify_view, name="two_factor_verify"),
    path("accounts/two-factor/set-up/", setup_view, name="two_factor_setup"),
    path("accounts/two-factor/recovery-codes/", recovery_codes_view, name="two_factor_recovery_codes"),
]
