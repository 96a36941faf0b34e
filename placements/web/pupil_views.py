"""The pupil's pages. Thin: reads come from selectors, every change goes through a lifecycle service."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from employers.selectors import opportunities_for_user
from mobility.accounts.models import Role
from mobility.accounts.web import AuthedRequest, role_required
from mobility.web_forms import attempt
from placements.lifecycle import services as lifecycle
from placements.lifecycle.applications import (
    application_reorder,
    application_submit,
    application_withdraw,
)
from placements.lifecycle.feedback import match_feedback_record
from placements.lifecycle.models import PlacementFeedback
from placements.lifecycle.selectors import matches_for_user
from placements.models import Application, Match, MatchStatus
from placements.reach import journeys_to
from placements.web import pupil_selectors as selectors
from placements.web.match_answers import match_answer
from placements.web.pupil_forms import DeclineForm, ReflectionForm, SearchForm
from placements.web.timetable_journey import timetable_journey
from schools.models import Pupil
from schools.permissions import pupil_of
from schools.selectors import windows_for_user

pupil_only = role_required(Role.PUPIL)


def _pupil(request: AuthedRequest) -> Pupil:
    pupil = pupil_of(request.user)
    if pupil is None:
        raise Http404("No pupil record for this account.")
    return pupil


@pupil_only
def home(request: AuthedRequest) -> HttpResponse:
    pupil = _pupil(request)
    today = timezone.localdate()
    state = selectors.pupil_state(user=request.user, today=today)
    journey = journeys_to(pupil, [state.match.opportunity])[0] if state.match else None
    return render(
        request,
        "pupil/home.html",
        {
            "pupil": pupil,
            "state": state,
            "journey": journey,
            "timetable": timetable_journey(pupil, state.match.opportunity) if state.match else None,
            "windows": windows_for_user(user=request.user),
            "feedback_given": bool(state.match and state.match.feedback.filter(side="pupil").exists()),
            "stages": [
                (k, v)
                for k, v in (
                    selectors.OWN_CONSENT_STAGES if pupil.is_young_person else selectors.STAGES
                ).items()
                if k != "unplaced"
            ],
            "max_applications": selectors.max_applications(),
            "today": today,
            "advisers": selectors.advisers_for(pupil=pupil),
        },
    )


@pupil_only
def search(request: AuthedRequest) -> HttpResponse:
    pupil = _pupil(request)
    max_minutes, step_free = min(pupil.max_travel_minutes, 90), pupil.needs_step_free_access
    initial = {"max_minutes": max_minutes, "step_free": step_free}
    # Only a page number: the first visit's defaults, not a filtered search.
    bound = bool(set(request.GET) - {"page"})
    form = SearchForm(request.GET if bound else None, initial=initial)
    today = timezone.localdate()
    rows, page, results = None, None, []
    if bound and form.is_valid():
        criteria = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        criteria["show_all"] = bool(criteria.get("show_all"))
        rows = selectors.opportunity_search(user=request.user, pupil=pupil, today=today, **criteria)
    elif not bound:
        rows = selectors.opportunity_search(
            user=request.user, pupil=pupil, today=today, max_minutes=max_minutes, step_free=step_free
        )
    if rows is not None:
        page = Paginator(rows, 20).get_page(request.GET.get("page"))
        results = selectors.search_results(user=request.user, pupil=pupil, rows=list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "pupil/search.html",
        {
            "form": form,
            "page": page,
            "results": results,
            "count": len(rows or []),
            "query": query.urlencode(),
            "show_all": bool(bound and form.is_valid() and form.cleaned_data.get("show_all")),
        },
    )


@pupil_only
def opportunity(request: AuthedRequest, pk: int) -> HttpResponse:
    pupil = _pupil(request)
    opp = get_object_or_404(opportunities_for_user(user=request.user), pk=pk)
    applications = selectors.active_applications(user=request.user)
    return render(
        request,
        "pupil/opportunity.html",
        {
            "opportunity": opp,
            "journey": journeys_to(pupil, [opp])[0],
            "timetable": timetable_journey(pupil, opp),
            "applied": any(a.opportunity_id == opp.pk for a in applications),
            "full": len(applications) >= selectors.max_applications(),
            "max_applications": selectors.max_applications(),
        },
    )


@pupil_only
@require_POST
def apply(request: AuthedRequest, pk: int) -> HttpResponse:
    pupil = _pupil(request)
    opp = get_object_or_404(opportunities_for_user(user=request.user), pk=pk)
    if attempt(
        request,
        lambda: application_submit(pupil=pupil, opportunity=opp),
        done=f"You applied for {opp.title}. You can change the order of your choices here.",
    ):
        return redirect("pupil:choices")
    return redirect("pupil:opportunity", pk=opp.pk)


@pupil_only
def choices(request: AuthedRequest) -> HttpResponse:
    _pupil(request)
    applications = selectors.active_applications(user=request.user)
    return render(
        request,
        "pupil/choices.html",
        {
            "applications": applications,
            "withdrawn": selectors.withdrawn_applications(user=request.user),
            "max_applications": selectors.max_applications(),
        },
    )


def _application(request: AuthedRequest, pk: int) -> Application:
    return get_object_or_404(
        Application.objects.filter(pupil__user=request.user, status=Application.Status.ACTIVE), pk=pk
    )


@pupil_only
@require_POST
def move(request: AuthedRequest, pk: int, direction: str) -> HttpResponse:
    pupil = _pupil(request)
    application = _application(request, pk)
    order = [a.pk for a in selectors.active_applications(user=request.user)]
    i = order.index(application.pk)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(order):
        order[i], order[j] = order[j], order[i]
        attempt(
            request,
            lambda: application_reorder(pupil=pupil, application_ids=order),
            done=f"{application.opportunity.title} is now choice {j + 1}.",
        )
    return redirect("pupil:choices")


@pupil_only
def withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    """Asks first (a page of its own, no script needed); the POST removes the choice."""
    application = _application(request, pk)
    if request.method != "POST":
        return render(request, "pupil/withdraw.html", {"application": application})
    attempt(
        request,
        lambda: application_withdraw(application=application),
        done=f"You withdrew your application for {application.opportunity.title}.",
    )
    return redirect("pupil:choices")


def _match(request: AuthedRequest, pk: int) -> Match:
    return get_object_or_404(matches_for_user(user=request.user), pk=pk)


@pupil_only
@require_POST
def accept(request: AuthedRequest, pk: int) -> HttpResponse:
    match = _match(request, pk)
    attempt(
        request,
        lambda: lifecycle.match_accept(match_id=match.pk, actor=request.user),
        done=f"You said yes to {match.opportunity.title}. We will tell the employer.",
    )
    return redirect("pupil:home")


@pupil_only
def decline(request: AuthedRequest, pk: int) -> HttpResponse:
    match = _match(request, pk)
    if match.status not in (MatchStatus.OFFERED, MatchStatus.EMPLOYER_CONFIRMED):
        raise Http404("There is no offer to decline.")
    form = DeclineForm(request.POST or None)
    done = "You said no to this placement. You can apply for others."
    if match_answer(request, form, lifecycle.match_pupil_decline, match, done=done):
        return redirect("pupil:home")
    return render(request, "pupil/decline.html", {"form": form, "match": match})


@pupil_only
def reflection(request: AuthedRequest, pk: int) -> HttpResponse:
    match = _match(request, pk)
    if match.status not in (MatchStatus.CONFIRMED, MatchStatus.COMPLETED):
        raise Http404("You can write about a placement once it has started.")
    if PlacementFeedback.objects.filter(match=match, side=PlacementFeedback.Side.PUPIL).exists():
        messages.success(request, "You have already told us about this placement. Thank you.")
        return redirect("pupil:home")
    form = ReflectionForm(request.POST or None, young_person=match.pupil.is_young_person)
    done = "Thank you for telling us about your placement."
    if match_answer(request, form, match_feedback_record, match, done=done):
        return redirect("pupil:home")
    return render(request, "pupil/reflection.html", {"form": form, "match": match})
