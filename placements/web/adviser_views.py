"""The careers adviser's pages: match runs, their progress, the review queue and the reports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from mobility.accounts.models import Role
from mobility.accounts.web import AuthedRequest, role_required
from mobility.audit.services import pupil_record_view_record
from mobility.pagination import page_of, query_without_page
from mobility.permissions import is_admin
from mobility.web_forms import add_service_error, attempt
from placements.lifecycle import services as lifecycle
from placements.lifecycle.exceptions import LifecycleError
from placements.lifecycle.selectors import matches_for_user, runs_for_user
from placements.matching.figures import run_figures
from placements.matching.services import match_run_create
from placements.models import Match, MatchRun, MatchStatus
from placements.web import adviser_selectors as selectors
from placements.web import adviser_words as words
from placements.web.adviser_forms import BulkForm, RejectForm, RunForm

adviser_only = role_required(Role.ADVISER, Role.ADMIN)
FINISHED = (MatchRun.Status.SUCCEEDED, MatchRun.Status.FAILED)
HTMX_STOP_POLLING = 286  # htmx stops an "every 1s" trigger on this status


def _run(request: AuthedRequest, pk: int) -> MatchRun:
    return get_object_or_404(runs_for_user(user=request.user).select_related("region", "created_by"), pk=pk)


@adviser_only
def home(request: AuthedRequest) -> HttpResponse:
    runs = (
        runs_for_user(user=request.user).select_related("region", "created_by").order_by("-created_at")[:50]
    )
    return render(request, "adviser/home.html", {"runs": runs})


@adviser_only
def run_new(request: AuthedRequest) -> HttpResponse:
    regions = selectors.regions_for_user(user=request.user)
    form = RunForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = match_run_create(
                region=data["region"],
                policy=data["policy"],
                seed=data["seed"],
                parameters={},
                created_by=request.user,
                what_if=data.get("what_if", False),
            )
        except (ValidationError, LifecycleError) as error:
            add_service_error(form, error)
        else:
            return redirect("adviser:run", pk=run.pk)
    return render(request, "adviser/run_new.html", {"form": form})


@adviser_only
def run_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    if run.status not in FINISHED:
        return render(request, "adviser/run_progress.html", {"run": run})
    status = request.GET.get("status") or ""
    if status not in (MatchStatus.PROPOSED, MatchStatus.APPROVED):
        status = ""
    q = request.GET.get("q", "").strip()
    queue = selectors.review_queue(user=request.user, run=run, status=status or None, search=q)
    page = _with_groups(run, page_of(queue, request.GET.get("page")))
    return render(
        request,
        "adviser/run.html",
        {
            "run": run,
            "page": page,
            "q": q,
            "query": query_without_page(request.GET),
            "status_keep": [("status", status)],
            "status": status,
            "bulk_form": BulkForm(),
            **_figures(request, run),
            "selected": set(),
        },
    )


def _figures(request: AuthedRequest, run: MatchRun) -> dict[str, Any]:
    """The run's summary and fairness figures, small numbers suppressed unless an admin asks."""
    figures = run_figures(run=run, reveal=is_admin(request.user))
    return {"figures": figures, "fairness": figures.groups}


def _with_groups(run: MatchRun, page: Any) -> Any:
    """Name each match's priority group, and how it was chosen, in the adviser's words."""
    tiers = words.run_tiers(run)
    for match in page.object_list:
        match.group = words.group_words(match.priority_tier, tiers)
        match.how_chosen = words.how_chosen(match)
    return page


@adviser_only
def run_progress(request: AuthedRequest, pk: int) -> HttpResponse:
    """The progress partial that htmx polls every second; sends the browser on when the run ends."""
    run = _run(request, pk)
    response = render(request, "adviser/_progress.html", {"run": run})
    if run.status in FINISHED:
        response.status_code = HTMX_STOP_POLLING
        if request.headers.get("HX-Request"):
            response["HX-Redirect"] = reverse("adviser:run", args=[run.pk])
    return response


def _decide(request: AuthedRequest, action: str, match_id: int, reason: str = "", note: str = "") -> None:
    if action == "approve":
        lifecycle.match_approve(match_id=match_id, actor=request.user)
    elif action == "offer":
        lifecycle.match_offer(match_id=match_id, actor=request.user)
    elif action == "reject":
        lifecycle.match_reject(match_id=match_id, actor=request.user, reason=reason, note=note)
    else:
        raise PermissionDenied("Unknown action.")


