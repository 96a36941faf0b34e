"""The employer member's "Colleagues" page: who is in the organisation, inviting and removing."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from employers import registration
from employers.models import EmployerMember
from employers.web.access import member_employer, member_only
from employers.web.selectors import colleagues_of
from mobility.accounts.web import AuthedRequest, invite_colleague_page
from mobility.errors import DomainError
from mobility.web_forms import ColleagueForm


@member_only
def colleagues(request: AuthedRequest) -> HttpResponse:
    employer = member_employer(request)
    return render(
        request,
        "employer/colleagues.html",
        {"colleagues": colleagues_of(employer=employer), "now": timezone.now()},
    )


@member_only
def colleague_invite(request: AuthedRequest) -> HttpResponse:
    return invite_colleague_page(
        request,
        form=ColleagueForm(request.POST or None),
        invite=partial(registration.member_invite, employer=member_employer(request)),
        done_url=reverse("employer:colleagues"),
        back_url=reverse("employer:colleagues"),
        back_text="colleagues",
        what_they_can="They can then do everything you can for your organisation.",
    )


@member_only
@require_POST
def colleague_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    employer = member_employer(request)
    member = get_object_or_404(EmployerMember.objects.select_related("user"), pk=pk, employer=employer)
    try:
        registration.member_remove(member=member, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{member.user.get_full_name()} no longer has access.")
    return redirect("employer:colleagues")
