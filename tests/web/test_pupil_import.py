"""The pupil import through the school's pages: every bad file gets a clear error and saves nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from mobility.accounts.models import Role, User
from schools.models import Pupil
from tests import factories as f
from tests.twofactor import verified_login

pytestmark = pytest.mark.django_db

HEADER = "first_name,last_name,email,year_group,date_of_birth,postcode\n"
MAX_ROWS = 3000  # documented limit of one upload


def row(
    n: int, *, first: str = "Casey", last: str = "Import", email: str = "", dob: str = "2016-03-01"
) -> str:
    return f"{first},{last},{email or f'pupil{n}@import.test'},10,{dob},L6 1AL\n"


@pytest.fixture
def staff() -> Client:
    client = Client()
    verified_login(client, f.SchoolStaffFactory.create().user)
    return client


def upload(client: Client, data: bytes) -> tuple[int, str, str]:
    """Upload a file; return the status, the page text and the token the preview offers."""
    response = client.post(
        "/school/pupils/import/", {"file": SimpleUploadedFile("pupils.csv", data, "text/csv")}
    )
    token = str((response.context or {}).get("token") or "")
    return response.status_code, response.text, token


def assert_nothing_saved(client: Client, token: str, pupils: int, users: int) -> None:
    """The confirm step refuses the file too, and no account or pupil appeared."""
    response = client.post("/school/pupils/import/confirm/", {"token": token or "none"})
    assert response.status_code == 302 and response["Location"] == "/school/pupils/import/"
    assert Pupil.objects.count() == pupils and User.objects.count() == users


CASES = {
    "empty file": (b"", "The submitted file is empty."),
    "header only": (HEADER.encode(), "The file has a header row but no pupils."),
    "over the row limit": (
        (HEADER + "".join(row(n) for n in range(MAX_ROWS + 1))).encode(),
        f"The file has more than {MAX_ROWS} pupils. Split it into smaller files.",
    ),
    "undecodable bytes": (b"\x81\x8d\x8f\x90\x9d", "The selected file must be a CSV saved as text"),
    "same email twice": (
        (
            HEADER + row(1, email="twin@import.test") + row(2, first="Other", email="twin@import.test")
        ).encode(),
        "Duplicate: the email address is also on row 2",
    ),
    "over-long first name": (
        (HEADER + row(1, first="A" * 151)).encode(),
        "The first name is longer than 150 characters",
    ),
    "over-long last name": (
        (HEADER + row(1, last="B" * 151)).encode(),
        "The last name is longer than 150 characters",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_bad_file_is_explained_and_nothing_is_saved(staff: Client, case: str) -> None:
    data, message = CASES[case]
    pupils, users = Pupil.objects.count(), User.objects.count()
    status, text, token = upload(staff, data)
    assert status == 200
    assert message in text, text[:2000]
    assert "Import these pupils" not in text  # no confirm button on a file with problems
    assert_nothing_saved(staff, token, pupils, users)


@pytest.mark.parametrize("written_as", ["taken@import.test", "Taken@Import.TEST"])
def test_the_preview_flags_an_email_that_already_has_an_account(staff: Client, written_as: str) -> None:
    User.objects.create_user("taken@import.test", first_name="Kit", role=Role.EMPLOYER)
    pupils, users = Pupil.objects.count(), User.objects.count()
    status, text, token = upload(staff, (HEADER + row(1, email=written_as) + row(2, first="Dana")).encode())
    assert status == 200
    assert "Duplicate: an account with this email address already exists" in text
    assert_nothing_saved(staff, token, pupils, users)


def test_a_clean_file_is_saved_whole(staff: Client) -> None:
    """The control for the cases above: the same shape of file, without the fault, imports."""
    status, text, token = upload(staff, (HEADER + row(1) + row(2, first="Dana")).encode())
    assert status == 200 and token, text[:2000]
    response = staff.post("/school/pupils/import/confirm/", {"token": token})
    # Next the school sends the new pupils their invitations.
    assert response.status_code == 302 and response["Location"] == "/school/accounts/"
    assert set(Pupil.objects.values_list("user__first_name", flat=True)) == {"Casey", "Dana"}
