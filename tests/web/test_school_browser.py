"""School staff's journey: import pupils from an MIS export, set weeks, record consent, Benchmark 6."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from mobility.accounts.models import User
from placements.models import MatchStatus
from schools.models import ConsentStatus, Pupil, WorkExperienceWindow
from tests.web.conftest import check_accessibility, log_in, screenshot, visit
from tests.web.world import WebWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "Legal Forename,Legal Surname,Email,DOB,NC Year,Postcode,FSM,Access needs\n"
BAD = HEADER + (
    "Amir,Khan,amir@school.test,02/03/2016,Year 10,L1 8JQ,Y,\n"
    "Beth,Lee,beth@school.test,14/07/2016,10,ZZ1 1ZZ,N,\n"
    "Cal,Moss,cal@school.test,01/01/2016,Reception,L2 2DP,N,\n"
    "Dana,Nash,amir@school.test,05/05/2016,10,L3 8EN,N,Uses a wheelchair\n"
)
GOOD = HEADER + (
    "Amir,Khan,amir@school.test,02/03/2016,Year 10,L1 8JQ,Y,\n"
    "Beth,Lee,beth@school.test,14/07/2016,10,L36 9GD,N,Uses a wheelchair\n"
)


def _upload(page: Any, tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    visit(page, "/school/pupils/import/")
    page.get_by_label("Upload a CSV file").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()


def test_school_staff_import_pupils_set_weeks_and_record_consent(
    page: Any, web_world: WebWorld, tmp_path: Path
) -> None:
    opportunity = web_world.add_opportunity("Games studio week")
    web_world.match(web_world.add_pupil("Jordan"), opportunity, to=MatchStatus.CONFIRMED)
    log_in(page, "staff@school.test")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dale Street Academy")
    check_accessibility(page)
    screenshot(page, "school-home")

    # A file with problems: every row is checked, nothing is saved.
    pupils_before = Pupil.objects.count()
    _upload(page, tmp_path, "bad.csv", BAD)
    expect(page.get_by_role("heading", level=1)).to_have_text("There are problems with the file")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Row 3: Bad postcode")
    expect(summary).to_contain_text("Row 4: Unknown year group “Reception”")
    expect(summary).to_contain_text("Row 5: Duplicate: the email address is also on row 2")
    expect(page.get_by_role("button", name="Import")).to_have_count(0)
    check_accessibility(page)
    assert Pupil.objects.count() == pupils_before

    _upload(page, tmp_path, "good.csv", GOOD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the pupils to import")
    check_accessibility(page)
    page.get_by_role("button", name="Import 2 pupils").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("2 pupils imported")
    check_accessibility(page)
    amir = Pupil.objects.get(user__email="amir@school.test")
    assert (amir.school_id, amir.year_group, amir.fsm_or_pupil_premium) == (web_world.school.pk, 10, True)
    assert amir.date_of_birth == dt.date(2016, 3, 2) and amir.local_authority_code == "E08000012"
    assert not User.objects.get(email="amir@school.test").has_usable_password()

    # Work-experience weeks: the last day before the first is refused.
    visit(page, "/school/windows/")
    start = dt.date.today() + dt.timedelta(days=120)
    page.get_by_label("Year group").select_option(label="Year 12")
    page.get_by_label("First day").fill(start.isoformat())
    page.get_by_label("Last day").fill((start - dt.timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Add week").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The last day must be the same as or after the first day"
    )
    check_accessibility(page)
    page.get_by_label("Last day").fill((start + dt.timedelta(days=4)).isoformat())
    page.get_by_role("button", name="Add week").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Year 12 saved")
    assert WorkExperienceWindow.objects.filter(
        school=web_world.school, year_group=12, starts_on=start
    ).exists()

    # Parental consent for Riley.
    visit(page, "/school/pupils/")
    page.get_by_role("link", name="Record consent for Riley Jones").click()
    check_accessibility(page)
    page.get_by_role("button", name="Save consent").click()  # the current answer stays selected
    page.get_by_role("link", name="Record consent for Riley Jones").click()
    page.get_by_label("Given").check()
    page.get_by_role("button", name="Save consent").click()
    # An answer says how it came and who gave it.
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select how the answer came")
    page.get_by_label("Given").check()
    page.get_by_label("Paper form").check()
    page.get_by_label("Parent's or carer's name").fill("Sam Jones")
    page.get_by_role("button", name="Save consent").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Consent for Riley Jones recorded as given"
    )
    web_world.pupil.refresh_from_db()
    assert web_world.pupil.parental_consent == ConsentStatus.GIVEN
    page.get_by_role("link", name="Record consent for Riley Jones").click()
    history = page.get_by_role("table", name="Every answer recorded, newest first")
    expect(history.get_by_role("row").nth(1)).to_contain_text("Given")
    expect(history.get_by_role("row").nth(1)).to_contain_text("Sam Jones")
    expect(history.get_by_role("row").nth(1)).to_contain_text("Paper form")

    # Benchmark 6: Jordan's confirmed placement counts; Riley, Amir and Beth have none yet.
    # Four pupils are too few to show: every count is suppressed, and so is every rate.
    visit(page, "/school/benchmark/")
    row = page.get_by_role("row", name="Year 10")
    expect(row).to_contain_text("(fewer than 5 of fewer than 5)")
    expect(row).to_contain_text("(0 of fewer than 5)")  # disadvantaged: Riley and Amir
    expect(row).not_to_contain_text("%")
