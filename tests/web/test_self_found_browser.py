"""A placement a pupil found, end to end in a real browser: the pupil proposes, the employer
completes it through the emailed link with no account, the school vets and approves, an adviser
verifies and approves, consent confirms it; no other pupil can see the reserved placement."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect

from placements.models import Match, MatchStatus
from placements.selffound.models import Proposal
from placements.selffound.tasks import employer_link_send
from tests.web.conftest import check_accessibility, fill_in, log_in, visit
from tests.web.world import WebWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_a_self_found_placement_from_proposal_to_confirmation(page: Any, web_world: WebWorld) -> None:
    w = web_world
    log_in(page, w.pupil.user.email)
    page.get_by_role("link", name="I have found a placement").click()
    check_accessibility(page)
    fill_in(
        page,
        {
            "Employer's name": "Bold Street Bakery",
            "Contact's name": "Pat Baker",
            "Contact's email address": "pat@bakery.example",
            "Contact's phone number": "0151 000 0000",
            "Workplace address": "2 Bold Street, Liverpool",
            "Workplace postcode": "L1 4DS",
            "First day": w.window_start.isoformat(),
            "Last day": w.window_end.isoformat(),
            "What you will do there": "Serve customers and bake bread.",
        },
    )
    page.get_by_role("button", name="Send to the employer").click()
    expect(page.locator("#found-status")).to_contain_text("Waiting for the employer")
    _sign_out(page)

    # What the worker does with the outbox row: one email with a single-use link.
    proposal = Proposal.objects.get(pupil=w.pupil)
    assert employer_link_send(proposal.pk)
    body = next(m.body for m in mail.outbox if m.to == ["pat@bakery.example"])
    path = "/placement-details/" + body.split("/placement-details/")[1].split()[0]
    visit(page, path)
    expect(page.locator("main")).to_contain_text("Riley, Year 10")
    expect(page.locator("main")).not_to_contain_text("Jones")
    page.get_by_label("Kind of work").select_option(label="Retail")
    fill_in(
        page,
        {
            "Name of the workplace": "Bold Street shop",
            "Hours a day": "6",
            "Supervisor's name": "Pat Baker",
            "What the pupil will do": "Serving customers and baking.",
            "Employer's liability insurer": "Acme Insurance",
            "Policy number": "EL-77",
            "Insurance expires on": str(w.window_end + dt.timedelta(days=200)),
            "Date of your risk assessment for young workers": str(w.window_start - dt.timedelta(days=40)),
        },
    )
    page.get_by_label("I confirm these details are correct").check()
    page.get_by_role("button", name="Send the details").click()
    expect(page.get_by_role("heading", name="Details sent")).to_be_visible()
    assert page.goto(path).status == 410  # used once

    log_in(page, w.staff.email)
    page.get_by_role("link", name="Placements pupils found").click()
    check_accessibility(page)
    page.get_by_role("link", name="Riley Jones").click()
    check_accessibility(page)
    page.get_by_label("Health and safety checked").check()
    page.get_by_label("Safeguarding checked").check()
    page.get_by_label("Approve: the checks are satisfactory").check()
    page.get_by_label("Note of the checks").fill("Insurance certificate seen; supervisor met.")
    page.get_by_role("button", name="Record the check").click()
    expect(page.get_by_role("alert", name="Success")).to_contain_text("Bold Street Bakery approved")
    _sign_out(page)

    proposal.refresh_from_db()
    assert proposal.match is not None and proposal.opportunity is not None
    log_in(page, w.adviser.email)
    visit(page, "/adviser/compliance/")
    page.get_by_role("link", name="Verify Bold Street Bakery").click()
    page.get_by_label("Evidence seen").fill("Certificate and risk assessment seen.")
    page.get_by_role("button", name="Verify").click()
    visit(page, f"/adviser/runs/{proposal.match.run_id}/")
    page.get_by_role("button", name="Approve Riley Jones").click()
    page.wait_for_load_state()
    assert Match.objects.get(pk=proposal.match.pk).status == MatchStatus.ACCEPTED
    _sign_out(page)

    log_in(page, w.staff.email)
    visit(page, f"/school/pupils/{w.pupil.pk}/consent/")
    page.get_by_label("Given").check()
    page.get_by_label("Paper form").check()
    page.get_by_label("Parent's or carer's name").fill("Sam Jones")
    page.get_by_role("button", name="Save consent").click()
    page.wait_for_load_state()
    assert Match.objects.get(pk=proposal.match.pk).status == MatchStatus.CONFIRMED
    _sign_out(page)

    other = w.add_pupil("Alex")
    log_in(page, other.user.email)
    visit(page, "/pupil/opportunities/?show_all=on&max_minutes=90")
    expect(page.locator("main")).not_to_contain_text("Bold Street Bakery")
    assert page.goto(f"/pupil/opportunities/{proposal.opportunity.pk}/").status == 404
