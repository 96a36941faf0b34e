"""Pages for placements pupils find: the pupil's proposal, the employer's link, the school's check."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from mobility.accounts.models import Role
from mobility.accounts.web import AuthedRequest, role_required
from mobility.errors import DomainError
from mobility.pagination import page_of
from mobility.web_forms import add_service_error, attempt, submit_form
from placements.selectors import school_shown_to_employer
from schools.permissions import pupil_of

from .. import selectors, services
from ..models import Proposal, ProposalStatus
from .forms import EmployerDetailsForm, ProposeForm, VetForm

pupil_only = role_required(Role.PUPIL)


def checkers_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """School staff check their pupils' placements under /school/; youth workers their service's
    young people's on the same pages under /youth/. Each role only under its own."""
    by_pages = {pages: role_required(role)(view) for pages, role in CHECKERS.items()}

    @wraps(view)
    def checked(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return by_pages[_pages(request)](request, *args, **kwargs)

    return checked


CHECKERS = {"school": Role.SCHOOL_STAFF, "youth": Role.YOUTH_WORKER}


def _pages(request: AuthedRequest) -> str:
    """The URL namespace the checker works in: school or youth."""
    match = request.resolver_match
    return match.namespace if match else "school"


@pupil_only
def propose(request: AuthedRequest) -> HttpResponse:
    pupil = pupil_of(request.user)
    if pupil is None:
        raise Http404("No pupil record for this account.")
    latest = selectors.latest_proposal(user=request.user)
    form = ProposeForm(request.POST or None)
    if submit_form(
        request,
        form,
        lambda: services.proposal_submit(pupil=pupil, data=form.cleaned_data),
        done="Thank you. We have emailed the employer a link to fill in the details.",
    ):
        return redirect("pupil:found")
    # A young person outside school is checked by their youth worker and gives their own consent.
    young = pupil.school.is_youth_service
    context = {"form": form, "latest": latest, "Status": ProposalStatus, "young": young}
    return render(
        request,
        "selffound/propose.html",
        {**context, "checker": "Your youth worker" if young else "Your school"},
    )


@pupil_only
@require_POST
def withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(selectors.proposals_for_user(user=request.user), pk=pk)
    attempt(
        request,
        lambda: services.proposal_withdraw(proposal_id=proposal.pk, actor=request.user),
        done=f"You withdrew {proposal.employer_name}. You can tell us about another placement.",
    )
    return redirect("pupil:found")


def _for_employer(proposal: Proposal) -> dict[str, Any]:
    young = proposal.pupil.school.is_youth_service
    return {"proposal": proposal, "school": school_shown_to_employer(proposal.pupil), "young": young}


def _refused(request: HttpRequest, error: services.LinkRefused) -> HttpResponse:
    status = 404 if error.reason == "unknown" else 410
    return render(request, "selffound/link_refused.html", {"error": error}, status=status)


@never_cache
def employer_details(request: HttpRequest, token: str) -> HttpResponse:
    """No account needed: the link is the employer's one way in, used once."""
    try:
        link = services.employer_link_open(token=token)
    except services.LinkRefused as error:
        return _refused(request, error)
    form = EmployerDetailsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_employer_complete(link=link, data=form.cleaned_data)
        except services.LinkRefused as error:
            return _refused(request, error)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return render(request, "selffound/employer_done.html", _for_employer(link.proposal))
    return render(request, "selffound/employer_details.html", {"form": form, **_for_employer(link.proposal)})


@checkers_only
def awaiting(request: AuthedRequest) -> HttpResponse:
    page = page_of(selectors.proposals_awaiting_vetting(user=request.user), request.GET.get("page"))
    return render(request, "selffound/awaiting.html", {"page": page, "pages": _pages(request)})


@checkers_only
def vet(request: AuthedRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(
        selectors.proposals_for_user(user=request.user).select_related("sector"), pk=pk
    )
    candidates = list(selectors.employer_candidates(proposal=proposal))
    form = VetForm(request.POST or None, candidates=candidates)
    waiting = proposal.status == ProposalStatus.AWAITING_VETTING
    if request.method == "POST" and waiting and form.is_valid():
        data = form.cleaned_data
        try:
            if data["outcome"] == "refuse":
                services.proposal_refuse(
                    proposal_id=proposal.pk, actor=request.user, reason=data["refusal_reason"], checks=data
                )
            else:
                services.proposal_approve(
                    proposal_id=proposal.pk,
                    actor=request.user,
                    checks=data,
                    employer_choice=data.get("employer_choice", ""),
                )
        except (ValidationError, DomainError) as error:
            add_service_error(form, error)
        else:
            word = (
                "refused"
                if data["outcome"] == "refuse"
                else "approved: an adviser now approves the placement"
            )
            messages.success(request, f"{proposal.employer_name} {word}.")
            return redirect(f"{_pages(request)}:found_awaiting")
    context = {"proposal": proposal, "form": form, "waiting": waiting, "pages": _pages(request)}
    return render(request, "selffound/vet.html", context)
