"""Recording consent keeps every answer: who recorded it, when, how and from whom."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from schools.models import ConsentRecord, ConsentStatus
from schools.selectors import current_consent
from tests.twofactor import verified_login
from tests.web.world import WebWorld, build_world

pytestmark = pytest.mark.django_db


def test_the_consent_page_adds_a_row_for_each_answer() -> None:
    world: WebWorld = build_world()
    client = Client()
    verified_login(client, world.staff)
    url = f"/school/pupils/{world.pupil.pk}/consent/"
    refused = client.post(url, {"status": "refused", "method": "phone", "parent_carer_name": "Sam Jones"})
    assert refused.status_code == 302
    given = client.post(url, {"status": "given", "method": "email", "parent_carer_name": "Alex Jones"})
    assert given.status_code == 302
    rows = list(ConsentRecord.objects.filter(pupil=world.pupil).order_by("recorded_at", "pk"))
    assert [(r.status, r.method, r.parent_carer_name, r.recorded_by) for r in rows] == [
        ("refused", "phone", "Sam Jones", world.staff),
        ("given", "email", "Alex Jones", world.staff),
    ]
    world.pupil.refresh_from_db()
    assert world.pupil.parental_consent == current_consent(pupil=world.pupil) == ConsentStatus.GIVEN
    page = client.get(url).content.decode()
    assert "Sam Jones" in page and "Alex Jones" in page and "Phone call" in page


def test_an_answer_without_method_or_name_is_refused() -> None:
    world: WebWorld = build_world()
    client = Client()
    verified_login(client, world.staff)
    response = client.post(f"/school/pupils/{world.pupil.pk}/consent/", {"status": "given"})
    assert response.status_code == 200
    assert "Select how the answer came" in response.content.decode()
    assert "Enter the parent" in response.content.decode()
    assert not ConsentRecord.objects.exists()


def test_the_api_records_method_and_name() -> None:
    world: WebWorld = build_world()
    api = APIClient()
    api.force_authenticate(world.staff)
    response = api.post(
        f"/api/v1/pupils/{world.pupil.pk}/consent/",
        {"status": "given", "method": "online", "parent_carer_name": "Sam Jones"},
        format="json",
    )
    assert response.status_code == 200, response.content
    record = ConsentRecord.objects.get(pupil=world.pupil)
    assert (record.status, record.method, record.parent_carer_name, record.recorded_by) == (
        "given",
        "online",
        "Sam Jones",
        world.staff,
    )
