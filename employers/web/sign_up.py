"""The public page where an organisation registers itself, and the page that follows."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from employers.registration import SignUp, employer_register
from mobility.geography.models import Sector
from mobility.security.throttles import web_throttle
from mobility.web_forms import GovukForm, add_service_error, email_input, text_input

phone_number = RegexValidator(r"^\+?[0-9][0-9 ()-]{6,24}$", "Enter a phone number, like 0151 496 0000")


class SignUpForm(GovukForm):
    organisation = text_input("Organisation name", max_length=200, missing="Enter your organisation's name")
    sector = forms.ModelChoiceField(
        label="Sector",
        queryset=Sector.objects.order_by("name"),
        empty_label="Select a sector",
        error_messages={"required": "Select your organisation's sector"},
    )
    first_name = text_input("Your first name", max_length=150, missing="Enter your first name")
    last_name = text_input("Your last name", max_length=150, missing="Enter your last name")
    job_title = text_input("Your job title (optional)", max_length=120)
    email = email_input(
        "Your work email address",
        missing="Enter your email address",
        help_text="We send a link here to set your password. It is also where we tell you the outcome.",
    )
    phone = text_input(
        "Phone number",
        max_length=30,
        missing="Enter a phone number",
        validators=[phone_number],
        help_text="An adviser may call to check your organisation before verifying it.",
    )
    site_name = text_input(
        "Name of your first site",
        max_length=120,
        missing="Enter a name for the site",
        initial="Head office",
        help_text="Where pupils would go. You can add more sites later.",
    )
    address = text_input("Site address", max_length=250, missing="Enter the site's address")
    postcode = text_input(
        "Site postcode", max_length=10, missing="Enter the site's postcode", help_text="For example, L1 8JQ"
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        attrs = {
            "first_name": {"autocomplete": "given-name"},
            "last_name": {"autocomplete": "family-name"},
            "job_title": {"autocomplete": "organization-title"},
            "email": {"autocomplete": "email", "spellcheck": "false"},
            "phone": {"autocomplete": "tel", "class": "govuk-input--width-20", "type": "tel"},
            "organisation": {"autocomplete": "organization"},
            "address": {"autocomplete": "street-address"},
            "postcode": {"autocomplete": "postal-code", "class": "govuk-input--width-10"},
        }
        for name, extra in attrs.items():
            self.fields[name].widget.attrs.update(extra)


@never_cache
def sign_up_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST":
        throttled = web_throttle(request, "sign_up")
        if throttled:
            return throttled
        if form.is_valid():
            try:
                employer_register(
                    sign_up=SignUp(**form.cleaned_data), site_url=request.build_absolute_uri("/")
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                return redirect("sign_up_sent")
    return render(request, "accounts/sign_up.html", {"form": form})


def sign_up_sent_view(request: HttpRequest) -> HttpResponse:
    """The same page whether or not the address already had an account."""
    return render(
        request, "accounts/sign_up_sent.html", {"valid_days": settings.MOBILITY["INVITATION_VALID_DAYS"]}
    )
