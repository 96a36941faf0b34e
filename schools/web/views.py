"""School staff's own pages: pupil import, work-experience weeks, consent.

The home page, the pupil list and Benchmark 6 show placements, so they are placements'
(``placements.web.school_views``), served under ``/school/`` too.
"""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from mobility.accounts.models import Role
from mobility.accounts.web import AuthedRequest, role_required
from mobility.audit.services import pupil_record_view_record
from mobility.web_forms import form_step, submit_form
from schools import services as school_services
from schools.imports import Preview, decode, expected_headers, import_preview
from schools.models import Pupil
from schools.permissions import pupil_of
from schools.selectors import pupils_for_user, windows_for_user
from schools.web.access import staff_only, staff_school
from schools.web.consent import consent_page
from schools.web.forms import AccessNeedsForm, ImportForm, PupilAddForm, WindowForm

pupil_only = role_required(Role.PUPIL)
SESSION_KEY = "pupil_import"


@staff_only
def consent(request: AuthedRequest, pk: int) -> HttpResponse:
    staff_school(request)
    pupil = get_object_or_404(pupils_for_user(user=request.user), pk=pk)
    return consent_page(
        request,
        pupil,
        template="school/consent.html",
        place="school consent page",
        done=redirect("school:pupils"),
    )


@staff_only
def pupil_add(request: AuthedRequest) -> HttpResponse:
    school = staff_school(request)
    form = PupilAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        pupil = form_step(
            form,
            lambda: school_services.pupil_create(
                school=school,
                data=form.cleaned_data,
                actor=request.user,
                site_url=request.build_absolute_uri("/"),
            ),
        )
        if pupil is not None:
            name = pupil.user.get_full_name()
            messages.success(request, f"{name} added and invited by email to set a password.")
            return redirect("school:pupils")
    return render(request, "school/pupil_add.html", {"form": form})


ACCESS_FIELDS = ("access_needs", "needs_step_free_access", "share_access_needs")


def _access_needs_form(
    request: AuthedRequest, pupil: Pupil, allowed: frozenset[str]
) -> AccessNeedsForm | None:
    """The access needs form; None once saved. Both the pupil and the school's staff may mark them."""
    form = AccessNeedsForm(
        request.POST or None, initial={name: getattr(pupil, name) for name in ACCESS_FIELDS}
    )
    data = dict(form.cleaned_data) if form.is_bound and form.is_valid() else None
    saved = (
        None
        if data is None
        else form_step(form, lambda: school_services.pupil_update(pupil=pupil, allowed=allowed, data=data))
    )
    return form if saved is None else None


@pupil_only
def my_access_needs(request: AuthedRequest) -> HttpResponse:
    pupil = pupil_of(request.user)
    if pupil is None:
        raise Http404("No pupil record for this account.")
    form = _access_needs_form(request, pupil, school_services.PUPIL_SELF_FIELDS)
    if form is None:
        messages.success(request, "Your access needs are saved.")
        return redirect("pupil:access_needs")
    return render(request, "pupil/access_needs.html", {"form": form, "pupil": pupil, "own": True})


@staff_only
def access_needs(request: AuthedRequest, pk: int) -> HttpResponse:
    staff_school(request)
    pupil = get_object_or_404(pupils_for_user(user=request.user), pk=pk)
    pupil_record_view_record(pupil_id=pupil.pk, viewer=request.user, place="school access needs page")
    form = _access_needs_form(request, pupil, school_services.PUPIL_STAFF_FIELDS)
    if form is None:
        messages.success(request, f"Access needs for {pupil.user.get_full_name()} saved.")
        return redirect("school:pupil", pk=pupil.pk)
    return render(request, "pupil/access_needs.html", {"form": form, "pupil": pupil, "own": False})


@staff_only
def windows(request: AuthedRequest) -> HttpResponse:
    school = staff_school(request)
    form = WindowForm(request.POST or None, school=school)
    if submit_form(
        request,
        form,
        lambda: school_services.window_save(school=school, data=form.cleaned_data),
        done=lambda window: f"Work experience week for Year {window.year_group} saved.",
    ):
        return redirect("school:windows")
    windows = windows_for_user(user=request.user).order_by("starts_on", "year_group")
    return render(request, "school/windows.html", {"form": form, "windows": windows})


@staff_only
def import_upload(request: AuthedRequest) -> HttpResponse:
    school = staff_school(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            text = decode(form.cleaned_data["file"].read())
        except UnicodeDecodeError:
            form.add_error("file", "The selected file must be a CSV saved as text")
        else:
            preview = import_preview(text, school=school)
            token = hashlib.sha256(text.encode()).hexdigest()[:16]
            if preview.clean:
                request.session[SESSION_KEY] = {"token": token, "text": text}
            else:
                request.session.pop(SESSION_KEY, None)
            return _preview_page(request, preview, token)
    return render(request, "school/import.html", {"form": form})


def _preview_page(
    request: AuthedRequest,
    preview: Preview,
    token: str,
    failure: str = "",
    chosen: dict[int, str] | None = None,
) -> HttpResponse:
    context = {
        "preview": preview,
        "token": token if preview.clean else "",
        "failure": failure,
        "expected_headers": expected_headers(),
        "choices": school_services.Choice.choices,
        "to_choose": [(row, (chosen or {}).get(row.number, "")) for row in preview.rows if row.needs_choice],
        "repeats": [row for row in preview.rows if row.same_as_row is not None],
        "chosen_all": request.POST.get("choice_all", ""),
    }
    return render(request, "school/import_preview.html", context)


def _choices(request: AuthedRequest) -> dict[int, str]:
    """Each flagged row's answer, by row number, from fields named ``choice-<row>``."""
    chosen: dict[int, str] = {}
    for name in request.POST:
        number, value = name.removeprefix("choice-"), request.POST.get(name, "")
        if number != name and number.isdigit() and value in school_services.Choice.values:
            chosen[int(number)] = value
    return chosen


@staff_only
def import_confirm(request: AuthedRequest) -> HttpResponse:
    school = staff_school(request)
    stored = request.session.get(SESSION_KEY)
    if request.method != "POST" or not stored or stored["token"] != request.POST.get("token"):
        messages.error(request, "Upload the file again: the checked file was not found.")
        return redirect("school:import")
    chosen = _choices(request)
    try:
        result = school_services.pupils_import(
            school=school,
            text=stored["text"],
            choices=chosen,
            for_all=request.POST.get("choice_all", ""),
            actor=request.user,
            site_url=request.build_absolute_uri("/"),
        )
    except school_services.ImportFailed as error:
        preview = error.preview or import_preview(stored["text"], school=school)
        return _preview_page(request, preview, stored["token"], str(error), chosen)
    request.session.pop(SESSION_KEY, None)
    messages.success(request, _result_words(result))
    return redirect("school:accounts")


def _result_words(result: school_services.ImportResult) -> str:
    parts = [f"{_pupils(len(result.created))} imported and invited by email to set a password"]
    if result.updated:
        parts.append(f"{_pupils(len(result.updated))} updated")
    if result.unchanged:
        parts.append(f"{_pupils(result.unchanged)} already up to date")
    if result.skipped:
        parts.append(f"{result.skipped} row{'s' if result.skipped != 1 else ''} skipped")
    return "; ".join(parts) + "."


def _pupils(count: int) -> str:
    return f"{count} pupil{'s' if count != 1 else ''}"
