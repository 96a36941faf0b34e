"""Signing in and out of the web pages, and the role check every page goes through."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from mobility.accounts import twofactor
from mobility.accounts.models import Role, User
from mobility.permissions import role_of
from mobility.web_forms import GovukForm, add_service_error, email_input

View = TypeVar("View", bound=Callable[..., HttpResponse])


class AuthedRequest(HttpRequest):
    """A request that passed ``role_required``: its user is signed in."""

    user: User


# Where each role lands after signing in.
ROLE_HOME = {
    Role.PUPIL: "pupil:home",
    Role.EMPLOYER: "employer:home",
    Role.SCHOOL_STAFF: "school:home",
    Role.YOUTH_WORKER: "youth:home",
    Role.ADVISER: "adviser:home",
    Role.REGION_LEAD: "region:home",
    Role.ADMIN: "adviser:home",
}


def role_required(*roles: str) -> Callable[[View], View]:
    """Login required, then the user's role must be one of `roles`; anything else is refused."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if role_of(request.user) not in roles:
                raise PermissionDenied("This page is not available to your account.")
            return view(request, *args, **kwargs)

        return login_required(wrapped)  # type: ignore[return-value]

    return decorator


class LoginForm(GovukForm):
    email = email_input(missing="Enter your email address")
    password = forms.CharField(label="Password", strip=False, widget=forms.PasswordInput)

    def __init__(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user: Any = None
        self.fields["email"].widget.attrs.update(autocomplete="email", spellcheck="false")
        self.fields["password"].widget.attrs.update(autocomplete="current-password")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        email, password = data.get("email"), data.get("password")
        if email and password:
            self.user = authenticate(self.request, email=email.lower(), password=password)
            if self.user is None or not self.user.is_active:
                # Say the same thing whichever part was wrong.
                self.add_error("email", "Enter a correct email address and password")
        return data


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    if request.user.is_authenticated and request.method == "GET":
        return redirect(next_url or home_url(request.user))
    form = LoginForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        login(request, form.user)
        if twofactor.session_needs_verifying(request):
            query = f"?{urlencode({'next': next_url})}" if next_url else ""
            return HttpResponseRedirect(reverse("two_factor_verify") + query)
        return HttpResponseRedirect(next_url or home_url(form.user))
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return render(request, "accounts/signed_out.html")


def home_url(user: Any) -> str:
    return reverse(ROLE_HOME.get(user.role, "login"))


def home_view(request: HttpRequest) -> HttpResponse:
    """Visitors get the way in (sign in, or register an organisation); everyone else their home."""
    if not request.user.is_authenticated:
        return render(request, "accounts/welcome.html")
    if role_of(request.user) not in ROLE_HOME:
        raise PermissionDenied
    return redirect(home_url(request.user))


def invite_colleague_page(
    request: AuthedRequest,
    *,
    form: forms.Form,
    invite: Callable[..., Any],
    done_url: str,
    **context: Any,
) -> HttpResponse:
    """The "Invite a colleague" page of school staff and employer members: ``invite`` takes the
    form's answers (and ``invited_by``, ``site_url``) and returns the new profile row."""
    if request.method == "POST" and form.is_valid():
        try:
            made = invite(
                invited_by=request.user, site_url=request.build_absolute_uri("/"), **form.cleaned_data
            )
        except IntegrityError:
            form.add_error("email", "An account with this email address already exists")
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"An invitation was sent to {made.user.email}.")
            return redirect(done_url)
    return render(request, "accounts/invite_colleague.html", {"form": form, **context})
