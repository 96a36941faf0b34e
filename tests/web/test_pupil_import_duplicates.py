"""The same person twice in a pupil import: flagged in the file and against the school's own
pupils, skipped or updated as the school chooses, all or nothing, and idempotent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from mobility.accounts.models import User
from schools import services
from schools.imports import import_preview
from schools.models import Pupil
from tests import factories as f
from tests.clients import signed_in

pytestmark = pytest.mark.django_db

HEADER = "Forename,Surname,E-mail,DOB,Year,Postcode,UPN,Access needs\n"
BORN = dt.date(2016, 3, 1)  # Year 10 in the frozen clock's school year


@pytest.fixture
def staff() -> User:
    return f.SchoolStaffFactory.create().user


@pytest.fixture
def casey(staff: User) -> Pupil:
    """Already at the school, imported last year."""
    user = f.UserFactory.create(email="casey@old.test", first_name="Casey", last_name="Import", role="pupil")
    return f.PupilFactory.create(
        user=user,
        school=staff.school_staff.school,
        year_group=10,
        date_of_birth=BORN,
        upn="A123456789012",
        access_needs="Needs a quiet room",
    )


def line(
    first: str, last: str, email: str, *, year: str = "10", postcode: str = "L6 1AL", upn: str = ""
) -> str:
    return f"{first},{last},{email},01/03/2016,{year},{postcode},{upn},\n"


def upload(client: Client, text: str) -> tuple[str, str]:
    response = client.post(
        "/school/pupils/import/", {"file": SimpleUploadedFile("pupils.csv", text.encode(), "text/csv")}
    )
    assert response.status_code == 200
    return response.text, str(response.context["token"])


def events() -> int:
    return int(apps.get_model("schools", "PupilEvent").objects.count())


def test_the_same_person_later_in_the_file_is_kept_once(staff: User) -> None:
    text = HEADER + line("Casey", "Import", "c1@new.test") + line("  casey ", "IMPORT", "c2@new.test")
    text += line("Dana", "Other", "d@new.test", upn="B123456789012")
    text += line("Eli", "Else", "e@new.test", upn="B123456789012")  # same UPN: the same pupil
    preview = import_preview(text, school=staff.school_staff.school)
    assert preview.clean
    assert [(r.number, r.same_as_row) for r in preview.rows] == [(2, None), (3, 2), (4, None), (5, 4)]
    client = signed_in(staff)
    page, token = upload(client, text)
    assert "Row 3: casey IMPORT is the same person as row 2" in page
    response = client.post("/school/pupils/import/confirm/", {"token": token}, follow=True)
    assert "2 pupils imported" in response.text and "2 rows skipped" in response.text
    assert set(Pupil.objects.values_list("user__email", flat=True)) == {"c1@new.test", "d@new.test"}


def test_a_pupil_already_at_the_school_is_shown_and_needs_a_choice(staff: User, casey: Pupil) -> None:
    client = signed_in(staff)
    text = (
        HEADER
        + line("CASEY", "import", "casey@new.test", postcode="L1 8JQ")
        + line("Dana", "New", "d@new.test")
    )
    page, token = upload(client, text)
    assert "Matches your pupil Casey Import, born 01/03/2016, Year 10, UPN A123456789012" in page
    assert "signing in as casey@old.test (same name and date of birth)" in page
    before = (Pupil.objects.count(), events())
    response = client.post("/school/pupils/import/confirm/", {"token": token})
    assert response.status_code == 200 and "Choose skip or update for row 2" in response.text
    assert (Pupil.objects.count(), events()) == before  # nothing saved, not even the new row

    client.post("/school/pupils/import/confirm/", {"token": token, "choice-2": "skip"})
    casey.refresh_from_db()
    assert casey.postcode != "L1 8JQ" and Pupil.objects.filter(user__email="d@new.test").exists()
    assert not User.objects.filter(email="casey@new.test").exists()


def test_update_changes_the_school_fields_and_keeps_the_login(staff: User, casey: Pupil) -> None:
    client = signed_in(staff)
    _, token = upload(
        client, HEADER + line("Casey", "Import", "casey@new.test", year="11", postcode="L1 8JQ")
    )
    response = client.post(
        "/school/pupils/import/confirm/", {"token": token, "choice-2": "update"}, follow=True
    )
    assert "1 pupil updated" in response.text
    casey.refresh_from_db()
    assert (casey.year_group, casey.postcode, casey.user.email) == (11, "L1 8JQ", "casey@old.test")
    assert casey.access_needs == "Needs a quiet room" and casey.upn == "A123456789012"  # empty cells keep


def test_a_matching_upn_flags_a_pupil_whose_name_changed(staff: User, casey: Pupil) -> None:
    preview = import_preview(
        HEADER + line("Casey", "Newname", "x@new.test", upn="a1234 5678 9012"), school=casey.school
    )
    assert preview.clean and preview.rows[0].existing is not None
    assert preview.rows[0].existing.by == "UPN"


def test_a_pupil_of_another_school_is_never_matched_or_shown(staff: User) -> None:
    elsewhere = f.PupilFactory.create(
        user=f.UserFactory.create(email="casey@elsewhere.test", first_name="Casey", last_name="Import"),
        date_of_birth=BORN,
    )
    assert elsewhere.school != staff.school_staff.school
    client = signed_in(staff)
    page, token = upload(client, HEADER + line("Casey", "Import", "casey@new.test"))
    assert "casey@elsewhere.test" not in page and "Matches your pupil" not in page
    client.post("/school/pupils/import/confirm/", {"token": token})
    assert Pupil.objects.filter(user__email="casey@new.test", school=staff.school_staff.school).exists()


def test_importing_the_same_file_again_with_update_changes_nothing(staff: User) -> None:
    school = staff.school_staff.school
    text = (
        HEADER
        + line("Amir", "Khan", "amir@new.test", upn="C123456789012")
        + line("Beth", "Lee", "beth@new.test")
    )
    first = services.pupils_import(school=school, text=text, choices={}, actor=staff)
    assert len(first.created) == 2
    snapshot = list(Pupil.objects.order_by("pk").values())
    before = (User.objects.count(), events())
    again = services.pupils_import(school=school, text=text, choices={}, for_all="update", actor=staff)
    assert (again.created, again.updated, again.unchanged) == ([], [], 2)
    assert list(Pupil.objects.order_by("pk").values()) == snapshot
    assert (User.objects.count(), events()) == before


def test_the_choices_apply_all_or_nothing(staff: User, casey: Pupil) -> None:
    """An update and a new pupil in one file; the new pupil's address is taken before confirming."""
    text = HEADER + line("Casey", "Import", "x@new.test", year="11") + line("Dana", "New", "dana@new.test")
    assert import_preview(text, school=casey.school).clean
    f.UserFactory.create(email="dana@new.test")
    with pytest.raises(services.ImportFailed, match="Nothing was saved"):
        services.pupils_import(school=casey.school, text=text, choices={2: "update"}, actor=staff)
    casey.refresh_from_db()
    assert casey.year_group == 10


