"""School staff's pages about placements: home, the pupil list with match status, Benchmark 6."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render

from mobility.accounts.web import AuthedRequest
from mobility.pagination import matching_words, page_of, query_without_page
from mobility.permissions import is_admin
from placements.lifecycle.selectors import matches_for_user
from placements.models import MatchStatus
from placements.web.school_selectors import benchmark6
from schools.models import ConsentStatus
from schools.selectors import pupils_for_user, windows_for_user
from schools.web.access import staff_only, staff_school


@staff_only
def home(request: AuthedRequest) -> HttpResponse:
    school = staff_school(request)
    pupils = pupils_for_user(user=request.user)
    consent = dict(pupils.order_by().values_list("parental_consent").annotate(n=Count("pk")))
    return render(
        request,
        "school/home.html",
        {
            "school": school,
            "pupil_count": pupils.count(),
            "consent_missing": sum(n for status, n in consent.items() if status != ConsentStatus.GIVEN),
            "windows": windows_for_user(user=request.user),
            "benchmark": benchmark6(school=school, reveal=is_admin(request.user)),
        },
    )


@staff_only
def pupils(request: AuthedRequest) -> HttpResponse:
    staff_school(request)
    qs = pupils_for_user(user=request.user).order_by("year_group", "user__last_name", "user__first_name")
    year = request.GET.get("year", "")
    if year.isdigit():
        qs = qs.filter(year_group=int(year))
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(matching_words(q, "user__first_name", "user__last_name"))
    page = page_of(qs.select_related("user"), request.GET.get("page"))
    live = matches_for_user(user=request.user).exclude(
        status__in=("rejected", "employer_declined", "pupil_declined", "lapsed", "cancelled")
    )
    shown = live.filter(pupil_id__in=[p.pk for p in page.object_list])
    status_by_pupil = dict(shown.order_by("pupil_id", "created_at").values_list("pupil_id", "status"))
    rows = [
        (p, status_by_pupil.get(p.pk), _status_label(status_by_pupil.get(p.pk))) for p in page.object_list
    ]
    return render(
        request,
        "school/pupils.html",
        {
            "rows": rows,
            "page": page,
            "year": year,
            "years": range(7, 15),
            "q": q,
            "query": query_without_page(request.GET),
        },
    )


def _status_label(status: str | None) -> str:
    return MatchStatus(status).label if status else ""


@staff_only
def benchmark(request: AuthedRequest) -> HttpResponse:
    school = staff_school(request)
    rows = benchmark6(school=school, reveal=is_admin(request.user))
    return render(request, "school/benchmark.html", {"school": school, "rows": rows})