@adviser_only
@require_POST
def match_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    match = get_object_or_404(matches_for_user(user=request.user), pk=pk)
    name = match.pupil.user.get_full_name()
    done = {"approve": "approved", "offer": "offered to the employer"}[action]
    attempt(
        request,
        lambda: _decide(request, action, match.pk),
        done=f"{name}'s match is {done}.",
        refused=f"{name}: ",
    )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("adviser:run", args=[match.run_id])
    return redirect(back)


@adviser_only
def match_reject(request: AuthedRequest, pk: int) -> HttpResponse:
    match = get_object_or_404(matches_for_user(user=request.user).select_related("run"), pk=pk)
    form = RejectForm(request.POST or None)
    if request.method == "GET":
        pupil_record_view_record(pupil_id=match.pupil_id, viewer=request.user, place="adviser match page")
    if request.method == "POST" and form.is_valid():
        try:
            _decide(request, "reject", match.pk, **form.cleaned_data)
        except (LifecycleError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{match.pupil.user.get_full_name()}'s match is rejected.")
            return redirect("adviser:run", pk=match.run_id)
    return render(request, "adviser/reject.html", {"form": form, "match": match})


@adviser_only
@require_POST
def bulk(request: AuthedRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    form = BulkForm(request.POST)
    field = "page_match" if request.POST.get("scope") == "page" else "match"
    ids = [int(i) for i in request.POST.getlist(field) if i.isdigit()]
    if not ids:
        form.add_error(None, "Select at least one match")
    if not form.is_valid():
        queue = selectors.review_queue(user=request.user, run=run)
        return render(
            request,
            "adviser/run.html",
            {
                "run": run,
                "page": _with_groups(run, page_of(queue, 1)),
                "status": "",
                "bulk_form": form,
                "form": form,
                **_figures(request, run),
                "selected": set(ids),
            },
            status=400,
        )
    outcomes = lifecycle.matches_bulk_decide(
        actor=request.user,
        event=form.cleaned_data["action"],
        match_ids=ids,
        run_id=run.pk,
        reason=form.cleaned_data["reason"],
        note=form.cleaned_data["note"],
    )
    failures = [o for o in outcomes if not o.ok and o.code != "not_found"]
    names = {
        m.pk: m.pupil.user.get_full_name()
        for m in Match.objects.filter(pk__in=[o.match_id for o in failures]).select_related("pupil__user")
    }
    done = sum(o.ok for o in outcomes)
    failed = [f"{names[o.match_id]}: {' '.join(o.messages)}" for o in failures]
    if done:
        messages.success(request, f"{done} match{'es' if done != 1 else ''} updated.")
    for text in failed:
        messages.error(request, text)
    return redirect("adviser:run", pk=run.pk)


@adviser_only
def compare(request: AuthedRequest) -> HttpResponse:
    runs = runs_for_user(user=request.user).filter(status=MatchRun.Status.SUCCEEDED).select_related("region")
    chosen = []
    for key, policy in (("a", MatchRun.Policy.STABLE), ("b", MatchRun.Policy.MAX_COVERAGE)):
        raw = request.GET.get(key, "")
        run = runs.filter(pk=int(raw)).first() if raw.isdigit() else runs.filter(policy=policy).first()
        if run is not None:
            setattr(run, "words", words.policy_words(run))  # noqa: B010  (a label for the template)
            chosen.append(run)
    return render(
        request,
        "adviser/compare.html",
        {
            "runs": runs[:50],
            "chosen": chosen,
            "metrics": selectors.comparison(chosen, reveal=is_admin(request.user)),
            "groups": selectors.fairness_side_by_side(chosen, reveal=is_admin(request.user)),
        },
    )


@adviser_only
def unmet(request: AuthedRequest) -> HttpResponse:
    runs = runs_for_user(user=request.user).filter(status=MatchRun.Status.SUCCEEDED).select_related("region")
    raw = request.GET.get("run", "")
    if raw.isdigit():
        run = runs.filter(pk=int(raw)).first()
    else:  # the latest run that could be approved, not a what-if
        run = runs.filter(policy=MatchRun.Policy.STABLE).first() or runs.first()
    reveal = is_admin(request.user)
    return render(
        request,
        "adviser/unmet.html",
        {
            "runs": runs[:50],
            "run": run,
            "by_area": selectors.unmet(run, "unmet_by_la", "local_authorities", reveal=reveal) if run else [],
            "by_sector": selectors.unmet(run, "unmet_by_sector", "sectors", reveal=reveal) if run else [],
        },
    )
