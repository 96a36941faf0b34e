"""Forgotten and changed passwords, in the browser."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.factories import PASSWORD
from tests.web.conftest import NEW_PASSWORD, check_accessibility, choose_password, log_in, visit
from tests.web.world import WebWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_pupil_resets_a_forgotten_password(page: Any, web_world: WebWorld) -> None:
    visit(page, "/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    check_accessibility(page)
    page.get_by_label("Email address").fill("pupil@school.test")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", str(mail.outbox[-1].body))
    assert link, mail.outbox[-1].body

    page.goto(link.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    check_accessibility(page)
    choose_password(page, "riley123")
    expect(page.locator(".govuk-error-summary")).to_contain_text("too similar to the first name")
    choose_password(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been changed")

    log_in(page, "pupil@school.test", NEW_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("You have not applied yet")
    page.goto(link.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("This reset link is not valid")


def test_school_staff_change_their_password(page: Any, web_world: WebWorld) -> None:
    log_in(page, "staff@school.test")
    page.get_by_role("link", name="Change password").click()
    check_accessibility(page)
    page.get_by_label("Old password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been changed")
    page.get_by_role("button", name=re.compile("Sign out")).click()
    log_in(page, "staff@school.test", NEW_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dale Street Academy")
