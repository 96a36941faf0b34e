"""The pages: the pupil's proposal, the employer's no-account link page, the school's list and check."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import Client
from django.urls import reverse

from mobility.pagination import PER_PAGE
from placements.selffound import services
from placements.selffound.models import Proposal, ProposalStatus
from tests import factories as f
from tests.twofactor import verified_login

from .conftest import PROPOSED, Found


def _as(user: object) -> Client:
    client = Client()
    verified_login(client, user)
    return client


def _form(values: dict[str, object]) -> dict[str, str]:
    return {k: v.isoformat() if isinstance(v, dt.date) else str(v) for k, v in values.items()}


def test_the_pupil_proposes_and_sees_what_happens_next(found: Found) -> None:
    client = _as(found.pupil.user)
    page = client.get(reverse("pupil:found"))
    assert page.status_code == 200
    assert "Parents and carers do not have an account" in page.content.decode()
    answer = client.post(reverse("pupil:found"), _form(PROPOSED))
    assert answer.status_code == 302
    proposal = Proposal.objects.get(pupil=found.pupil)
    assert proposal.status == ProposalStatus.AWAITING_EMPLOYER
    page = client.get(reverse("pupil:found"))
    assert "Waiting for the employer" in page.content.decode()
    assert 'name="employer_name"' not in page.content.decode()  # one open proposal at a time


def test_a_postcode_outside_the_region_is_a_form_error(found: Found) -> None:
    page = _as(found.pupil.user).post(reverse("pupil:found"), _form({**PROPOSED, "postcode": "SW1A 1AA"}))
    assert page.status_code == 200
    assert "outside the areas this service covers" in page.content.decode()
    assert not Proposal.objects.exists()


def test_the_link_page_shows_least_data_and_works_once(found: Found) -> None:
    found.pupil.user.last_name = "Uniquesurname"
    found.pupil.user.save()
    proposal = found.propose()
    url = reverse("self_found_employer", kwargs={"token": services.employer_link_issue(proposal=proposal)})
    page = Client().get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert found.pupil.user.first_name in text and "Year 10" in text and found.school.name in text
    for secret in ("Uniquesurname", found.pupil.postcode, found.pupil.date_of_birth.strftime("%-d %B %Y")):
        assert secret not in text
    bad = Client().post(url, {"site_name": "Shop"})
    assert bad.status_code == 200 and "govuk-error-summary" in bad.content.decode()
    values = {
        "sector": str(found.sector.pk),
        "site_name": "Bold Street shop",
        "daily_hours": "6",
        "supervisor_name": "Pat Baker",
        "duties": "Serving customers",
        "insurer": "Test Mutual",
        "insurance_policy_number": "EL-1",
        "insurance_expires_on": (f.WINDOW_END + dt.timedelta(days=100)).isoformat(),
        "risk_assessment_on": f.TODAY.isoformat(),
        "confirm": "on",
    }
    done = Client().post(url, values)
    assert done.status_code == 200 and "Details sent" in done.content.decode()
    again = Client().get(url)
    assert again.status_code == 410 and "already been used" in again.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.AWAITING_VETTING


def test_expired_and_unknown_links_say_so(found: Found) -> None:
    proposal = found.propose()
    url = reverse("self_found_employer", kwargs={"token": services.employer_link_issue(proposal=proposal)})
    with time_machine.travel(f.NOW + dt.timedelta(days=8)):
        page = Client().get(url)
    assert page.status_code == 410 and "This link has expired" in page.content.decode()
    unknown = Client().get(reverse("self_found_employer", kwargs={"token": "nothing-here"}))
    assert unknown.status_code == 404 and "This link is not valid" in unknown.content.decode()


def test_the_school_list_is_paged_and_holds_only_its_own_pupils(found: Found) -> None:
    for _ in range(PER_PAGE + 1):
        f.ProposalFactory.create(pupil=f.PupilFactory.create(school=found.school))
    elsewhere = f.ProposalFactory.create()
    client = _as(found.staff.user)
    first = client.get(reverse("school:found_awaiting"))
    assert first.status_code == 200 and "Next page" in first.content.decode()
    second = client.get(reverse("school:found_awaiting") + "?page=2")
    assert second.context["page"].number == 2 and len(second.context["page"].object_list) == 1
    assert elsewhere.employer_name not in first.content.decode() + second.content.decode()
    assert client.get(reverse("school:found", args=[elsewhere.pk])).status_code == 404


def test_a_refusal_reaches_the_pupil_with_its_reason(found: Found) -> None:
    proposal = found.completed()
    answer = _as(found.staff.user).post(
        reverse("school:found", args=[proposal.pk]),
        {"outcome": "refuse", "refusal_reason": "The workshop is not safe for under-16s.", "note": ""},
    )
    assert answer.status_code == 302
    page = _as(found.pupil.user).get(reverse("pupil:found"))
    assert "The workshop is not safe for under-16s." in page.content.decode()
    assert 'name="employer_name"' in page.content.decode()  # may propose another


def test_approving_without_the_checks_is_a_form_error(found: Found) -> None:
    proposal = found.completed()
    page = _as(found.staff.user).post(reverse("school:found", args=[proposal.pk]), {"outcome": "approve"})
    assert page.status_code == 200 and "Record both checks" in page.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.AWAITING_VETTING
