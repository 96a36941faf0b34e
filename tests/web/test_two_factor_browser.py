"""Two-factor sign-in in the browser: setting up an app, codes, recovery codes, and employers
who turn it on. Codes are real TOTP codes, computed from the key the page shows or the app's key."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from mobility.accounts.models import SecondFactorChange, User
from tests.factories import PASSWORD
from tests.twofactor import app_for
from tests.web.conftest import check_accessibility, code_from_key, log_in
from tests.web.world import WebWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_with_password(page: Any, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_an_adviser_sets_up_an_app_and_nothing_else_opens_before(page: Any, web_world: WebWorld) -> None:
    sign_in_with_password(page, "adviser@careers.test")
    expect(page).to_have_url(re.compile("/accounts/two-factor/set-up/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    code_field = page.get_by_label("Security code")
    expect(code_field).to_have_attribute("autocomplete", "one-time-code")
    expect(code_field).to_have_attribute("inputmode", "numeric")
    check_accessibility(page)

    # Until the code is confirmed, every other page leads back here.
    page.goto("/adviser/")
    expect(page).to_have_url(re.compile("/accounts/two-factor/"))
    page.goto("/accounts/two-factor/set-up/")

    setup_key = page.locator("[data-secret]").inner_text()
    page.get_by_label("Security code").fill("000000" if code_from_key(setup_key) != "000000" else "111111")
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code is not right")
    check_accessibility(page)
    # The key stays the same after a wrong code, so the app already set up still works.
    assert page.locator("[data-secret]").inner_text() == setup_key

    page.wait_for_timeout(1100)  # the device's wait after one wrong code
    page.get_by_label("Security code").fill(code_from_key(setup_key))
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    codes = page.locator("[data-recovery-code]").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[A-Z2-9]{5}-[A-Z2-9]{5}", c) for c in codes)
    check_accessibility(page)
    page.get_by_role("link", name="I have kept my codes: continue").click()
    expect(page).to_have_url(re.compile("/adviser/$"))
    # Shown once: the page does not show them again.
    page.goto("/accounts/two-factor/recovery-codes/")
    expect(page.locator("[data-recovery-code]")).to_have_count(0)
    assert SecondFactorChange.objects.filter(action="enrolled").count() == 1


def test_a_wrong_code_is_refused_and_a_recovery_code_works_once(page: Any, web_world: WebWorld) -> None:
    sign_in_with_password(page, "staff@school.test")
    setup_key = page.locator("[data-secret]").inner_text()
    page.get_by_label("Security code").fill(code_from_key(setup_key))
    page.get_by_role("button", name="Confirm and continue").click()
    codes = page.locator("[data-recovery-code]").all_inner_texts()

    sign_in_with_password(page, "staff@school.test")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    check_accessibility(page)
    page.get_by_label("Security code").fill("12345")
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The code is not right")
    expect(page).to_have_title(re.compile("^Error: "))
    check_accessibility(page)

    page.get_by_role("link", name=re.compile("enter a recovery code")).click()
    page.wait_for_timeout(1100)
    page.get_by_label("Recovery code").fill(codes[0].lower())
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dale Street Academy")

    # The same recovery code a second time is refused.
    sign_in_with_password(page, "staff@school.test")
    page.goto("/accounts/two-factor/verify/?use=recovery")
    page.get_by_label("Recovery code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code is not right")
    page.goto("/school/")
    expect(page).to_have_url(re.compile("/accounts/two-factor/verify/"))


def test_an_employer_turns_two_factor_on_and_is_then_asked_for_a_code(page: Any, web_world: WebWorld) -> None:
    assert log_in(page, "member@employer.test") == [], "optional for employers: off until turned on"
    page.get_by_role("link", name="Two-factor sign-in").click()
    expect(page.locator("[data-status]")).to_contain_text("Two-factor sign-in is off")
    check_accessibility(page)
    page.get_by_role("link", name="Turn on two-factor sign-in").click()
    setup_key = page.locator("[data-secret]").inner_text()
    page.get_by_label("Security code").fill(code_from_key(setup_key))
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")

    page.context.clear_cookies()
    assert log_in(page, "member@employer.test") == ["code"]
    expect(page).to_have_url(re.compile("/employer/$"))

    # Turning it off needs the password again.
    page.goto("/accounts/two-factor/")
    page.get_by_label("Your password").fill("not-my-password")
    page.get_by_role("button", name="Turn off two-factor sign-in").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your current password")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Turn off two-factor sign-in").click()
    expect(page.locator("[data-status]")).to_contain_text("Two-factor sign-in is off")
    page.context.clear_cookies()
    assert log_in(page, "member@employer.test") == []


def test_staff_make_new_recovery_codes_and_cannot_turn_it_off(page: Any, web_world: WebWorld) -> None:
    log_in(page, "staff@school.test")
    page.goto("/accounts/two-factor/")
    expect(page.get_by_role("button", name="Turn off two-factor sign-in")).to_have_count(0)
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Make new recovery codes").click()
    expect(page.locator("[data-recovery-code]")).to_have_count(10)
    assert app_for(User.objects.get(email="staff@school.test")).confirmed
