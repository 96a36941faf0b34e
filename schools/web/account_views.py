"""School staff's account pages: who has activated, resending invitations, printed activation codes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from mobility.accounts.models import User
from mobility.accounts.web import AuthedRequest
from mobility.web_forms import add_service_error
from schools import services as school_services
from schools.models import Pupil
from schools.selectors import school_accounts
from schools.web.access import staff_only, staff_school
from schools.web.forms import ColleagueForm, SheetForm


def _site_url(request: AuthedRequest) -> str:
    return request.build_absolute_uri("/")


@staff_only
def accounts(request: AuthedRequest) -> HttpResponse:
    school = staff_school(request)
    rows = school_accounts(school=school)
    waiting = sum(1 for row in rows if not row.activated)
    return render(
        request,
        "school/accounts.html",
        {"rows": rows, "waiting": waiting, "sheet_form": SheetForm(auto_id="sheet_%s")},
    )


@staff_only
@require_POST
def resend(request: AuthedRequest) -> HttpResponse:
    """One person's invitation (``user``), or everyone's who has not activated yet."""
    school = staff_school(request)
    if request.POST.get("user"):
        users = [get_object_or_404(User, pk=request.POST["user"])]
    else:
        users = [row.user for row in school_accounts(school=school) if not row.activated]
    sent = school_services.invitations_resend(
        school=school, users=users, actor=request.user, site_url=_site_url(request)
    )
    if sent == 1 and len(users) == 1:
        messages.success(request, f"A new invitation was sent to {users[0].email}.")
    else:
        messages.success(request, f"{sent} invitation{'s' if sent != 1 else ''} sent.")
    return redirect("school:accounts")


@staff_only
@require_POST
@never_cache
def activation_sheet(request: AuthedRequest) -> HttpResponse:
    school = staff_school(request)
    form = SheetForm(request.POST, auto_id="sheet_%s")
    if not form.is_valid():
        messages.error(request, "Choose a year group for the activation sheet.")
        return redirect("school:accounts")
    year = form.cleaned_data["year_group"]
    pupils = list(
        Pupil.objects.filter(school=school, year_group=year)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    issued = school_services.activation_codes_issue(school=school, pupils=pupils, actor=request.user)
    return render(
        request,
        "school/activation_sheet.html",
        {
            "school": school,
            "year": year,
            "issued": issued,
            "activate_url": request.build_absolute_uri(reverse("activate")),
        },
    )


@staff_only
def invite_colleague(request: AuthedRequest) -> HttpResponse:
    school = staff_school(request)
    form = ColleagueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            staff = school_services.staff_invite(
                school=school, invited_by=request.user, site_url=_site_url(request), **form.cleaned_data
            )
        except IntegrityError:
            form.add_error("email", "An account with this email address already exists")
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"An invitation was sent to {staff.user.email}.")
            return redirect("school:accounts")
    return render(request, "school/invite_colleague.html", {"form": form})
