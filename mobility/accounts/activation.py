"""Pages where an invited person sets their first password: by emailed link or printed code."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from mobility.accounts import services
from mobility.accounts.models import Invitation
from mobility.security.lockout import record_failure, refusal_if_locked
from mobility.web_forms import GovukForm, GovukMixin, email_input

SESSION_KEY = "activation_invitation"


class PasswordForm(GovukMixin, SetPasswordForm):  # type: ignore[type-arg]
    """Django's set-password form (its validators included) in GOV.UK dress."""


class ActivationCodeForm(GovukForm):
    email = email_input(missing="Enter your email address")
    code = forms.CharField(
        label="Activation code", max_length=20, help_text="8 letters and numbers, for example ABCD-2345"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update(autocomplete="username", spellcheck="false")
        self.fields["code"].widget.attrs.update(
            autocomplete="one-time-code", spellcheck="false", autocapitalize="characters"
        )


def refused(request: HttpRequest, error: services.InvitationRefused) -> HttpResponse:
    status = 404 if error.reason == "unknown" else 410
    return render(request, "accounts/invitation_refused.html", {"error": error}, status=status)


def _set_password(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    form = PasswordForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(invitation=invitation, password=form.cleaned_data["new_password1"])
        except services.InvitationRefused as error:
            return refused(request, error)
        except ValidationError as error:
            form.add_error("new_password2", error)
        else:
            request.session.pop(SESSION_KEY, None)
            messages.success(
                request, "Your password is set. Sign in with your email address and new password."
            )
            return redirect("login")
    return render(request, "accounts/set_password.html", {"form": form, "invitee": invitation.user})


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
def invitation_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_by_token(token=token)
    except services.InvitationRefused as error:
        return refused(request, error)
    return _set_password(request, invitation)


@never_cache
def activate_view(request: HttpRequest) -> HttpResponse:
    """A printed code: counted towards the sign-in lockout, as guessing one is guessing a password."""
    form = ActivationCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        locked = refusal_if_locked(request, email)
        if locked:
            return locked
        try:
            invitation = services.invitation_by_code(email=email, code=form.cleaned_data["code"])
        except services.InvitationRefused as error:
            if error.reason != "unknown":
                return refused(request, error)
            record_failure(request, email)
            locked = refusal_if_locked(request, email)
            if locked:
                return locked
            form.add_error("code", error.message)
        else:
            request.session[SESSION_KEY] = invitation.pk
            return redirect("activate_password")
    return render(request, "accounts/activate.html", {"form": form})


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
def activate_password_view(request: HttpRequest) -> HttpResponse:
    invitation_id = request.session.get(SESSION_KEY)
    invitation = (
        Invitation.objects.select_related("user").filter(pk=invitation_id).first() if invitation_id else None
    )
    if invitation is None:
        return redirect("activate")
    try:
        services.invitation_check(invitation=invitation)
    except services.InvitationRefused as error:
        request.session.pop(SESSION_KEY, None)
        return refused(request, error)
    return _set_password(request, invitation)
