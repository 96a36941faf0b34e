"""The employer's journey: compliance warnings, posting an opportunity, answering for a pupil."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from employers.models import ComplianceRecord, Opportunity
from placements.lifecycle.models import PlacementFeedback
from placements.models import MatchStatus
from tests.web.conftest import check_accessibility, log_in, screenshot, visit
from tests.web.world import WebWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_employer_posts_an_opportunity_and_answers_for_pupils(page: Any, web_world: WebWorld) -> None:
    opportunity = web_world.add_opportunity("Games studio week")
    offered = web_world.match(web_world.pupil, opportunity, to=MatchStatus.OFFERED)
    jordan = web_world.add_pupil("Jordan")
    started = web_world.add_opportunity("Testing taster")
    placed = web_world.match(jordan, started, to=MatchStatus.CONFIRMED)
    monday = dt.date.today() - dt.timedelta(days=dt.date.today().weekday() + 7)
    Opportunity.objects.filter(pk=started.pk).update(starts_on=monday, ends_on=monday + dt.timedelta(days=4))

    log_in(page, "member@employer.test")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mersey Code Works")
    expect(page.locator(".govuk-warning-text")).to_contain_text("Employer's liability insurance: Expires on")
    expect(page.get_by_role("link", name="Riley, Year 10, Dale Street Academy")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "employer-home")

    # Only what an employer may see before the pupil accepts: first name, school, year group.
    visit(page, "/employer/pupils/")
    table = page.get_by_role("table", name="Matched pupils")
    expect(table).to_contain_text("Riley")
    expect(table).not_to_contain_text("Needs a quiet space at lunch.")
    expect(table).to_contain_text(jordan.user.get_full_name())  # confirmed: full name
    body = page.locator("main").inner_text()
    pupil = web_world.pupil
    for secret in (
        "Jones",
        pupil.postcode,
        f"{pupil.date_of_birth:%-d %B %Y}",
        pupil.date_of_birth.isoformat(),
        "free school meals",
        "pupil premium",
    ):
        assert secret not in body, f"{secret!r} must not be shown to an employer"

    # Post an opportunity: first with nothing filled in.
    visit(page, "/employer/opportunities/new/")
    page.get_by_role("button", name="Save opportunity").click()
    summary = page.locator(".govuk-error-summary")
    for message in (
        "Enter a title",
        "Describe what the pupil will do",
        "Select where the placement happens",
        "Enter the number of places",
        "Enter the first day",
        "Enter the last day",
    ):
        expect(summary).to_contain_text(message)
    expect(page.locator("#id_title_error")).to_contain_text("Enter a title")
    assert page.title().startswith("Error:")
    check_accessibility(page)
    # The summary links take the keyboard to the field.
    summary.get_by_role("link", name="Enter a title").click()
    expect(page.get_by_label("Title")).to_be_focused()

    start = web_world.window_start
    page.get_by_label("Title").fill("Junior developer week")
    page.get_by_label("What the pupil will do").fill("Pair with a developer and ship a small change.")
    site = opportunity.site
    assert site is not None
    page.get_by_label("Where").select_option(label=f"{site.name}, {site.address}")
    page.get_by_label("Number of places").fill("60")
    page.get_by_label("First day").fill(start.isoformat())
    page.get_by_label("Last day").fill((start - dt.timedelta(days=1)).isoformat())
    page.get_by_label("Published").check()
    page.get_by_role("button", name="Save opportunity").click()
    expect(summary).to_contain_text("Offer no more than 50 places")
    expect(summary).to_contain_text("The last day must be the same as or after the first day")
    check_accessibility(page)
    assert not Opportunity.objects.filter(title="Junior developer week").exists()

    page.get_by_label("Number of places").fill("3")
    page.get_by_label("Last day").fill((start + dt.timedelta(days=4)).isoformat())
    page.get_by_role("button", name="Save opportunity").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Junior developer week")
    check_accessibility(page)
    saved = Opportunity.objects.get(title="Junior developer week")
    assert (saved.capacity, saved.status, saved.employer_id) == (3, "published", web_world.employer.pk)

    # Answer for Riley: declining needs a reason.
    visit(page, f"/employer/pupils/{offered.pk}/")
    page.get_by_text("I cannot take this pupil").click()
    page.get_by_role("button", name="Decline this pupil").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select why you cannot take this pupil")
    check_accessibility(page)
    page.get_by_role("button", name="Confirm this placement").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You confirmed Riley's placement")
    offered.refresh_from_db()
    assert offered.status == MatchStatus.EMPLOYER_CONFIRMED

    # Attendance for the placement that has happened: a number out of range first.
    visit(page, f"/employer/pupils/{placed.pk}/")
    page.get_by_label("Days the pupil attended").fill("9")
    page.get_by_label("4: good").check()
    page.get_by_role("button", name="Save attendance and feedback").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Between 0 and 5 days")
    check_accessibility(page)
    page.get_by_label("Days the pupil attended").fill("5")
    page.get_by_label("4: good").check()
    page.get_by_label("Feedback for the pupil and school (optional)").fill("Keen and punctual.")
    page.get_by_role("button", name="Save attendance and feedback").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Attendance and feedback recorded")
    feedback = PlacementFeedback.objects.get(match=placed, side="employer")
    assert (feedback.days_attended, feedback.rating) == (5, 4)

    # Renewing the insurance clears the warning.
    visit(page, "/employer/compliance/")
    page.get_by_label("Employer's liability insurance expires on").fill(
        (start + dt.timedelta(days=400)).isoformat()
    )
    page.get_by_role("button", name="Save compliance records").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Compliance records saved")
    expect(page.locator(".govuk-warning-text")).to_have_count(0)
    check_accessibility(page)
    record = ComplianceRecord.objects.get(employer=web_world.employer)
    assert record.insurance_expires_on == start + dt.timedelta(days=400)
    assert record.supervisor_name == "Pat Supervisor"


def test_employer_adds_a_site_and_changes_organisation_details(page: Any, web_world: WebWorld) -> None:
    log_in(page, "member@employer.test")
    visit(page, "/employer/sites/")
    page.get_by_role("button", name="Add a site").click()
    page.get_by_label("Site name").fill("Baltic Triangle studio")
    page.get_by_label("Address").fill("12 Jamaica Street, Liverpool")
    page.get_by_label("Postcode").fill("ZZ1 1ZZ")
    page.get_by_role("button", name="Save site").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("We could not find the postcode ZZ1 1ZZ")
    expect(page.locator("#id_postcode_error")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Postcode").fill("l1 8jq")
    page.get_by_label("The site has step-free access from the street").check()
    page.get_by_role("button", name="Save site").click()
    expect(page.get_by_role("table", name="Your sites")).to_contain_text("Baltic Triangle studio")
    site = web_world.employer.sites.get(name="Baltic Triangle studio")
    assert (site.postcode, site.local_authority_code, site.step_free_access) == ("L1 8JQ", "E08000012", True)

    visit(page, "/employer/organisation/")
    page.get_by_label("Website (optional)").fill("not a web address")
    page.get_by_role("button", name="Save organisation details").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a full web address")
    check_accessibility(page)
    page.get_by_label("Website (optional)").fill("https://mersey-code.example")
    page.get_by_role("button", name="Save organisation details").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Organisation details saved")
    web_world.employer.refresh_from_db()
    assert web_world.employer.website == "https://mersey-code.example"
