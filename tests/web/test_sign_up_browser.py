"""An organisation signs itself up in the browser; pupils see its opportunity only once an adviser
has verified it. And the refusal path."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect

from employers.models import Employer, Opportunity
from employers.tasks import notify_verification_decided
from mobility.outbox.models import OutboxMessage
from tests.web.conftest import NEW_PASSWORD, check_accessibility, choose_password, log_in, visit
from tests.web.world import WebWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "jo@mersey-robotics.test"


def sign_up(page: Any) -> None:
    visit(page, "/")
    page.get_by_role("link", name="Register your organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register your organisation")
    check_accessibility(page)
    page.get_by_label("Organisation name").fill("Mersey Robotics Ltd")
    page.get_by_label("Sector").select_option(label="Digital and creative")
    page.get_by_label("Your first name").fill("Jo")
    page.get_by_label("Your last name").fill("Founder")
    page.get_by_label("Your work email address").fill(EMAIL)
    page.get_by_label("Phone number").fill("0151 496 0000")
    page.get_by_label("Site address").fill("1 Dale Street, Liverpool")
    page.get_by_label("Site postcode").fill("M1 1AE")  # Manchester: not served
    page.get_by_role("button", name="Register").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "M1 1AE is outside the areas this service covers"
    )
    check_accessibility(page)
    page.get_by_label("Site postcode").fill("L2 2DH")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    check_accessibility(page)


def set_password_from_email(page: Any) -> None:
    (message,) = [m for m in mail.outbox if m.to == [EMAIL]]
    link = re.search(r"https?://\S+/accounts/invitation/\S+/", str(message.body))
    assert link, message.body
    page.context.clear_cookies()
    page.goto(link.group(0))
    choose_password(page)
    log_in(page, EMAIL, NEW_PASSWORD)


def decide(page: Any, button: str, label: str, words: str) -> None:
    page.context.clear_cookies()
    log_in(page, "adviser@careers.test")
    page.get_by_role("link", name="New employers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Employers awaiting verification")
    check_accessibility(page)
    page.get_by_role("link", name="Mersey Robotics Ltd").click()
    check_accessibility(page)
    page.get_by_role("button", name=button).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()  # a note or reason is required
    check_accessibility(page)
    page.get_by_label(label).fill(words)
    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Employers awaiting verification")
    # The contact hears through the outbox; the worker's task sends the email.
    message = OutboxMessage.objects.get(task_name="employers.tasks.notify_verification_decided")
    assert notify_verification_decided(**message.kwargs) == 1
    assert mail.outbox[-1].to == [EMAIL]


def pupil_search(page: Any) -> Any:
    page.context.clear_cookies()
    log_in(page, "pupil@school.test")
    visit(page, "/pupil/opportunities/")
    return page.locator("main")


def test_an_organisation_signs_up_and_pupils_find_it_once_verified(page: Any, web_world: WebWorld) -> None:
    sign_up(page)
    set_password_from_email(page)
    banner = page.get_by_role("region", name="Awaiting verification")
    expect(banner).to_contain_text("pupils cannot see any of its opportunities")
    check_accessibility(page)

    page.get_by_role("link", name="Post an opportunity").click()
    start = web_world.window_start
    page.get_by_label("Title").fill("Robot builders week")
    page.get_by_label("What the pupil will do").fill("Build and test a small robot arm with the team.")
    page.get_by_label("Where").select_option(label="Head office, 1 Dale Street, Liverpool")
    page.get_by_label("Number of places").fill("2")
    page.get_by_label("First day").fill(start.isoformat())
    page.get_by_label("Last day").fill((start + dt.timedelta(days=4)).isoformat())
    page.get_by_label("Published").check()
    page.get_by_role("button", name="Save opportunity").click()
    expect(page.get_by_role("link", name="Robot builders week")).to_be_visible()
    assert Opportunity.objects.get(title="Robot builders week").status == "published"

    expect(pupil_search(page)).not_to_contain_text("Robot builders week")

    decide(
        page, "Verify Mersey Robotics Ltd", "What you checked", "Companies House record active; called Jo."
    )
    employer = Employer.objects.get(name="Mersey Robotics Ltd")
    assert employer.is_verified and employer.verification_decided_by_id == web_world.adviser.pk

    expect(pupil_search(page)).to_contain_text("Robot builders week")


def test_a_refused_organisation_is_told_why_and_stays_hidden(page: Any, web_world: WebWorld) -> None:
    sign_up(page)
    set_password_from_email(page)
    decide(page, "Refuse", "Reason for refusing", "We could not find this company at Companies House.")
    assert "could not find this company" in str(mail.outbox[-1].body)

    page.context.clear_cookies()
    log_in(page, EMAIL, NEW_PASSWORD)
    banner = page.get_by_role("region", name="Not verified")
    expect(banner).to_contain_text("We could not find this company at Companies House.")
    check_accessibility(page)
    visit(page, "/employer/sites/")  # the organisation can still sign in and keep its details
    expect(page.locator("main")).to_contain_text("Head office")
