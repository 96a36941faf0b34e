"""A youth worker's pages for the young people outside school their service registers.

The list and each young person's page show placements, so they are placements'
(``placements.web.youth_views``), served under ``/youth/`` too.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from mobility.accounts.web import AuthedRequest
from mobility.errors import DomainError
from mobility.web_forms import add_service_error, submit_form
from schools import youth_services
from schools.models import DISADVANTAGE_FLAGS, Pupil
from schools.selectors import pupils_for_user
from schools.web.access import youth_only, youth_service
from schools.web.consent import consent_page
from schools.web.youth_forms import FlagsFields, RegisterForm, WindowForm

EDITABLE = ("postcode", "max_travel_minutes", *DISADVANTAGE_FLAGS, "needs_step_free_access", "access_needs")


def young_person(request: AuthedRequest, pk: int) -> Pupil:
    youth_service(request)
    return get_object_or_404(pupils_for_user(user=request.user), pk=pk)


@youth_only
def register(request: AuthedRequest) -> HttpResponse:
    service = youth_service(request)
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pupil = youth_services.young_person_register(
                service=service,
                actor=request.user,
                data=form.cleaned_data,
                site_url=request.build_absolute_uri("/"),
            )
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, f"{pupil.user.get_full_name()} is registered and invited by email to set a password."
            )
            return redirect("youth:person", pk=pupil.pk)
    return render(request, "youth/register.html", {"form": form, "service": service})


@youth_only
def edit(request: AuthedRequest, pk: int) -> HttpResponse:
    pupil = young_person(request, pk)
    initial: dict[str, Any] = {name: getattr(pupil, name) for name in EDITABLE}
    form = FlagsFields(request.POST or None, initial=initial)
    if submit_form(
        request,
        form,
        lambda: youth_services.young_person_update(pupil=pupil, data=dict(form.cleaned_data)),
        done=f"{pupil.user.get_full_name()}'s details saved.",
        refusals=(DomainError,),
    ):
        return redirect("youth:person", pk=pupil.pk)
    page = {"heading": "Change details", "button": "Save details"}
    return render(request, "youth/form.html", {"form": form, "pupil": pupil, **page})


@youth_only
def window(request: AuthedRequest, pk: int) -> HttpResponse:
    pupil = young_person(request, pk)
    form = WindowForm(request.POST or None)
    if submit_form(
        request,
        form,
        lambda: youth_services.young_person_window_save(pupil=pupil, data=form.cleaned_data),
        done=f"Dates {pupil.user.first_name} is free saved.",
    ):
        return redirect("youth:person", pk=pupil.pk)
    page = {
        "heading": "Add dates they are free",
        "intro": "Placements whose dates overlap these are offered to them in searches and match runs.",
        "button": "Save dates",
    }
    return render(request, "youth/form.html", {"form": form, "pupil": pupil, **page})


@youth_only
def consent(request: AuthedRequest, pk: int) -> HttpResponse:
    pupil = young_person(request, pk)
    done = redirect("youth:person", pk=pupil.pk)
    return consent_page(request, pupil, template="youth/consent.html", place="youth consent page", done=done)
