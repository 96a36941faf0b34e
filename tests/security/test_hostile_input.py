"""Hostile input gets a 4xx, never a 500; anything under /api/ answers in JSON."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import include, path
from rest_framework.test import APIClient

from mobility.accounts.models import User
from mobility.security.parsers import depth_of
from schools.imports import import_preview
from tests.twofactor import password_login
from tests.web.world import PASSWORD, build_world

pytestmark = pytest.mark.django_db

HEADER = "First name,Last name,Email,DOB,Year group,Postcode\n"


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("something broke")


def refuse(request: HttpRequest, kind: str) -> HttpResponse:
    raise {"missing": Http404, "forbidden": PermissionDenied, "bad": SuspiciousOperation}[kind]()


def form_post(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


# A URLconf with a view that fails, beside the real ones, to see what a failure looks like.
urlpatterns = [
    path("api/v1/boom/", boom),
    path("pages/boom/", boom),
    path("api/v1/refuse/<str:kind>/", refuse),
    path("api/v1/form/", form_post),
    path("", include("mobility.urls")),
]
handler500 = "mobility.security.error_views.server_error"
handler404 = "mobility.security.error_views.page_not_found"
handler403 = "mobility.security.error_views.permission_denied"
handler400 = "mobility.security.error_views.bad_request"


@pytest.mark.parametrize("depth", [33, 100, 100_000])
def test_deeply_nested_json_is_a_400(depth: int) -> None:
    body = "[" * depth + "]" * depth
    response = APIClient().post("/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 400
    assert "nested deeper than 32 levels" in response.json()["detail"]


def test_json_within_the_depth_limit_is_read() -> None:
    body = '{"email": "x@school.test", "password": "p", "extra": ' + "[" * 29 + "]" * 29 + "}"
    response = APIClient().post("/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code in (400, 401, 403)
    assert "nested" not in str(response.json())


def test_depth_counts_lists_and_objects() -> None:
    assert depth_of(1) == 0
    assert depth_of([]) == 1
    assert depth_of({"a": [{"b": [1]}]}) == 4


def test_a_csv_cell_over_the_field_limit_is_a_row_error() -> None:
    text = HEADER + "A,B,a@school.test,01/01/2016,10,L1 8JQ\n" + '"' + "x" * 200_000 + '",C\n'
    text += "D,E,d@school.test,01/01/2016,10,L1 8JQ\n"
    preview = import_preview(text)
    assert [row.number for row in preview.rows] == [2, 3, 4]
    assert preview.rows[1].errors == ["The row cannot be read: field larger than field limit (131072)"]
    assert preview.rows[0].errors == [] and preview.rows[2].errors == []
    assert not preview.clean


def test_a_huge_header_cell_or_a_nul_byte_is_reported_not_raised() -> None:
    assert import_preview("x" * 200_000 + "\n").file_errors[0].startswith("The first row cannot be read")
    preview = import_preview(HEADER + "A\x00,B,a@school.test,01/01/2016,10,L1 8JQ\n")
    assert preview.rows[0].errors == ["The row contains a NUL character"]


def test_the_import_page_shows_the_oversized_cell_as_a_row_error() -> None:
    build_world()
    client = Client()
    assert password_login(client, User.objects.get(email="staff@school.test"), PASSWORD)
    upload = SimpleUploadedFile(
        "pupils.csv", (HEADER + "x" * 150_000 + ",B,b@school.test,01/01/2016,10,L1 8JQ\n").encode()
    )
    response = client.post("/school/pupils/import/", {"file": upload})
    assert response.status_code == 200
    assert "field larger than field limit" in response.text


@override_settings(ROOT_URLCONF=__name__)
def test_a_failure_under_the_api_answers_json() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/api/v1/boom/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "server_error"
    page = client.get("/pages/boom/")
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize(("kind", "status"), [("missing", 404), ("forbidden", 403), ("bad", 400)])
def test_refusals_under_the_api_answer_json(kind: str, status: int) -> None:
    response = Client().get(f"/api/v1/refuse/{kind}/")
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]
    assert Client().get("/no-such-page/")["Content-Type"].startswith("text/html")


@override_settings(ROOT_URLCONF=__name__)
def test_a_csrf_failure_answers_json_under_the_api_and_a_page_elsewhere() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/v1/form/", {})
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    page = client.post("/accounts/login/", {"email": "a@b.c", "password": "x"})
    assert page.status_code == 403 and page["Content-Type"].startswith("text/html")
