"""School staff re-import pupils they already have and choose, row by row, to skip or update."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from schools.models import Pupil
from tests.web.conftest import check_accessibility, log_in, screenshot, visit
from tests.web.world import WebWorld


def _row(pupil: Pupil, *, year: int, postcode: str, email: str) -> str:
    user = pupil.user
    return f"{user.first_name},{user.last_name},{email},{pupil.date_of_birth:%d/%m/%Y},{year},{postcode}\n"


def test_staff_choose_to_skip_one_pupil_and_update_another(
    page: Any, web_world: WebWorld, tmp_path: Path
) -> None:
    alex, bo = web_world.add_pupil("Alex", year_group=10), web_world.add_pupil("Bo", year_group=10)
    text = "Forename,Surname,E-mail,DOB,Year,Postcode\n"
    text += _row(alex, year=11, postcode="L36 9GD", email="alex@new.test")
    text += _row(bo, year=11, postcode="L36 9GD", email="bo@new.test")
    text += "Cal,New,cal@new.test,01/03/2016,10,L1 8JQ\n"
    path = tmp_path / "again.csv"
    path.write_text(text)

    log_in(page, "staff@school.test")
    visit(page, "/school/pupils/import/")
    page.get_by_label("Upload a CSV file").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose what to do with the flagged rows")
    row2 = page.get_by_role("group", name=f"Row 2: {alex.user.get_full_name()}")
    expect(row2).to_contain_text(f"Matches your pupil {alex.user.get_full_name()}")
    check_accessibility(page)
    screenshot(page, "school-import-choices")

    # Confirming without a choice saves nothing and says which row needs one.
    page.get_by_role("button", name="Import 1 pupil").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose skip or update for row 2, 3")
    assert not Pupil.objects.filter(user__email="cal@new.test").exists()
    check_accessibility(page)

    # By keyboard: skip Alex, update Bo.
    page.get_by_role("group", name=f"Row 2: {alex.user.get_full_name()}").get_by_label(
        "Skip this row"
    ).check()
    bo_update = page.get_by_role("group", name=f"Row 3: {bo.user.get_full_name()}").get_by_label(
        "Update the existing pupil"
    )
    bo_update.focus()
    page.keyboard.press("Space")
    expect(bo_update).to_be_checked()
    page.get_by_role("button", name="Import 1 pupil").click()
    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_contain_text("1 pupil imported")
    expect(banner).to_contain_text("1 pupil updated; 1 row skipped")

    alex.refresh_from_db()
    bo.refresh_from_db()
    assert (alex.year_group, bo.year_group, bo.postcode) == (10, 11, "L36 9GD")
    assert bo.user.email.endswith("@school.test")  # the sign-in address is not changed by an import
    assert Pupil.objects.filter(user__email="cal@new.test", school=web_world.school).exists()
