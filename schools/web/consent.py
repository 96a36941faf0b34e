"""The consent page school staff and youth workers share: one answer recorded, and what it did."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render

from mobility.accounts.web import AuthedRequest
from mobility.audit.services import pupil_record_view_record
from mobility.errors import DomainError
from mobility.web_forms import add_service_error
from schools import services as school_services
from schools.models import ConsentStatus, Pupil
from schools.selectors import consent_history
from schools.web.forms import ConsentForm, OwnConsentForm


def consent_page(
    request: AuthedRequest, pupil: Pupil, *, template: str, place: str, done: HttpResponse
) -> HttpResponse:
    """A parent's or carer's answer for a pupil; a young person's own answer for themself."""
    form_class = OwnConsentForm if pupil.is_young_person else ConsentForm
    form = form_class(request.POST or None, initial={"status": pupil.parental_consent})
    pupil_record_view_record(pupil_id=pupil.pk, viewer=request.user, place=place)
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
            messages.success(request, _saved_text(pupil, ConsentStatus(form.cleaned_data["status"]), changed))
            return done
    history = consent_history(pupil=pupil)
    return render(request, template, {"form": form, "pupil": pupil, "history": history})


def _saved_text(pupil: Pupil, status: ConsentStatus, changed: list[int]) -> str:
    name = pupil.user.get_full_name()
    whose = f"{name}'s own consent" if pupil.is_young_person else f"Consent for {name}"
    text = f"{whose} recorded as {status.label.lower()}."
    if changed:
        done = "confirmed" if status == ConsentStatus.GIVEN else "cancelled"
        text += f" {len(changed)} placement{'s' if len(changed) != 1 else ''} {done}."
    return text
