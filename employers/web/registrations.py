"""The adviser's pages for organisations that signed themselves up: the queue, and verifying or
refusing one (``employers.verification``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from employers import verification
from employers.models import Employer
from employers.selectors import employers_awaiting_verification, employers_for_verification
from employers.web.verification import adviser_only
from mobility.accounts.web import AuthedRequest
from mobility.errors import DomainError
from mobility.pagination import page_of, query_without_page
from mobility.web_forms import GovukForm, add_service_error

V = Employer.Verification


class DecisionForm(GovukForm):
    note = forms.CharField(max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, data: Any = None, *, decision: str) -> None:
        super().__init__(data, prefix=decision)
        note = self.fields["note"]
        if decision == V.VERIFIED:
            note.label = "What you checked"
            note.help_text = (
                "For example: Companies House 01234567 active; called the contact on the number given."
            )
        else:
            note.label = "Reason for refusing"
            note.help_text = "The organisation's contact is sent this reason."
        note.error_messages["required"] = verification.NOTE_NEEDED[decision]


@adviser_only
def queue(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status") or V.PENDING
    if status not in (V.PENDING, V.REFUSED):
        status = V.PENDING
    q = request.GET.get("q", "").strip()
    page = page_of(
        employers_awaiting_verification(user=request.user, status=status, search=q), request.GET.get("page")
    )
    return render(
        request,
        "adviser/employers.html",
        {
            "page": page,
            "q": q,
            "status": status,
            "status_keep": [("status", status)],
            "query": query_without_page(request.GET),
        },
    )


def _page(request: AuthedRequest, employer: Employer, **forms_: DecisionForm) -> HttpResponse:
    bound = {
        "verify_form": forms_.get("verify_form") or DecisionForm(decision=V.VERIFIED),
        "refuse_form": forms_.get("refuse_form") or DecisionForm(decision=V.REFUSED),
    }
    status = 400 if any(f.is_bound for f in forms_.values()) else 200
    return render(
        request,
        "adviser/employer.html",
        {
            "employer": employer,
            "sites": employer.sites.all(),
            "members": employer.members.select_related("user"),
            "opportunities": employer.opportunities.order_by("starts_on", "pk")[:20],
            "form": next((f for f in forms_.values() if f.errors), None),
            **bound,
        },
        status=status,
    )


def _employer(request: AuthedRequest, pk: int) -> Employer:
    return get_object_or_404(
        employers_for_verification(user=request.user).select_related("sector", "contact"), pk=pk
    )


@adviser_only
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _page(request, _employer(request, pk))


@adviser_only
@require_POST
def decide(request: AuthedRequest, pk: int, decision: str) -> HttpResponse:
    employer = _employer(request, pk)
    form = DecisionForm(request.POST, decision=decision)
    if form.is_valid():
        try:
            if decision == V.VERIFIED:
                verification.employer_verify(
                    employer=employer, actor=request.user, note=form.cleaned_data["note"]
                )
            else:
                verification.employer_refuse(
                    employer=employer, actor=request.user, reason=form.cleaned_data["note"]
                )
        except (ValidationError, DomainError) as error:
            add_service_error(form, error)
        else:
            done = "verified: pupils can now see its opportunities" if decision == V.VERIFIED else "refused"
            messages.success(request, f"{employer.name} is {done}. Its contact has been emailed.")
            return redirect("adviser:employers")
    key = "verify_form" if decision == V.VERIFIED else "refuse_form"
    return _page(request, employer, **{key: form})
