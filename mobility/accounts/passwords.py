"""Forgotten and changed passwords: Django's views and forms, in the site's GOV.UK templates.

Django's forms run the password validators; the reset page says the same thing whether or not
the address has an account, and a locked-out account or address gets no reset email.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm
from django.http import HttpResponse
from django.urls import URLPattern, path, reverse_lazy

from mobility.accounts.activation import PasswordForm
from mobility.security.lockout import refusal_if_locked
from mobility.web_forms import GovukMixin


class ResetRequestForm(GovukMixin, PasswordResetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].widget.attrs.update(autocomplete="email", spellcheck="false")


class ChangeForm(GovukMixin, PasswordChangeForm):
    pass


class ResetView(auth_views.PasswordResetView):
    form_class = ResetRequestForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        locked = refusal_if_locked(self.request, form.cleaned_data["email"].strip().lower())
        return locked or super().form_valid(form)


def _page(route: str, view: Any, name: str, template: str, **options: Any) -> URLPattern:
    """One of Django's password views under /accounts/password/ with our template."""
    page: URLPattern = path(
        f"accounts/password/{route}",
        view.as_view(template_name=f"accounts/{template}.html", **options),
        name=name,
    )
    return page


urlpatterns = [
    path("accounts/password/reset/", ResetView.as_view(), name="password_reset"),
    _page("reset/sent/", auth_views.PasswordResetDoneView, "password_reset_done", "password_reset_sent"),
    _page(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView,
        "password_reset_confirm",
        "password_reset_confirm",
        form_class=PasswordForm,
        success_url=reverse_lazy("password_reset_complete"),
    ),
    _page(
        "reset/done/",
        auth_views.PasswordResetCompleteView,
        "password_reset_complete",
        "password_reset_complete",
    ),
    _page(
        "change/",
        auth_views.PasswordChangeView,
        "password_change",
        "password_change",
        form_class=ChangeForm,
        success_url=reverse_lazy("password_change_done"),
    ),
    _page("change/done/", auth_views.PasswordChangeDoneView, "password_change_done", "password_change_done"),
]
