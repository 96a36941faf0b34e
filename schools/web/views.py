"""School staff's own pages: pupil import, work-experience weeks, consent.

The home page, the pupil list and Benchmark 6 show placements, so they are placements'
(``placements.web.school_views``), served under ``/school/`` too.
"""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from mobility.accounts.web import AuthedRequest
from mobility.audit.services import pupil_record_view_record
from mobility.errors import DomainError
from mobility.web_forms import add_service_error
from schools import services as school_services
from schools.imports import decode, import_preview
from schools.models import ConsentStatus
from schools.selectors import consent_history, pupils_for_user, windows_for_user
from schools.web.access import staff_only, staff_school
from schools.web.forms import ConsentForm, ImportForm, WindowForm

SESSION_KEY = "pupil_import"


@staff_only
def consent(request: AuthedRequest, pk: int) -> HttpResponse:
    staff_school(request)
    pupil = get_object_or_404(pupils_for_user(user=request.user), pk=pk)
    form = ConsentForm(request.POST or None, initial={"status": pupil.parental_consent})
    pupil_record_view_record(pupil_id=pupil.pk, viewer=request.user, place="school consent page")
    if request.method == "POST" and form.is_valid():
        try:
            changed = school_services.pupil_consent_record(
                pupil=pupil,
                status=form.cleaned_data["status"],
                method=form.cleaned_data.get("method") or "",
                parent_carer_name=form.cleaned_data.get("parent_carer_name") or "",
                actor=request.user,
            )
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            status = ConsentStatus(form.cleaned_data["status"])
            text = f"Consent for {pupil.user.get_full_name()} recorded as {status.label.lower()}."
            if changed:
                done = "confirmed" if status == ConsentStatus.GIVEN else "cancelled"
                text += f" {len(changed)} placement{'s' if len(changed) != 1 else ''} {done}."
            messages.success(request, text)
            return redirect("school:pupils")
    history = consent_history(pupil=pupil)
    return render(request, "school/consent.html", {"form": form, "pupil": pupil, "history": history})


@staff_only
def windows(request: AuthedRequest) -> HttpResponse:
    school = staff_school(request)
    form = WindowForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        try:
            school_services.window_save(school=school, data=form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, f"Work experience week for Year {form.cleaned_data['year_group']} saved."
            )
            return redirect("school:windows")
    return render(
        request,
        "school/windows.html",
        {
            "form": form,
            "windows": windows_for_user(user=request.user).order_by("starts_on", "year_group"),
        },
    )


@staff_only
def import_upload(request: AuthedRequest) -> HttpResponse:
    staff_school(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            text = decode(form.cleaned_data["file"].read())
        except UnicodeDecodeError:
            form.add_error("file", "The selected file must be a CSV saved as text")
        else:
            preview = import_preview(text)
            token = hashlib.sha256(text.encode()).hexdigest()[:16]
            if preview.clean:
                request.session[SESSION_KEY] = {"token": token, "text": text}
            else:
                request.session.pop(SESSION_KEY, None)
            return render(request, "school/import_preview.html", {"preview": preview, "token": token})
    return render(request, "school/import.html", {"form": form})


@staff_only
def import_confirm(request: AuthedRequest) -> HttpResponse:
    school = staff_school(request)
    stored = request.session.get(SESSION_KEY)
    if request.method != "POST" or not stored or stored["token"] != request.POST.get("token"):
        messages.error(request, "Upload the file again: the checked file was not found.")
        return redirect("school:import")
    # Checked again now: another import may have taken an email address meanwhile.
    preview = import_preview(stored["text"])
    try:
        created = school_services.pupils_import(
            school=school, preview=preview, actor=request.user, site_url=request.build_absolute_uri("/")
        )
    except school_services.ImportFailed as error:
        return render(
            request, "school/import_preview.html", {"preview": preview, "token": "", "failure": str(error)}
        )
    request.session.pop(SESSION_KEY, None)
    count = f"{len(created)} pupil{'s' if len(created) != 1 else ''}"
    messages.success(request, f"{count} imported and invited by email to set a password.")
    return redirect("school:accounts")
