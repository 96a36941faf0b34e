"""The pupil's journey in a real browser: find, apply, rank, answer an offer, reflect."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from employers.models import Opportunity
from placements.lifecycle.models import PlacementFeedback
from placements.models import Application, MatchStatus
from tests.web.conftest import check_accessibility, log_in, screenshot, visit
from tests.web.world import PASSWORD, WebWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _keyboard_log_in(page: Any, email: str) -> None:
    page.goto("/accounts/login/")
    page.keyboard.press("Tab")
    expect(page.locator(".govuk-skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Email address")).to_be_focused()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Sign in")).to_be_focused()
    page.keyboard.press("Enter")
    # The skip link left a fragment on the address, which survives the redirect.
    page.wait_for_url(re.compile(r"/pupil/(#main-content)?$"))


def test_pupil_finds_applies_ranks_and_accepts_with_the_keyboard(page: Any, web_world: WebWorld) -> None:
    near = web_world.add_opportunity("Games studio week", metres_east=1000)
    bus = web_world.add_opportunity(
        "Hospital admin taster", metres_east=3000, sector="health", step_free=False
    )
    web_world.add_opportunity("Far away port placement", metres_east=40000, sector="retail")
    web_world.add_opportunity("Online coding challenge", metres_east=90000, mode="virtual")

    visit(page, "/accounts/login/")
    _keyboard_log_in(page, "pupil@school.test")
    expect(page.get_by_role("heading", level=1)).to_have_text("You have not applied yet")
    check_accessibility(page)
    screenshot(page, "pupil-home")

    # Keyboard again: focus the start button and press Enter.
    page.get_by_role("button", name="Find a placement").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/pupil/opportunities/")
    check_accessibility(page)
    results = page.locator(".mobility-card")
    expect(results).to_have_count(3)  # the 40 km placement is out of reach
    expect(results.filter(has_text="Games studio week")).to_contain_text("you can walk")
    expect(results.filter(has_text="Hospital admin taster")).to_contain_text("£2.20 a day (MyTicket")
    expect(results.filter(has_text="Online coding challenge")).to_contain_text(
        "No fare: this placement is online"
    )

    # A rejected search: the end date before the start date.
    page.get_by_label("Starting on or after").fill(web_world.window_end.isoformat())
    page.get_by_label("Ending on or before").fill(web_world.window_start.isoformat())
    page.get_by_role("button", name="Show placements").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The end date must be the same as or after the start date")
    expect(page.locator("#id_ends_before_error")).to_be_visible()
    assert page.title().startswith("Error:")
    check_accessibility(page)

    page.get_by_label("Starting on or after").fill("")
    page.get_by_label("Ending on or before").fill("")
    page.get_by_label("Only workplaces with step-free access").check()
    page.get_by_role("button", name="Show placements").click()
    expect(page.locator(".mobility-card").filter(has_text="Hospital admin taster")).to_have_count(0)
    check_accessibility(page)

    page.get_by_role("link", name="Games studio week").click()
    expect(page.get_by_role("heading", name="How to get there")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Apply for this placement").click()
    page.wait_for_url("**/pupil/choices/")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You applied for Games studio week")
    check_accessibility(page)

    visit(page, f"/pupil/opportunities/{bus.pk}/")
    page.get_by_role("button", name="Apply for this placement").click()
    page.wait_for_url("**/pupil/choices/")
    # Reorder with a button, not by dragging.
    page.get_by_role("button", name="Move up Hospital admin taster").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Hospital admin taster is now choice 1"
    )
    check_accessibility(page)
    ranked = list(
        Application.objects.filter(pupil=web_world.pupil, status="active")
        .order_by("rank")
        .values_list("opportunity__title", flat=True)
    )
    assert ranked == ["Hospital admin taster", "Games studio week"]
    visit(page, "/pupil/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You have applied")

    # The adviser approves and offers, the employer says yes: the pupil sees the offer.
    match = web_world.match(web_world.pupil, near, to=MatchStatus.EMPLOYER_CONFIRMED)
    visit(page, "/pupil/")
    expect(page.get_by_role("heading", level=1)).to_have_text("An offer is waiting for your answer")
    expect(page.get_by_text("you had priority as one of the nearest pupils")).to_be_visible()

    # Saying no needs a reason: a rejected form.
    page.get_by_role("link", name="No, I do not want it").click()
    page.get_by_role("button", name="Say no to this placement").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select why you are saying no")
    check_accessibility(page)
    page.get_by_role("link", name="Back").click()

    page.get_by_role("button", name="Yes, I want this placement").click()
    # Not "confirmed" until the parent or carer has consented.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You said yes: waiting for your parent or carer's consent"
    )
    check_accessibility(page)
    match.refresh_from_db()
    # Under 18 with no consent recorded yet: accepted, waiting for the school.
    assert match.status == MatchStatus.ACCEPTED


def test_pupil_reflects_on_a_finished_placement(page: Any, web_world: WebWorld) -> None:
    opportunity = web_world.add_opportunity("Games studio week")
    pupil = web_world.add_pupil("Jordan")
    match = web_world.match(pupil, opportunity, to=MatchStatus.CONFIRMED)
    # Time passes: the placement took place last week.
    last_week = dt.date.today() - dt.timedelta(days=7)
    Opportunity.objects.filter(pk=opportunity.pk).update(
        starts_on=last_week, ends_on=last_week + dt.timedelta(days=4)
    )

    log_in(page, pupil.user.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your placement is finished")
    check_accessibility(page)
    page.get_by_role("button", name="Tell us how it went").click()
    page.get_by_role("button", name="Send").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select how your placement was")
    expect(summary).to_contain_text("Write a few words about what you learned or enjoyed")
    check_accessibility(page)

    page.get_by_label("4: good").check()
    page.get_by_label("What did you learn or enjoy?").fill("I built a small game level.")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Thank you for telling us")
    feedback = PlacementFeedback.objects.get(match=match, side="pupil")
    assert (feedback.rating, feedback.comment) == (4, "I built a small game level.")


def test_without_javascript_a_pupil_can_still_apply_and_reorder(
    chromium: Any, live_server: Any, web_world: WebWorld
) -> None:
    first = web_world.add_opportunity("Games studio week")
    web_world.add_opportunity("Ward clerk taster", sector="health")
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, "pupil@school.test")
        page.goto("/pupil/opportunities/")
        page.get_by_role("link", name="Ward clerk taster").click()
        page.get_by_role("button", name="Apply for this placement").click()
        page.goto(f"/pupil/opportunities/{first.pk}/")
        page.get_by_role("button", name="Apply for this placement").click()
        page.get_by_role("button", name="Move up Games studio week").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            "Games studio week is now choice 1"
        )
    finally:
        context.close()
    ranked = Application.objects.filter(pupil=web_world.pupil, status="active").order_by("rank")
    assert [a.opportunity.title for a in ranked] == ["Games studio week", "Ward clerk taster"]
