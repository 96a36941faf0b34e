"""The region lead's pages: the yearly report with its charts, tables, map and CSV downloads."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from mobility.academic_year import AcademicYear
from mobility.accounts.models import Role
from mobility.accounts.web import AuthedRequest, role_required
from mobility.geography.models import Region
from mobility.permissions import is_admin
from placements.reporting.selectors import region_report, regions_for_lead

lead_only = role_required(Role.REGION_LEAD, Role.ADMIN)


def _region(request: AuthedRequest, pk: int) -> Region:
    region: Region = get_object_or_404(regions_for_lead(user=request.user), pk=pk)
    return region


@lead_only
def home(request: AuthedRequest) -> HttpResponse:
    regions = list(regions_for_lead(user=request.user))
    if len(regions) == 1 and not is_admin(request.user):
        return redirect("region:report", pk=regions[0].pk)
    return render(request, "region/home.html", {"regions": regions})


@lead_only
def report(request: AuthedRequest, pk: int) -> HttpResponse:
    region = _region(request, pk)
    year = AcademicYear.parse(request.GET.get("year", ""))
    data = region_report(region=region, year=year, reveal=is_admin(request.user))
    return render(request, "region/report.html", {"report": data})


@lead_only
def table_csv(request: AuthedRequest, pk: int, year: str, table: str) -> HttpResponse:
    region = _region(request, pk)
    chosen = AcademicYear.parse(year)
    if chosen is None:
        raise Http404("No such year.")
    data = region_report(region=region, year=chosen, reveal=is_admin(request.user))
    found = data.table(table)
    if found is None or data.year != chosen:
        raise Http404("No such table.")
    response = HttpResponse(found.csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{region.code}-{chosen.slug}-{table}.csv"'
    return response