@pytest.mark.parametrize(
    "header",
    [
        "First name,Last name,Email,Date of birth,Year group,Postcode",
        "FIRST_NAME,last-name,e-mail,D.O.B.,year,post code",
        "Forename,Surname,Email address,DOB,Year Group,Postcode,Unique pupil number",
        "first name , Last Name,EMAIL,date_of_birth,Year-group,POSTCODE,upn,",
    ],
)
def test_header_aliases_are_recognised(header: str) -> None:
    extra = ",A123456789012" if "upn" in header.lower() or "unique" in header.lower() else ""
    preview = import_preview(f"{header}\nAmir,Khan,amir@new.test,01/03/2016,10,L1 8JQ{extra}\n")
    assert preview.clean, preview.file_errors + preview.rows[0].errors
    assert preview.rows[0].values["upn"] == extra.strip(",")


def test_a_wrong_header_is_one_header_error_naming_it(staff: User) -> None:
    text = (
        "First name,Surname,Email,Birthday,Year,Postcode,Gender\n"
        + "Amir,Khan,a@new.test,01/03/2016,10,L1 8JQ,M\n" * 3
    )
    preview = import_preview(text)
    assert preview.rows == [] and preview.header_errors
    assert preview.file_errors[:2] == [
        "The file has no column for: date of birth.",
        "Unknown columns: “Birthday”, “Gender”.",
    ]
    page, token = upload(signed_in(staff), text)
    assert token == "" and "Columns the file can have" in page
    assert "Needed: first name, last name, email, date of birth, year group, postcode." in page
    assert "Row 2" not in page


def test_a_badly_formed_upn_is_a_row_error() -> None:
    preview = import_preview(HEADER + line("Amir", "Khan", "a@new.test", upn="12345"))
    assert preview.rows[0].errors == [
        "“12345” is not a UPN: a UPN is 13 characters: a letter then 12 digits, for example A123456789012"
    ]
