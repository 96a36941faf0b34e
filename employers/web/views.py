"""The employer's pages: organisation, sites, compliance, opportunities, matched pupils."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from employers import services as employer_services
from employers.models import ComplianceRecord, Employer
from employers.selectors import compliance_problems, opportunities_for_user, sites_for_user
from employers.web import selectors, services
from employers.web.forms import (
    AttendanceFeedbackForm,
    ComplianceForm,
    EmployerDeclineForm,
    OpportunityForm,
    OrganisationForm,
    SiteForm,
)
from employers.web.selectors import SHARED_STATUSES
from mobility.accounts.models import Role
from mobility.accounts.web import AuthedRequest, role_required
from mobility.audit.services import pupil_record_view_record
from mobility.permissions import employer_id_of
from mobility.web_forms import add_service_error
from placements.lifecycle import services as lifecycle
from placements.lifecycle.exceptions import LifecycleError
from placements.lifecycle.feedback import match_feedback_record
from placements.lifecycle.models import PlacementFeedback
from placements.lifecycle.selectors import matches_for_user
from placements.models import MatchStatus

member_only = role_required(Role.EMPLOYER)


def _employer(request: AuthedRequest) -> Employer:
    employer_id = employer_id_of(request.user)
    if employer_id is None:
        raise Http404("This account is not linked to an organisation.")
    return Employer.objects.select_related("sector").get(pk=employer_id)


def _matches(request: AuthedRequest):  # type: ignore[no-untyped-def]
    return (
        matches_for_user(user=request.user)
        .select_related("pupil__school")
        .order_by("opportunity__starts_on", "pk")
    )


@member_only
def home(request: AuthedRequest) -> HttpResponse:
    employer = _employer(request)
    matches = _matches(request)
    return render(
        request,
        "employer/home.html",
        {
            "employer": employer,
            "expiries": selectors.compliance_expiries(employer=employer),
            "waiting": selectors.matched_pupils(matches.filter(status=MatchStatus.OFFERED)),
            "opportunity_count": opportunities_for_user(user=request.user).count(),
            "site_count": sites_for_user(user=request.user).count(),
        },
    )


@member_only
def organisation(request: AuthedRequest) -> HttpResponse:
    employer = _employer(request)
    form = OrganisationForm(request.POST or None, instance=employer)
    if request.method == "POST" and form.is_valid():
        services.employer_update(employer=form.instance)
        messages.success(request, "Organisation details saved.")
        return redirect("employer:home")
    return render(request, "employer/organisation.html", {"form": form})


@member_only
def sites(request: AuthedRequest) -> HttpResponse:
    _employer(request)
    return render(request, "employer/sites.html", {"sites": sites_for_user(user=request.user)})


@member_only
def site_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    employer = _employer(request)
    site = get_object_or_404(sites_for_user(user=request.user), pk=pk) if pk else None
    form = SiteForm(request.POST or None, instance=site)
    if request.method == "POST" and form.is_valid():
        try:
            saved = employer_services.site_save(employer=employer, site=site, data=form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Site “{saved.name}” saved.")
            return redirect("employer:sites")
    return render(request, "employer/site_form.html", {"form": form, "site": site})


@member_only
def compliance(request: AuthedRequest) -> HttpResponse:
    employer = _employer(request)
    record = ComplianceRecord.objects.filter(employer=employer).first()
    form = ComplianceForm(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        try:
            employer_services.compliance_save(
                employer=employer, data=form.cleaned_data, actor=request.user, checker=False
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Compliance records saved.")
            return redirect("employer:compliance")
    next_end = (
        opportunities_for_user(user=request.user)
        .filter(ends_on__gte=dt.date.today())
        .order_by("-ends_on")
        .values_list("ends_on", flat=True)
        .first()
    )
    return render(
        request,
        "employer/compliance.html",
        {
            "form": form,
            "record": record,
            "expiries": selectors.compliance_expiries(employer=employer),
            "problems": compliance_problems(employer=employer, through=next_end) if next_end else [],
            "through": next_end,
        },
    )


@member_only
def opportunities(request: AuthedRequest) -> HttpResponse:
    _employer(request)
    return render(
        request,
        "employer/opportunities.html",
        {
            "opportunities": opportunities_for_user(user=request.user).order_by("-starts_on", "title"),
        },
    )


@member_only
def opportunity_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    employer = _employer(request)
    opportunity = get_object_or_404(opportunities_for_user(user=request.user), pk=pk) if pk else None
    form = OpportunityForm(request.POST or None, instance=opportunity, employer=employer)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.opportunity_save(
                employer=employer, opportunity=opportunity, data=dict(form.cleaned_data)
            )
        except (LifecycleError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Opportunity “{saved.title}” saved.")
            return redirect("employer:opportunities")
    return render(
        request,
        "employer/opportunity_form.html",
        {
            "form": form,
            "opportunity": opportunity,
            "has_sites": sites_for_user(user=request.user).exists(),
        },
    )


@member_only
def pupils(request: AuthedRequest) -> HttpResponse:
    _employer(request)
    return render(request, "employer/pupils.html", {"pupils": selectors.matched_pupils(_matches(request))})


@member_only
def match_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    _employer(request)
    match = get_object_or_404(_matches(request), pk=pk)
    decline_form = EmployerDeclineForm()
    feedback_form = None
    feedback_given = PlacementFeedback.objects.filter(
        match=match, side=PlacementFeedback.Side.EMPLOYER
    ).exists()
    if (
        match.status == MatchStatus.CONFIRMED
        and match.opportunity.starts_on <= dt.date.today()
        and not feedback_given
    ):
        feedback_form = AttendanceFeedbackForm()
    if match.status in SHARED_STATUSES:
        pupil_record_view_record(pupil_id=match.pupil_id, viewer=request.user, place="employer match page")
    return render(
        request,
        "employer/match.html",
        {
            "pupil": selectors.matched_pupil(match),
            "match": match,
            "decline_form": decline_form,
            "feedback_form": feedback_form,
            "feedback_given": feedback_given,
        },
    )


@member_only
@require_POST
def match_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    match = get_object_or_404(_matches(request), pk=pk)
    try:
        lifecycle.match_employer_confirm(match_id=match.pk, actor=request.user)
    except LifecycleError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"You confirmed {match.pupil.user.first_name}'s placement. We will tell the pupil."
        )
    return redirect("employer:match", pk=match.pk)


@member_only
@require_POST
def match_decline(request: AuthedRequest, pk: int) -> HttpResponse:
    match = get_object_or_404(_matches(request), pk=pk)
    form = EmployerDeclineForm(request.POST)
    if form.is_valid():
        try:
            lifecycle.match_employer_decline(match_id=match.pk, actor=request.user, **form.cleaned_data)
        except (LifecycleError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, "You declined this pupil. The careers adviser will find them another placement."
            )
            return redirect("employer:pupils")
    return render(
        request,
        "employer/match.html",
        {
            "pupil": selectors.matched_pupil(match),
            "match": match,
            "decline_form": form,
            "form": form,
            "feedback_form": None,
            "feedback_given": False,
        },
    )


@member_only
@require_POST
def match_feedback(request: AuthedRequest, pk: int) -> HttpResponse:
    match = get_object_or_404(_matches(request), pk=pk)
    form = AttendanceFeedbackForm(request.POST)
    if form.is_valid():
        try:
            match_feedback_record(match_id=match.pk, actor=request.user, **form.cleaned_data)
        except (LifecycleError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Attendance and feedback recorded. Thank you.")
            return redirect("employer:match", pk=match.pk)
    return render(
        request,
        "employer/match.html",
        {
            "pupil": selectors.matched_pupil(match),
            "match": match,
            "decline_form": EmployerDeclineForm(),
            "feedback_form": form,
            "form": form,
            "feedback_given": False,
        },
    )
