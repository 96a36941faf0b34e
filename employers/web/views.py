"""The employer's own pages: organisation, sites, compliance, opportunities.

The home page and the matched pupils' pages are placements' (``placements.web.employer_views``).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from employers import services as employer_services
from employers.models import ComplianceRecord
from employers.selectors import compliance_problems, opportunities_for_user, sites_for_user
from employers.web import selectors, services
from employers.web.access import member_employer, member_only
from employers.web.forms import (
    ComplianceForm,
    OpportunityForm,
    OrganisationForm,
    SiteForm,
)
from mobility.accounts.web import AuthedRequest
from mobility.errors import DomainError
from mobility.pagination import matching_words, page_of, query_without_page
from mobility.web_forms import submit_form


@member_only
def organisation(request: AuthedRequest) -> HttpResponse:
    employer = member_employer(request)
    form = OrganisationForm(request.POST or None, instance=employer)
    if request.method == "POST" and form.is_valid():
        services.employer_update(employer=form.instance)
        messages.success(request, "Organisation details saved.")
        return redirect("employer:home")
    return render(request, "employer/organisation.html", {"form": form})


@member_only
def sites(request: AuthedRequest) -> HttpResponse:
    member_employer(request)
    return render(request, "employer/sites.html", {"sites": sites_for_user(user=request.user)})


@member_only
def site_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    employer = member_employer(request)
    site = get_object_or_404(sites_for_user(user=request.user), pk=pk) if pk else None
    form = SiteForm(request.POST or None, instance=site)
    if submit_form(
        request,
        form,
        lambda: employer_services.site_save(employer=employer, site=site, data=form.cleaned_data),
        done=lambda saved: f"Site “{saved.name}” saved.",
    ):
        return redirect("employer:sites")
    return render(request, "employer/site_form.html", {"form": form, "site": site})


@member_only
def compliance(request: AuthedRequest) -> HttpResponse:
    employer = member_employer(request)
    record = ComplianceRecord.objects.filter(employer=employer).first()
    form = ComplianceForm(request.POST or None, instance=record)
    if submit_form(
        request,
        form,
        lambda: employer_services.compliance_save(
            employer=employer, data=form.cleaned_data, actor=request.user, checker=False
        ),
        done="Compliance records saved.",
    ):
        return redirect("employer:compliance")
    today = timezone.localdate()
    next_end = (
        opportunities_for_user(user=request.user)
        .filter(ends_on__gte=today)
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
            "expiries": selectors.compliance_expiries(employer=employer, today=today),
            "problems": compliance_problems(employer=employer, through=next_end) if next_end else [],
            "through": next_end,
        },
    )


@member_only
def opportunities(request: AuthedRequest) -> HttpResponse:
    member_employer(request)
    qs = opportunities_for_user(user=request.user).order_by("-starts_on", "title", "pk")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(matching_words(q, "title", "site__name"))
    page = page_of(qs, request.GET.get("page"))
    return render(
        request,
        "employer/opportunities.html",
        {
            "opportunities": page.object_list,
            "page": page,
            "q": q,
            "query": query_without_page(request.GET),
        },
    )


@member_only
def opportunity_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    employer = member_employer(request)
    opportunity = get_object_or_404(opportunities_for_user(user=request.user), pk=pk) if pk else None
    form = OpportunityForm(request.POST or None, instance=opportunity, employer=employer)
    if submit_form(
        request,
        form,
        lambda: services.opportunity_save(
            employer=employer, opportunity=opportunity, data=dict(form.cleaned_data)
        ),
        done=lambda saved: f"Opportunity “{saved.title}” saved.",
        refusals=(DomainError,),
    ):
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
