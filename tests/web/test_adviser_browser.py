"""The careers adviser's journey: start a run on a real worker, watch it, review and decide."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from placements.models import Match, MatchRun, MatchStatus
from tests.matching.conftest import Worker, matching_worker  # noqa: F401  (a fixture)
from tests.web.conftest import check_accessibility, log_in, screenshot, visit
from tests.web.world import WebWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _populate(world: WebWorld) -> None:
    """Six pupils competing for four seats near home."""
    first = world.add_opportunity("Games studio week", metres_east=800, capacity=2)
    second = world.add_opportunity("Ward clerk taster", metres_east=2500, sector="health", capacity=2)
    pupils = [world.pupil] + [world.add_pupil(name) for name in ("Alex", "Bo", "Cai", "Dee", "Eli")]
    for i, pupil in enumerate(pupils):
        world.apply(pupil, *((first, second) if i % 2 else (second, first)))


def _start_run(page: Any, policy: str, seed: str) -> None:
    visit(page, "/adviser/runs/new/")
    page.get_by_label(policy).check()
    page.get_by_label("Lottery seed (optional)").fill(seed)
    page.get_by_role("button", name="Start the run").click()
    # The progress page polls until the worker finishes, then moves on by itself.
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"Run \d+: (review matches|failed)"), timeout=90_000)
    assert "failed" not in heading.inner_text(), page.locator("main").inner_text()


def test_adviser_runs_matching_and_reviews_the_matches(
    page: Any,
    web_world: WebWorld,
    matching_worker: Worker,  # noqa: F811
) -> None:
    _populate(web_world)
    log_in(page, "adviser@careers.test")
    expect(page.get_by_role("heading", level=1)).to_have_text("Match runs")
    check_accessibility(page)
    screenshot(page, "adviser-home")

    # A rejected form first: the seed is not a number.
    page.get_by_role("button", name="Start a match run").click()
    page.get_by_label("Lottery seed (optional)").fill("twelve")
    page.get_by_role("button", name="Start the run").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The seed must be a whole number")
    check_accessibility(page)
    assert not MatchRun.objects.exists()

    _start_run(page, "Stable (pupil-proposing deferred acceptance)", "7")
    check_accessibility(page)
    run = MatchRun.objects.get(policy="stable")
    assert run.status == "succeeded", run.error
    expect(page.get_by_role("table", name=re.compile("Fairness by priority group"))).to_contain_text(
        "Free school meals or pupil premium"
    )
    screenshot(page, "adviser-run")
    proposed = list(Match.objects.filter(run=run).select_related("pupil__user").order_by("pk"))
    assert len(proposed) == 4, "four seats, six pupils"

    # Approve one match with its own button.
    one = proposed[0]
    page.get_by_role("button", name=f"Approve {one.pupil.user.get_full_name()}").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("match is approved")
    check_accessibility(page)
    one.refresh_from_db()
    assert one.status == MatchStatus.APPROVED

    # Bulk: rejecting needs a reason and a note.
    two, three = proposed[1], proposed[2]
    for match in (two, three):
        page.get_by_label(f"Select {match.pupil.user.get_full_name()}").check()
    page.get_by_label("Reject", exact=True).check()
    page.get_by_role("button", name="Apply to selected matches").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select a reason for rejecting")
    expect(summary).to_contain_text("Add a note explaining the rejection")
    check_accessibility(page)
    assert Match.objects.filter(pk__in=[two.pk, three.pk], status=MatchStatus.PROPOSED).count() == 2

    # The selection survived the error: approve both in one submit.
    expect(page.get_by_label(f"Select {two.pupil.user.get_full_name()}")).to_be_checked()
    page.get_by_label("Approve", exact=True).check()
    page.get_by_role("button", name="Apply to selected matches").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("2 matches updated")
    assert Match.objects.filter(pk__in=[two.pk, three.pk], status=MatchStatus.APPROVED).count() == 2

    # What if: the same data under maximum coverage, side by side.
    _start_run(page, "Maximum coverage (what-if)", "7")
    visit(page, "/adviser/compare/")
    table = page.get_by_role("table", name="Side by side")
    expect(table).to_contain_text("(Stable matching")
    expect(table).to_contain_text("(Most pupils placed")
    expect(table.get_by_role("row", name=re.compile("Blocking pairs"))).to_contain_text("0")

    visit(page, "/adviser/unmet-demand/")
    expect(page.get_by_role("table", name="Unplaced pupils by local authority")).to_contain_text("Liverpool")


def test_progress_bar_polls_until_the_run_ends(page: Any, web_world: WebWorld) -> None:
    """No worker here: the test moves the run along itself and watches the page follow."""
    run = MatchRun.objects.create(region=web_world.region, seed=3, created_by=web_world.adviser)
    log_in(page, "adviser@careers.test")
    visit(page, f"/adviser/runs/{run.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Run {run.pk} is in progress")
    bar = page.locator("progress")
    expect(bar).to_have_attribute("value", "0")
    expect(page.get_by_role("status")).to_contain_text("Queued: 0% done")
    screenshot(page, "adviser-progress")

    MatchRun.objects.filter(pk=run.pk).update(status="running", stage="solving", progress=0.5)
    expect(page.get_by_role("status")).to_contain_text("Solving: 50% done", timeout=5_000)
    expect(bar).to_have_attribute("value", "50")
    check_accessibility(page)

    statistics = {"pupils": 1, "placed": 0, "placed_rate": 0.0, "first_choice_rate": 0.0, "by_tier": []}
    MatchRun.objects.filter(pk=run.pk).update(
        status="succeeded", stage="done", progress=1.0, statistics=statistics
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Run {run.pk}: review matches", timeout=5_000)
    check_accessibility(page)


def test_without_javascript_the_progress_page_refreshes_itself(
    chromium: Any, live_server: Any, web_world: WebWorld
) -> None:
    run = MatchRun.objects.create(region=web_world.region, seed=3, created_by=web_world.adviser)
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, "adviser@careers.test")
        page.goto(f"/adviser/runs/{run.pk}/")  # axe needs JavaScript, so no visit() here
        expect(page.get_by_role("link", name="Refresh to see progress")).to_be_visible()
        statistics = {"pupils": 0, "placed": 0, "placed_rate": 0.0, "first_choice_rate": 0.0, "by_tier": []}
        MatchRun.objects.filter(pk=run.pk).update(
            status="succeeded", stage="done", progress=1.0, statistics=statistics
        )
        # The <noscript> meta refresh reloads the page every few seconds.
        expect(page.get_by_role("heading", level=1)).to_have_text(
            f"Run {run.pk}: review matches", timeout=10_000
        )
    finally:
        context.close()
