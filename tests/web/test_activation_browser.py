"""New accounts get in through an invitation: by emailed link, or by a code from a printed class sheet."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from mobility.accounts.models import Role, User
from mobility.accounts.services import invitation_send
from tests.web.conftest import NEW_PASSWORD, check_accessibility, choose_password, log_in, screenshot, visit
from tests.web.world import PASSWORD, WebWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSV = (
    "Legal Forename,Legal Surname,Email,DOB,NC Year,Postcode\n"
    "Amir,Khan,amir@school.test,02/03/2016,Year 10,L1 8JQ\n"
)


def emailed_link(to: str) -> str:
    messages = [m for m in mail.outbox if m.to == [to]]
    assert messages, f"no email to {to}: {[m.to for m in mail.outbox]}"
    match = re.search(r"https?://\S+/accounts/invitation/\S+/", str(messages[-1].body))
    assert match, messages[-1].body
    return match.group(0)


def sign_out(page: Any) -> None:
    page.context.clear_cookies()


def set_password(page: Any, url: str) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set your password")
    check_accessibility(page)
    choose_password(page, "password")
    expect(page.locator(".govuk-error-summary")).to_contain_text("This password is too common")
    choose_password(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your password is set")


def test_an_imported_pupil_sets_a_password_from_the_emailed_link(
    page: Any, web_world: WebWorld, tmp_path: Path
) -> None:
    log_in(page, "staff@school.test")
    path = tmp_path / "pupils.csv"
    path.write_text(CSV)
    visit(page, "/school/pupils/import/")
    page.get_by_label("Upload a CSV file").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("button", name="Import 1 pupil").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("invited by email")
    expect(page.get_by_role("row", name=re.compile("Amir Khan"))).to_contain_text("Invited")
    check_accessibility(page)
    link = emailed_link("amir@school.test")

    sign_out(page)
    set_password(page, link)
    assert log_in(page, "amir@school.test", NEW_PASSWORD) == [], "pupils have no second factor"
    expect(page.get_by_role("heading", level=1)).to_have_text("You have not applied yet")

    # The link worked once.
    sign_out(page)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This invitation has already been used")
    check_accessibility(page)

    log_in(page, "staff@school.test")
    visit(page, "/school/accounts/")
    expect(page.get_by_role("row", name=re.compile("Amir Khan"))).to_contain_text("Activated")


def test_school_staff_invite_a_colleague(page: Any, web_world: WebWorld) -> None:
    log_in(page, "staff@school.test")
    visit(page, "/school/accounts/")
    page.get_by_role("link", name="Invite a colleague").click()
    check_accessibility(page)
    page.get_by_label("First name").fill("Kim")
    page.get_by_label("Last name").fill("Lowe")
    page.get_by_label("Email address").fill("kim@school.test")
    page.get_by_role("button", name="Send invitation").click()
    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_contain_text("An invitation was sent to kim@school.test")

    sign_out(page)
    set_password(page, emailed_link("kim@school.test"))
    # School staff set up an authenticator app at their first sign-in, and give its code after.
    assert log_in(page, "kim@school.test", NEW_PASSWORD) == ["set up"]
    expect(page.get_by_role("heading", level=1)).to_have_text("Dale Street Academy")
    sign_out(page)
    assert log_in(page, "kim@school.test", NEW_PASSWORD) == ["code"]
    expect(page.get_by_role("heading", level=1)).to_have_text("Dale Street Academy")


def test_an_admin_invites_an_adviser_from_the_admin_site(page: Any, web_world: WebWorld) -> None:
    User.objects.create_superuser("admin@mobility.test", PASSWORD, first_name="Alex")
    log_in(page, "admin@mobility.test")
    page.goto("/admin/accounts/user/add/")
    page.get_by_label("Email").fill("new.adviser@careers.test")
    page.get_by_label("First name").fill("Noor")
    page.get_by_label("Role").select_option(Role.ADVISER)
    page.get_by_label("Disabled").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("invitation to set a password was sent")

    sign_out(page)
    set_password(page, emailed_link("new.adviser@careers.test"))
    assert log_in(page, "new.adviser@careers.test", NEW_PASSWORD) == ["set up"]
    expect(page).to_have_url(re.compile("/adviser/$"))
    sign_out(page)
    assert log_in(page, "new.adviser@careers.test", NEW_PASSWORD) == ["code"]
    expect(page).to_have_url(re.compile("/adviser/$"))


def test_a_pupil_activates_with_the_code_from_the_printed_sheet(page: Any, web_world: WebWorld) -> None:
    sam = web_world.add_pupil("Sam")
    sam.user.set_unusable_password()
    sam.user.save()
    log_in(page, "staff@school.test")
    visit(page, "/school/accounts/")
    page.locator("#sheet_year_group").select_option(label="Year 10")
    page.get_by_role("button", name="Make activation sheet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Activation codes for Year 10")
    check_accessibility(page)
    slips = page.locator(".mobility-slip")
    expect(slips).to_have_count(1)  # Riley has a password already
    slip = page.get_by_role("region", name=f"Slip for {sam.user.get_full_name()}")
    code = slip.locator("[data-code]").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code), code
    # Printed, only the slips show.
    page.emulate_media(media="print")
    expect(page.locator(".govuk-template__header")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_hidden()
    expect(slip).to_be_visible()
    screenshot(page, "activation-sheet-print")
    page.emulate_media(media="screen")

    sign_out(page)
    visit(page, "/accounts/activate/")
    page.get_by_label("Email address").fill(sam.user.email)
    page.get_by_label("Activation code").fill("ABCD-EFGH")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("activation code printed on your sheet")
    page.get_by_label("Activation code").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Continue").click()
    set_password(page, page.url)
    log_in(page, sam.user.email, NEW_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("You have not applied yet")

    # The same code again is refused with a page that says why.
    sign_out(page)
    page.goto("/accounts/activate/")
    page.get_by_label("Email address").fill(sam.user.email)
    page.get_by_label("Activation code").fill(code)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("This invitation has already been used")


def test_an_expired_link_is_refused_with_a_clear_page(page: Any, web_world: WebWorld) -> None:
    pupil = web_world.add_pupil("Jo")
    issued = invitation_send(user=pupil.user, by_email=False, now=timezone.now() - dt.timedelta(days=8))
    response = page.goto(issued.path)
    assert response.status == 410
    expect(page.get_by_role("heading", level=1)).to_have_text("This invitation has expired")
    expect(page.get_by_text("Ask whoever invited you to send a new one")).to_be_visible()
    check_accessibility(page)
