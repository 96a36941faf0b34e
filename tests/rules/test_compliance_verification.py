"""A compliance record counts for approval only once an adviser has verified it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from employers import services
from employers.models import ComplianceRecord
from employers.tasks import notify_compliance_changed
from placements.lifecycle import services as lifecycle
from placements.lifecycle.exceptions import ComplianceBlocked
from placements.models import MatchStatus

from .conftest import ApiAs, WebAs, World

pytestmark = pytest.mark.django_db


def _employer_edit(world: World, **data: object) -> ComplianceRecord:
    return services.compliance_save(employer=world.employer, data=data, actor=world.member, checker=False)


def test_an_employer_edit_unverifies_and_blocks_approval_saying_why(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    match = world.match()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        record = _employer_edit(world, insurance_expires_on=dt.date.today() + dt.timedelta(days=900))
    assert record.verified_at is None and record.verified_by is None and callbacks
    with pytest.raises(ComplianceBlocked, match="not yet verified by an adviser"):
        lifecycle.match_approve(match_id=match.pk, actor=world.adviser.user)
    services.compliance_verify(record=record, actor=world.adviser.user, note="Certificate seen.")
    match = lifecycle.match_approve(match_id=match.pk, actor=world.adviser.user)
    assert match.status == MatchStatus.APPROVED


def test_the_advisers_are_told_of_an_employer_edit(world: World) -> None:
    record = _employer_edit(world, supervisor_name="Pat New")
    assert notify_compliance_changed(record.pk) == 1
    assert mail.outbox[0].to == [world.adviser.user.email]
    assert "verify" in mail.outbox[0].subject
    services.compliance_verify(record=record, actor=world.adviser.user, note="Seen.")
    assert notify_compliance_changed(record.pk) == 0


def test_verifying_needs_a_note_of_the_evidence(world: World) -> None:
    from django.core.exceptions import ValidationError

    record = _employer_edit(world, supervisor_name="Pat New")
    with pytest.raises(ValidationError):
        services.compliance_verify(record=record, actor=world.adviser.user, note="  ")


def test_an_employer_api_edit_unverifies_and_the_adviser_verifies_through_the_api(
    world: World, api_as: ApiAs
) -> None:
    record = world.employer.compliance
    answer = api_as(world.member).patch(
        f"/api/v1/compliance/{record.pk}/", {"supervisor_name": "Pat New"}, format="json"
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["verified_at"] is None
    match = world.match()
    refused = api_as(world.adviser.user).post(f"/api/v1/matches/{match.pk}/approve/", {}, format="json")
    assert refused.status_code == 409 and "not yet verified by an adviser" in refused.json()["detail"]
    assert (
        api_as(world.member).post(f"/api/v1/compliance/{record.pk}/verify/", {"note": "x"}).status_code == 403
    )
    assert api_as(world.adviser.user).post(f"/api/v1/compliance/{record.pk}/verify/", {}).status_code == 400
    verified = api_as(world.adviser.user).post(
        f"/api/v1/compliance/{record.pk}/verify/", {"note": "Certificate seen."}, format="json"
    )
    assert verified.status_code == 200 and verified.json()["verified_by"] == world.adviser.user.pk
    assert api_as(world.adviser.user).post(f"/api/v1/matches/{match.pk}/approve/", {}).status_code == 200


def test_the_adviser_page_lists_records_awaiting_verification_and_verifies_one(
    world: World, web_as: WebAs
) -> None:
    record = _employer_edit(world, supervisor_name="Pat New")
    adviser = web_as(world.adviser.user)
    page = adviser.get("/adviser/compliance/")
    assert world.employer.name in page.content.decode()
    answer = adviser.post(f"/adviser/compliance/{record.pk}/verify/", {"note": "Certificate seen."})
    assert answer.status_code == 302
    record.refresh_from_db()
    assert record.verified_by == world.adviser.user and record.verification_note == "Certificate seen."
    assert (
        f'Verify<span class="govuk-visually-hidden"> {world.employer.name}'
        not in adviser.get("/adviser/compliance/").content.decode()
    )
    assert web_as(world.member).get("/adviser/compliance/").status_code in (302, 403)


def test_an_employer_web_edit_unverifies(world: World, web_as: WebAs) -> None:
    record = world.employer.compliance
    assert record.insurance_expires_on and record.risk_assessment_on
    data = {
        "insurer": record.insurer,
        "insurance_policy_number": record.insurance_policy_number,
        "insurance_expires_on": record.insurance_expires_on.isoformat(),
        "risk_assessment_on": record.risk_assessment_on.isoformat(),
        "supervisor_name": "Pat New",
        "supervisor_role": record.supervisor_role,
        "safeguarding_checks": "",
    }
    answer = web_as(world.member).post("/employer/compliance/", data)
    record.refresh_from_db()
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert record.supervisor_name == "Pat New" and record.verified_at is None
