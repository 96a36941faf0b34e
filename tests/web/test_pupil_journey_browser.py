"""The pupil journey without dead ends, in a real browser: one test per fix."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from placements.models import Application, MatchRun, MatchStatus, UnplacedPupil
from schools.models import ConsentStatus
from tests.web.conftest import log_in, visit
from tests.web.world import WebWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
S = MatchStatus


def test_declining_an_offer_closes_that_choice(page: Any, web_world: WebWorld) -> None:
    wanted = web_world.add_opportunity("Games studio week")
    spare = web_world.add_opportunity("Radio station week", sector="health")
    web_world.apply(web_world.pupil, wanted, spare)
    web_world.match(web_world.pupil, wanted, to=S.EMPLOYER_CONFIRMED)
    log_in(page, web_world.pupil.user.email)
    page.get_by_role("link", name="No, I do not want it").click()
    page.get_by_label("Changed my mind").check()
    page.get_by_role("button", name="Say no to this placement").click()
    visit(page, "/pupil/choices/")
    choices = page.get_by_role("table", name="Your choices, most wanted first")
    expect(choices).to_contain_text("Radio station week")
    expect(choices).not_to_contain_text("Games studio week")
    expect(page.locator("body")).to_contain_text("Games studio week, ")
    expect(page.locator("body")).to_contain_text("You said no to the offer")


def test_confirmation_closes_the_other_choices_with_the_reason(page: Any, web_world: WebWorld) -> None:
    pupil = web_world.add_pupil("Jordan")  # consent on file, so accepting confirms
    wanted = web_world.add_opportunity("Games studio week")
    other = web_world.add_opportunity("Radio station week", sector="health")
    web_world.apply(pupil, wanted, other)
    web_world.match(pupil, wanted, to=S.CONFIRMED)
    log_in(page, pupil.user.email)
    visit(page, "/pupil/choices/")
    expect(page.locator("body")).to_contain_text("Radio station week")
    expect(page.locator("body")).to_contain_text("Your placement elsewhere is confirmed")
    assert not Application.objects.filter(opportunity=other, status="active").exists()


def test_the_offer_says_when_to_answer_and_what_happens_then(page: Any, web_world: WebWorld) -> None:
    wanted = web_world.add_opportunity("Games studio week")
    web_world.match(web_world.pupil, wanted, to=S.EMPLOYER_CONFIRMED)
    log_in(page, web_world.pupil.user.email)
    visit(page, "/pupil/")
    notice = page.locator(".govuk-inset-text").filter(has_text="Please answer by")
    expect(notice).to_contain_text("the offer lapses and the place goes to another pupil")


def test_an_accepted_offer_waiting_for_consent_is_not_called_confirmed(
    page: Any, web_world: WebWorld
) -> None:
    pupil = web_world.add_pupil("Casey", parental_consent=ConsentStatus.REQUESTED)
    wanted = web_world.add_opportunity("Games studio week")
    web_world.match(pupil, wanted, to=S.EMPLOYER_CONFIRMED)
    log_in(page, pupil.user.email)
    page.get_by_role("button", name="Yes, I want this placement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You said yes: waiting for your parent or carer's consent"
    )


def test_an_unplaced_pupil_sees_why_what_is_open_and_whom_to_ask(page: Any, web_world: WebWorld) -> None:
    full = web_world.add_opportunity("Games studio week")
    web_world.add_opportunity("Radio station week", sector="health")
    web_world.apply(web_world.pupil, full)
    run = MatchRun.objects.create(region=web_world.region, seed=1, status=MatchRun.Status.SUCCEEDED)
    UnplacedPupil.objects.create(
        run=run,
        pupil=web_world.pupil,
        reason="FILLED",
        explanation="All 1 placement(s) on your list were filled by pupils ahead of you.",
    )
    log_in(page, web_world.pupil.user.email)
    visit(page, "/pupil/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You have not been placed yet")
    expect(page.locator("main")).to_contain_text("were filled by pupils ahead of you")
    expect(page.locator("main")).to_contain_text(web_world.adviser.email)
    page.get_by_role("link", name="See placements you can still apply for").click()
    expect(page.locator(".mobility-card").filter(has_text="Radio station week")).to_have_count(1)


def test_the_reflection_form_opens_on_the_first_day(page: Any, web_world: WebWorld) -> None:
    today = dt.date.today()
    pupil = web_world.add_pupil("Jordan")
    starting = web_world.add_opportunity("Games studio week")
    match = web_world.match(pupil, starting, to=S.CONFIRMED)
    # The placement starts today (set directly: a live placement's dates are otherwise fixed).
    type(starting).objects.filter(pk=starting.pk).update(
        starts_on=today, ends_on=today + dt.timedelta(days=4)
    )
    log_in(page, pupil.user.email)
    visit(page, "/pupil/")
    page.get_by_role("button", name="Tell us how it is going").click()
    page.wait_for_url(f"**/pupil/placements/{match.pk}/reflection/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_removing_a_choice_asks_first(page: Any, web_world: WebWorld) -> None:
    wanted = web_world.add_opportunity("Games studio week")
    web_world.apply(web_world.pupil, wanted)
    log_in(page, web_world.pupil.user.email)
    visit(page, "/pupil/choices/")
    page.get_by_role("link", name="Remove Games studio week").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Remove Games studio week")
    page.get_by_role("link", name="No, keep it").click()
    expect(page.get_by_role("table", name="Your choices, most wanted first")).to_contain_text(
        "Games studio week"
    )
    page.get_by_role("link", name="Remove Games studio week").click()
    page.get_by_role("button", name="Yes, remove it").click()
    expect(page.locator("body")).to_contain_text("You removed this choice")


def test_search_shows_what_the_pupil_can_apply_for_first(page: Any, web_world: WebWorld) -> None:
    web_world.add_opportunity("In my week")
    later = web_world.window_end + dt.timedelta(days=30)
    web_world.add_opportunity("Outside my week", starts_on=later, ends_on=later + dt.timedelta(days=2))
    log_in(page, web_world.pupil.user.email)
    visit(page, "/pupil/opportunities/")
    cards = page.locator(".mobility-card")
    expect(cards.filter(has_text="In my week")).to_have_count(1)
    expect(cards.filter(has_text="Outside my week")).to_have_count(0)
    page.get_by_role("link", name="Show all placements you can reach").click()
    expect(cards.filter(has_text="Outside my week")).to_have_count(1)
