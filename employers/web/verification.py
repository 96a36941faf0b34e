"""The adviser's compliance pages: records awaiting verification, and verifying one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from employers import services
from employers.models import ComplianceRecord
from employers.selectors import NOT_VERIFIED, compliance_awaiting_verification, compliance_problems
from mobility.accounts.models import Role
from mobility.accounts.web import AuthedRequest, role_required
from mobility.web_forms import GovukForm, add_service_error, text_area

adviser_only = role_required(Role.ADVISER, Role.ADMIN)


class VerifyForm(GovukForm):
    note = text_area(
        "Evidence seen",
        missing="Say what evidence you saw",
        help_text="For example: insurance certificate EL-123456 to 31 March; risk assessment dated 2 May.",
    )


@adviser_only
def awaiting(request: AuthedRequest) -> HttpResponse:
    return render(
        request, "adviser/compliance_awaiting.html", {"records": compliance_awaiting_verification()}
    )


@adviser_only
def verify(request: AuthedRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(ComplianceRecord.objects.select_related("employer"), pk=pk)
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.compliance_verify(record=record, actor=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{record.employer.name}'s compliance record is verified.")
            return redirect("adviser:compliance")
    # What would still block a placement ending today, besides the verification itself.
    today = timezone.localdate()
    others = [p for p in compliance_problems(employer=record.employer, through=today) if p != NOT_VERIFIED]
    return render(
        request, "adviser/compliance_verify.html", {"form": form, "record": record, "problems": others}
    )
