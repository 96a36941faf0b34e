"""Changes to live placements: the employer's request page and the adviser's decision pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from employers.models import Opportunity, Site
from employers.selectors import opportunities_for_user
from employers.web.access import member_only
from mobility.accounts.models import Role
from mobility.accounts.web import AuthedRequest, role_required
from mobility.errors import DomainError
from mobility.web_forms import DateField, GovukForm, radios, submit_form, text_area
from placements.lifecycle import changes
from placements.lifecycle.models import ChangeRequest

adviser_only = role_required(Role.ADVISER, Role.ADMIN)


class ChangeRequestForm(GovukForm):
    site = forms.ModelChoiceField(queryset=Site.objects.none(), label="Where", empty_label=None)
    starts_on = DateField(label="First day")
    ends_on = DateField(label="Last day")
    daily_hours = forms.DecimalField(label="Hours a day", max_digits=3, decimal_places=1)
    minimum_age = forms.IntegerField(label="Youngest age you can take")
    reason = text_area(
        "Why it needs to change",
        missing="Say why the placement needs to change",
        help_text="The pupils and their school will be told, and asked to accept the placement again.",
    )

    def __init__(self, *args: Any, opportunity: Opportunity, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "site": opportunity.site_id,
                "starts_on": opportunity.starts_on,
                "ends_on": opportunity.ends_on,
                "daily_hours": opportunity.daily_hours,
                "minimum_age": opportunity.minimum_age,
            },
        )
        super().__init__(*args, **kwargs)
        site = self.fields["site"]
        assert isinstance(site, forms.ModelChoiceField)
        site.queryset = Site.objects.filter(employer_id=opportunity.employer_id)


class DecisionForm(GovukForm):
    decision = radios(
        [("approve", "Approve the change"), ("refuse", "Refuse the change")],
        "Your decision",
        missing="Choose to approve or refuse the change",
    )
    note = text_area("Note")


@member_only
def request_change(request: AuthedRequest, pk: int) -> HttpResponse:
    opportunity = get_object_or_404(opportunities_for_user(user=request.user), pk=pk)
    form = ChangeRequestForm(request.POST or None, opportunity=opportunity)

    def send() -> ChangeRequest:
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        return changes.change_request_create(
            opportunity=opportunity, actor=request.user, data=data, reason=reason
        )

    if submit_form(
        request, form, send, done="Your change has been sent to the careers adviser.", refusals=(DomainError,)
    ):
        return redirect("employer:opportunities")
    return render(request, "changes/request.html", {"form": form, "opportunity": opportunity})


@adviser_only
def pending(request: AuthedRequest) -> HttpResponse:
    waiting = changes.change_requests_for_user(user=request.user).filter(status=ChangeRequest.Status.PENDING)
    return render(request, "changes/pending.html", {"requests": waiting})


@adviser_only
def decide(request: AuthedRequest, pk: int) -> HttpResponse:
    change = get_object_or_404(changes.change_requests_for_user(user=request.user), pk=pk)
    form = DecisionForm(request.POST or None)

    def record() -> ChangeRequest:
        approve = form.cleaned_data["decision"] == "approve"
        service = changes.change_request_approve if approve else changes.change_request_refuse
        return service(request_id=change.pk, actor=request.user, note=form.cleaned_data["note"])

    if submit_form(
        request,
        form,
        record,
        done="Decision recorded. The employer, pupils and schools are told.",
        refusals=(DomainError,),
    ):
        return redirect("changes:pending")
    return render(request, "changes/decide.html", {"form": form, "change": change})
