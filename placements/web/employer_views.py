"""The employer's pages about matches: home (offers waiting), matched pupils, confirm, decline,
attendance feedback. Served under ``/employer/`` with the employer's own pages."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from employers.selectors import opportunities_for_user, sites_for_user
from employers.web.access import member_employer, member_only
from employers.web.selectors import compliance_expiries
from mobility.accounts.web import AuthedRequest
from mobility.audit.services import pupil_record_view_record
from mobility.pagination import matching_words, page_of, query_without_page
from mobility.web_forms import attempt
from placements.lifecycle import services as lifecycle
from placements.lifecycle.feedback import match_feedback_record
from placements.lifecycle.models import PlacementFeedback
from placements.models import Match, MatchStatus
from placements.selectors import SHARED_STATUSES, employer_matches, matched_pupil, matched_pupils
from placements.web.employer_forms import AttendanceFeedbackForm, EmployerDeclineForm
from placements.web.match_answers import match_answer


def _matches(request: AuthedRequest) -> QuerySet[Match]:
    return employer_matches(user=request.user)


@member_only
def home(request: AuthedRequest) -> HttpResponse:
    employer = member_employer(request)
    matches = _matches(request)
    return render(
        request,
        "employer/home.html",
        {
            "employer": employer,
            "expiries": compliance_expiries(employer=employer, today=timezone.localdate()),
            "waiting": matched_pupils(matches.filter(status=MatchStatus.OFFERED)),
            "opportunity_count": opportunities_for_user(user=request.user).count(),
            "site_count": sites_for_user(user=request.user).count(),
        },
    )


@member_only
def pupils(request: AuthedRequest) -> HttpResponse:
    member_employer(request)
    qs = _matches(request)
    q = request.GET.get("q", "").strip()
    if q:  # first names only: an employer sees a surname once the placement is confirmed
        qs = qs.filter(matching_words(q, "pupil__user__first_name", "opportunity__title"))
    page = page_of(qs, request.GET.get("page"))
    return render(
        request,
        "employer/pupils.html",
        {
            "pupils": matched_pupils(page.object_list),
            "page": page,
            "q": q,
            "query": query_without_page(request.GET),
        },
    )


@member_only
def match_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    member_employer(request)
    match = get_object_or_404(_matches(request), pk=pk)
    feedback_form = None
    feedback_given = PlacementFeedback.objects.filter(
        match=match, side=PlacementFeedback.Side.EMPLOYER
    ).exists()
    if (
        match.status == MatchStatus.CONFIRMED
        and match.opportunity.starts_on <= timezone.localdate()
        and not feedback_given
    ):
        feedback_form = AttendanceFeedbackForm()
    if match.status in SHARED_STATUSES:
        pupil_record_view_record(pupil_id=match.pupil_id, viewer=request.user, place="employer match page")
    return _match_page(request, match, feedback_form=feedback_form, feedback_given=feedback_given)


def _match_page(
    request: AuthedRequest,
    match: Match,
    *,
    decline_form: EmployerDeclineForm | None = None,
    feedback_form: AttendanceFeedbackForm | None = None,
    feedback_given: bool = False,
    failed: forms.BaseForm | None = None,
) -> HttpResponse:
    """The match page; ``failed`` is a posted form that did not go through, its errors summarised."""
    context = {
        "pupil": matched_pupil(match),
        "match": match,
        "decline_form": EmployerDeclineForm() if decline_form is None else decline_form,
        "feedback_form": feedback_form,
        "feedback_given": feedback_given,
    }
    if failed is not None:
        context["form"] = failed
    return render(request, "employer/match.html", context)


@member_only
@require_POST
def match_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    match = get_object_or_404(_matches(request), pk=pk)
    attempt(
        request,
        lambda: lifecycle.match_employer_confirm(match_id=match.pk, actor=request.user),
        done=f"You confirmed {match.pupil.user.first_name}'s placement. We will tell the pupil.",
    )
    return redirect("employer:match", pk=match.pk)


@member_only
@require_POST
def match_decline(request: AuthedRequest, pk: int) -> HttpResponse:
    match = get_object_or_404(_matches(request), pk=pk)
    form = EmployerDeclineForm(request.POST)
    done = "You declined this pupil. The careers adviser will find them another placement."
    if match_answer(request, form, lifecycle.match_employer_decline, match, done=done):
        return redirect("employer:pupils")
    return _match_page(request, match, decline_form=form, failed=form)


@member_only
@require_POST
def match_feedback(request: AuthedRequest, pk: int) -> HttpResponse:
    match = get_object_or_404(_matches(request), pk=pk)
    form = AttendanceFeedbackForm(request.POST)
    done = "Attendance and feedback recorded. Thank you."
    if match_answer(request, form, match_feedback_record, match, done=done):
        return redirect("employer:match", pk=match.pk)
    return _match_page(request, match, feedback_form=form, failed=form)
