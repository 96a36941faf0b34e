"""A youth worker's pages about placements: their young people with match status, and one
young person's page with their windows, consent and matches."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from mobility.accounts.web import AuthedRequest
from mobility.audit.services import pupil_record_view_record
from mobility.pagination import matching_words, page_of, query_without_page
from placements.lifecycle.selectors import matches_for_user
from placements.models import MatchStatus
from placements.web.pupil_record_views import record_download, record_page
from schools.models import Cohort
from schools.selectors import consent_history, pupils_for_user, windows_of
from schools.web.access import youth_only, youth_service
from schools.web.youth_views import young_person

ENDED = ("rejected", "employer_declined", "pupil_declined", "lapsed", "cancelled")


@youth_only
def home(request: AuthedRequest) -> HttpResponse:
    service = youth_service(request)
    qs = pupils_for_user(user=request.user).order_by("user__last_name", "user__first_name")
    cohort = request.GET.get("cohort", "")
    if cohort in (Cohort.NEET, Cohort.CARE_LEAVER):
        qs = qs.filter(cohort=cohort)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(matching_words(q, "user__first_name", "user__last_name"))
    page = page_of(qs.select_related("user"), request.GET.get("page"))
    live = matches_for_user(user=request.user).exclude(status__in=ENDED)
    shown = live.filter(pupil_id__in=[p.pk for p in page.object_list])
    status_by_pupil = dict(shown.order_by("pupil_id", "created_at").values_list("pupil_id", "status"))
    rows = [
        (
            p,
            status_by_pupil.get(p.pk),
            MatchStatus(status_by_pupil[p.pk]).label if p.pk in status_by_pupil else "",
        )
        for p in page.object_list
    ]
    return render(
        request,
        "youth/home.html",
        {
            "service": service,
            "rows": rows,
            "page": page,
            "q": q,
            "cohort": cohort,
            "cohorts": [(Cohort.NEET, "Not in education or work"), (Cohort.CARE_LEAVER, "Care leavers")],
            "query": query_without_page(request.GET),
        },
    )


def _label(status: str | None) -> str:
    return MatchStatus(status).label if status else ""


@youth_only
def person_record(request: AuthedRequest, pk: int) -> HttpResponse:
    return record_page(
        request, young_person(request, pk), back="youth:person", download="youth:person_record_json"
    )


@youth_only
def person_record_download(request: AuthedRequest, pk: int) -> HttpResponse:
    return record_download(request, young_person(request, pk))


@youth_only
def person(request: AuthedRequest, pk: int) -> HttpResponse:
    pupil = young_person(request, pk)
    pupil_record_view_record(pupil_id=pupil.pk, viewer=request.user, place="youth worker's page")
    matches = matches_for_user(user=request.user).filter(pupil=pupil).order_by("-created_at")
    return render(
        request,
        "youth/person.html",
        {
            "pupil": pupil,
            "windows": windows_of(pupil=pupil).order_by("starts_on"),
            "consent": consent_history(pupil=pupil).first(),
            "matches": matches,
        },
    )
