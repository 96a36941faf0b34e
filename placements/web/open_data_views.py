"""The public open data pages: no sign-in, aggregates only, each year's files as published."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from mobility.academic_year import AcademicYear
from placements.models import OpenDataRelease
from placements.reporting.open_data import ATTRIBUTION, FIELDS, LICENCE, WITHHELD

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    releases = OpenDataRelease.objects.only("academic_year", "published_at", "rows")
    return render(
        request,
        "open_data/index.html",
        {
            "releases": [(AcademicYear.parse(r.academic_year), r) for r in releases],
            "fields": FIELDS,
            "licence": LICENCE,
            "attribution": ATTRIBUTION,
            "withheld": WITHHELD,
        },
    )


@require_safe
def download(request: HttpRequest, year: str, fmt: str) -> HttpResponse:
    release = OpenDataRelease.objects.filter(academic_year=year).first()
    if release is None or fmt not in CONTENT_TYPES:
        raise Http404("No open data for that year.")
    body = release.csv_text if fmt == "csv" else release.json_text
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="work-experience-placements-{year}.{fmt}"'
    response["Last-Modified"] = release.published_at.strftime("%a, %d %b %Y %H:%M:%S GMT")
    return response
