"""School staff's page for one pupil, and everything held about them (subject access)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from mobility.accounts.web import AuthedRequest
from mobility.audit.selectors import pupil_record_views
from mobility.audit.services import pupil_record_view_record
from placements.privacy.access import pupil_record, pupil_record_json
from schools.models import Pupil
from schools.selectors import consent_history, pupils_for_user
from schools.web.access import staff_only


def _pupil(request: AuthedRequest, pk: int) -> Pupil:
    return get_object_or_404(pupils_for_user(user=request.user).prefetch_related("sector_interests"), pk=pk)


@staff_only
def pupil_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    pupil = _pupil(request, pk)
    pupil_record_view_record(pupil_id=pupil.pk, viewer=request.user, place="school pupil page")
    return render(
        request,
        "school/pupil.html",
        {
            "pupil": pupil,
            "consent": consent_history(pupil=pupil).first(),
            "views": pupil_record_views(pupil_id=pupil.pk)[:100],
        },
    )


@staff_only
def pupil_record_page(request: AuthedRequest, pk: int) -> HttpResponse:
    pupil = _pupil(request, pk)
    pupil_record_view_record(pupil_id=pupil.pk, viewer=request.user, place="subject access page")
    return render(request, "school/pupil_record.html", {"pupil": pupil, "record": pupil_record(pupil=pupil)})


@staff_only
def pupil_record_download(request: AuthedRequest, pk: int) -> HttpResponse:
    pupil = _pupil(request, pk)
    pupil_record_view_record(pupil_id=pupil.pk, viewer=request.user, place="subject access download")
    response = HttpResponse(pupil_record_json(pupil=pupil), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pupil-{pupil.pk}-record.json"'
    return response
