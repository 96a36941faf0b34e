"""Placements pupils find: each state change and each refusal, in the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from employers.models import ComplianceRecord, Employer, Opportunity
from employers.services import compliance_verify, opportunity_set_status
from mobility.accounts.tokens import token_digest
from mobility.errors import Conflict, NotPermitted
from mobility.outbox.models import OutboxMessage
from placements.lifecycle import services as lifecycle
from placements.lifecycle.exceptions import ComplianceBlocked
from placements.lifecycle.notifications import notification_send_for_change
from placements.models import Match, MatchStatus
from placements.selffound import services
from placements.selffound.models import EmployerLink, ProposalStatus
from placements.selffound.tasks import employer_link_send
from schools.models import ConsentStatus
from schools.services import pupil_consent_record
from tests import factories as f

from .conftest import CHECKS, Found, employer_part

S = MatchStatus


def test_a_proposal_waits_for_the_employer_and_queues_the_link_email(found: Found) -> None:
    proposal = found.propose()
    assert proposal.status == ProposalStatus.AWAITING_EMPLOYER
    assert proposal.local_authority_code == "E08000012"
    assert OutboxMessage.objects.filter(
        task_name=services.LINK_TASK, kwargs={"proposal_id": proposal.pk}
    ).exists()


def test_the_link_is_emailed_once_and_only_its_hash_is_stored(found: Found) -> None:
    proposal = found.propose()
    assert employer_link_send(proposal.pk) is True
    assert employer_link_send(proposal.pk) is False  # the task sent twice sends one email
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["pat@bakery.example"]
    token = message.body.split("/placement-details/")[1].split("/")[0]
    link = EmployerLink.objects.get(proposal=proposal)
    assert link.token_hash == token_digest(token) and token not in link.token_hash
    assert services.employer_link_open(token=token).pk == link.pk
    # Least data: the email names the pupil by first name, year group and school only.
    assert found.pupil.user.last_name not in message.body
    assert found.pupil.postcode not in message.body


@pytest.mark.parametrize(
    ("over", "field", "words"),
    [
        ({"postcode": "SW1A 1AA"}, "postcode", "outside the areas this service covers"),
        ({"postcode": "ZZ9 9ZZ"}, "postcode", ""),
        (
            {
                "starts_on": f.WINDOW_START + dt.timedelta(days=28),
                "ends_on": f.WINDOW_END + dt.timedelta(days=28),
            },
            "starts_on",
            "work-experience dates",
        ),
        ({"starts_on": f.TODAY - dt.timedelta(days=1)}, "starts_on", "today or later"),
        ({"ends_on": f.WINDOW_START + dt.timedelta(days=20)}, "ends_on", "working days"),
        ({"contact_email": "not an email"}, "contact_email", ""),
    ],
)
def test_bad_proposals_are_refused_on_the_field(
    found: Found, over: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        found.propose(**over)
    assert field in caught.value.error_dict
    assert words in " ".join(caught.value.message_dict[field])
    assert not found.pupil.self_found.exists()


def test_one_open_proposal_at_a_time_and_again_after_a_refusal(found: Found) -> None:
    proposal = found.completed()
    with pytest.raises(ValidationError, match="already have a placement you found"):
        found.propose()
    services.proposal_refuse(
        proposal_id=proposal.pk, actor=found.staff.user, reason="The shop has no insurance.", checks={}
    )
    assert found.propose().status == ProposalStatus.AWAITING_EMPLOYER


def test_no_proposal_while_holding_a_live_placement(found: Found) -> None:
    opportunity = f.OpportunityFactory.create(seats_taken=1)
    f.MatchFactory.create(pupil=found.pupil, opportunity=opportunity, status=S.ACCEPTED)
    with pytest.raises(ValidationError, match="already have a placement"):
        found.propose()


def test_the_employer_completes_once_through_the_link(found: Found) -> None:
    proposal = found.propose()
    token = services.employer_link_issue(proposal=proposal)
    link = services.employer_link_open(token=token)
    done = services.proposal_employer_complete(link=link, data=employer_part(found.sector))
    assert done.status == ProposalStatus.AWAITING_VETTING and done.employer_completed_at is not None
    with pytest.raises(services.LinkRefused) as caught:
        services.employer_link_open(token=token)
    assert caught.value.reason == "used"
    with pytest.raises(services.LinkRefused):  # the page held open in a second tab
        services.proposal_employer_complete(link=link, data=employer_part(found.sector))


def test_links_expire_and_a_new_one_replaces_the_old(found: Found) -> None:
    proposal = found.propose()
    old = services.employer_link_issue(proposal=proposal)
    new = services.employer_link_issue(proposal=proposal)
    with pytest.raises(services.LinkRefused) as caught:
        services.employer_link_open(token=old)
    assert caught.value.reason == "replaced"
    later = f.NOW + dt.timedelta(days=8)
    with pytest.raises(services.LinkRefused) as caught:
        services.employer_link_open(token=new, now=later)
    assert caught.value.reason == "expired"
    with pytest.raises(services.LinkRefused) as caught:
        services.employer_link_open(token="made-up")
    assert caught.value.reason == "unknown"


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"insurer": ""}, "insurer"),
        ({"insurance_expires_on": f.WINDOW_END - dt.timedelta(days=1)}, "insurance_expires_on"),
        ({"risk_assessment_on": f.TODAY + dt.timedelta(days=1)}, "risk_assessment_on"),
        ({"risk_assessment_on": f.TODAY - dt.timedelta(days=400)}, "risk_assessment_on"),
        ({"daily_hours": 9}, "daily_hours"),
        ({"supervisor_name": ""}, "supervisor_name"),
    ],
)
def test_the_employers_part_is_refused_without_cover(found: Found, over: dict[str, Any], field: str) -> None:
    proposal = found.propose()
    link = services.employer_link_open(token=services.employer_link_issue(proposal=proposal))
    with pytest.raises(ValidationError) as caught:
        services.proposal_employer_complete(link=link, data=employer_part(found.sector, **over))
    assert field in caught.value.error_dict
    link.refresh_from_db()
    assert link.used_at is None  # still usable to correct the answer


def test_refusal_needs_a_reason_and_records_the_check(found: Found) -> None:
    proposal = found.completed()
    with pytest.raises(ValidationError):
        services.proposal_refuse(proposal_id=proposal.pk, actor=found.staff.user, reason=" ", checks=CHECKS)
    refused = services.proposal_refuse(
        proposal_id=proposal.pk,
        actor=found.staff.user,
        reason="No risk assessment for under-18s.",
        checks=CHECKS,
    )
    assert refused.status == ProposalStatus.REFUSED
    assert refused.vetted_by == found.staff.user and refused.vetted_at is not None
    assert refused.vetting_note == "Certificate seen."
    assert not Match.objects.filter(pupil=found.pupil).exists()


def test_approval_needs_both_checks(found: Found) -> None:
    proposal = found.completed()
    with pytest.raises(ValidationError):
        services.proposal_approve(
            proposal_id=proposal.pk, actor=found.staff.user, checks={**CHECKS, "safeguarding_checked": False}
        )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.AWAITING_VETTING


def test_only_the_pupils_own_school_vets(found: Found) -> None:
    proposal = found.completed()
    other_staff = f.SchoolStaffFactory.create()
    for actor in (other_staff.user, found.adviser.user, found.pupil.user):
        with pytest.raises(NotPermitted):
            services.proposal_approve(proposal_id=proposal.pk, actor=actor, checks=CHECKS)


def test_approval_makes_a_reserved_placement_and_proposes_it(found: Found) -> None:
    proposal = found.approved()
    assert proposal.status == ProposalStatus.APPROVED
    opportunity = proposal.opportunity
    assert opportunity is not None
    assert (
        opportunity.reserved and opportunity.status == Opportunity.Status.CLOSED and opportunity.capacity == 1
    )
    assert opportunity.site is not None and opportunity.site.postcode == "L1 4DS"
    assert opportunity.employer.name == "Corner Bakery"
    record = ComplianceRecord.objects.get(employer=opportunity.employer)
    assert record.insurer == "Test Mutual" and not record.is_verified  # an adviser verifies it
    match = proposal.match
    assert match is not None and match.status == S.PROPOSED and match.pupil == found.pupil
    assert list(match.status_changes.values_list("to_status", "reason", "changed_by")) == [
        (S.PROPOSED, "self_found", found.staff.user.pk)
    ]
    with pytest.raises(Conflict):
        opportunity_set_status(opportunity=opportunity, status=Opportunity.Status.PUBLISHED)


def test_an_existing_employer_is_linked_only_when_staff_say_so(found: Found) -> None:
    existing = f.EmployerFactory.create(name="Corner Bakery")
    f.SiteFactory.create(employer=existing, postcode="L1 4DS")
    proposal = found.completed()
    with pytest.raises(ValidationError) as caught:
        services.proposal_approve(proposal_id=proposal.pk, actor=found.staff.user, checks=CHECKS)
    assert "employer_choice" in caught.value.error_dict
    approved = services.proposal_approve(
        proposal_id=proposal.pk, actor=found.staff.user, checks=CHECKS, employer_choice=str(existing.pk)
    )
    assert approved.opportunity is not None and approved.opportunity.employer == existing
    assert Employer.objects.filter(name="Corner Bakery").count() == 1
    assert existing.sites.count() == 1


def test_new_employer_when_staff_say_it_is_another(found: Found) -> None:
    existing = f.EmployerFactory.create(name="Corner Bakery")
    f.SiteFactory.create(employer=existing, postcode="L1 4DS")
    proposal = found.completed()
    approved = services.proposal_approve(
        proposal_id=proposal.pk, actor=found.staff.user, checks=CHECKS, employer_choice="new"
    )
    assert approved.opportunity is not None and approved.opportunity.employer != existing


def _verify(proposal_opportunity: Opportunity, found: Found) -> None:
    record = ComplianceRecord.objects.get(employer=proposal_opportunity.employer)
    compliance_verify(record=record, actor=found.adviser.user, note="Certificate and assessment seen.")


def test_adviser_approval_then_consent_confirms(found: Found) -> None:
    proposal = found.approved()
    assert proposal.match is not None and proposal.opportunity is not None
    with pytest.raises(ComplianceBlocked):  # as for any employer: verified compliance first
        lifecycle.match_approve(match_id=proposal.match.pk, actor=found.adviser.user)
    _verify(proposal.opportunity, found)
    match = lifecycle.match_approve(match_id=proposal.match.pk, actor=found.adviser.user)
    assert match.status == S.ACCEPTED  # agreed by pupil and employer already; consent outstanding
    assert list(match.status_changes.values_list("from_status", "to_status")) == [
        ("", S.PROPOSED),
        (S.PROPOSED, S.APPROVED),
        (S.APPROVED, S.ACCEPTED),
    ]
    proposal.opportunity.refresh_from_db()
    assert proposal.opportunity.seats_taken == 1
    pupil_consent_record(pupil=found.pupil, status=ConsentStatus.GIVEN, actor=found.staff.user)
    match.refresh_from_db()
    assert match.status == S.CONFIRMED


def test_consent_already_on_file_confirms_on_approval(found: Found) -> None:
    pupil = f.PupilFactory.create(school=found.school, parental_consent=ConsentStatus.GIVEN)
    proposal = found.approved(pupil)
    assert proposal.match is not None and proposal.opportunity is not None
    _verify(proposal.opportunity, found)
    outcome = lifecycle.matches_bulk_decide(
        actor=found.adviser.user, event="approve", match_ids=[proposal.match.pk]
    )
    assert [o.status for o in outcome] == [S.CONFIRMED]


def test_the_school_cannot_approve_a_second_placement(found: Found) -> None:
    proposal = found.completed()
    f.MatchFactory.create(
        pupil=found.pupil, opportunity=f.OpportunityFactory.create(seats_taken=1), status=S.CONFIRMED
    )
    with pytest.raises(ValidationError, match="already holds a placement"):
        services.proposal_approve(proposal_id=proposal.pk, actor=found.staff.user, checks=CHECKS)


def test_advisers_hear_the_school_checked_a_placement_the_pupil_found(found: Found) -> None:
    proposal = found.approved()
    assert proposal.match is not None
    change = proposal.match.status_changes.get()
    assert notification_send_for_change(change_id=change.pk) == 1
    (message,) = mail.outbox
    assert message.to == [found.adviser.user.email]
    assert message.subject.startswith(
        f"{found.pupil.user.first_name} found a placement the school has checked"
    )


def test_a_pupil_withdraws_an_open_proposal_and_the_link_stops_working(found: Found) -> None:
    proposal = found.propose()
    token = services.employer_link_issue(proposal=proposal)
    with pytest.raises(NotPermitted):
        services.proposal_withdraw(proposal_id=proposal.pk, actor=f.PupilFactory.create().user)
    services.proposal_withdraw(proposal_id=proposal.pk, actor=found.pupil.user)
    with pytest.raises(services.LinkRefused) as caught:
        services.employer_link_open(token=token)
    assert caught.value.reason == "withdrawn"
    with pytest.raises(ValidationError):
        services.proposal_withdraw(proposal_id=proposal.pk, actor=found.pupil.user)
    assert found.propose().status == ProposalStatus.AWAITING_EMPLOYER
