"""A pupil's proposals in subject access, erasure, retention and the admin."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from mobility.accounts.models import User
from mobility.audit.models import PupilRecordView
from placements.lifecycle.models import NotificationSent
from placements.models import Match
from placements.selffound import notifications, services
from placements.selffound.models import EmployerLink, Proposal, ProposalStatus
from schools.models import WorkExperienceWindow
from tests import factories as f
from tests.clients import signed_in
from tests.privacy.runs import fingerprint, finished_run

from .conftest import CHECKS, Found

REASON = "The workplace is a building site, which is not safe for Year 10."
NOTE = "Spoke to Riley's mum about travel."

pytestmark = pytest.mark.django_db


def _refused(found: Found) -> Proposal:
    proposal = found.completed()
    return services.proposal_refuse(
        proposal_id=proposal.pk, actor=found.staff.user, reason=REASON, checks={**CHECKS, "note": NOTE}
    )


def _export(found: Found) -> dict:  # type: ignore[type-arg]
    out = StringIO()
    call_command("pupil_export", "--pupil", str(found.pupil.pk), stdout=out)
    return json.loads(out.getvalue())  # type: ignore[no-any-return]


def test_the_export_has_the_pupils_proposals_without_the_contacts_email_or_phone(found: Found) -> None:
    _refused(found)
    found.propose(pupil_plans="Try the kitchen this time.")
    record = _export(found)
    refused, waiting = record["placements_found"]
    assert refused["employer"] == "Corner Bakery" and refused["employer_contact"] == "Pat Baker"
    assert refused["supervisor_role"] == "Owner"
    assert refused["what_you_proposed"] == "Help in the shop and learn to bake bread."
    assert refused["status"] == "Not approved by the school" and refused["refusal_reason"] == REASON
    assert refused["health_and_safety_checked"] is True and refused["school_note"] == NOTE
    assert refused["checked_at"] and refused["proposed_at"] and refused["starts_on"]
    assert waiting["status"] == "Waiting for the employer"
    assert waiting["what_you_proposed"] == "Try the kitchen this time."
    text = json.dumps(record["placements_found"])
    assert "pat@bakery.example" not in text and "0151 000 0000" not in text
    assert "EL-1234" not in text  # the employer's insurance is the employer's


def test_the_school_reads_the_proposals_on_the_record_page(found: Found) -> None:
    _refused(found)
    page = signed_in(found.staff.user).get(f"/school/pupils/{found.pupil.pk}/record/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Placements the pupil found" in text and "Corner Bakery: Not approved by the school" in text
    assert "Help in the shop and learn to bake bread." in text and "building site" in text
    assert "pat@bakery.example" not in text


def test_erasure_clears_proposal_text_and_withdraws_the_open_one(found: Found) -> None:
    refused = _refused(found)
    open_one = found.propose(pupil_plans="Try the kitchen this time.")
    assert services.employer_link_send(proposal_id=open_one.pk)  # its record names the contact
    token = services.employer_link_issue(proposal=open_one)

    call_command("pupil_erase", "--pupil", str(found.pupil.pk), stdout=StringIO())

    refused.refresh_from_db()
    open_one.refresh_from_db()
    assert open_one.status == ProposalStatus.WITHDRAWN
    assert refused.status == ProposalStatus.REFUSED
    for proposal in (refused, open_one):
        assert proposal.pupil_plans == "" and proposal.vetting_note == ""
        assert (proposal.contact_name, proposal.contact_email, proposal.contact_phone) == ("Erased", "", "")
    assert notifications.outcome_send(proposal_id=refused.pk) == 0  # nobody left to tell
    assert not NotificationSent.objects.filter(recipient="pat@bakery.example").exists()
    assert refused.refusal_reason == "Erased."
    with pytest.raises(services.LinkRefused, match="withdrawn"):
        services.employer_link_open(token=token)
    assert not EmployerLink.objects.filter(proposal=open_one, revoked_at=None, used_at=None).exists()
    events = apps.get_model("selffound", "ProposalEvent").objects.filter(pupil_id=found.pupil.pk)
    assert events.exists()
    assert not events.exclude(pupil_plans="").exists()
    assert not events.exclude(contact_email="").exists() and not events.exclude(contact_phone="").exists()
    assert not events.filter(refusal_reason=REASON).exists() and not events.filter(vetting_note=NOTE).exists()
    assert Proposal.objects.filter(pupil=found.pupil).count() == 2  # kept, anonymous


def test_erasure_with_proposals_keeps_run_hashes_and_statistics(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    run = finished_run(django_capture_on_commit_callbacks)
    before = fingerprint(run)
    placed = Match.objects.filter(run=run).first()
    assert placed is not None
    f.ProposalFactory.create(pupil=placed.pupil, status=ProposalStatus.AWAITING_EMPLOYER)
    f.ProposalFactory.create(
        pupil=placed.pupil, status=ProposalStatus.REFUSED, refusal_reason=REASON, vetting_note=NOTE
    )

    call_command("pupil_erase", "--pupil", str(placed.pupil_id), stdout=StringIO())

    assert fingerprint(run) == before
    assert not Proposal.objects.filter(pupil_id=placed.pupil_id).exclude(pupil_plans="").exists()


def test_retention_counts_a_proposal_and_deletes_spent_employer_links(found: Found) -> None:
    long_ago = timezone.localdate() - dt.timedelta(days=400)
    WorkExperienceWindow.objects.filter(school=found.school).delete()
    WorkExperienceWindow.objects.create(
        school=found.school, year_group=10, starts_on=long_ago, ends_on=long_ago + dt.timedelta(days=4)
    )
    recent = f.ProposalFactory.create(
        pupil=f.PupilFactory.create(school=found.school), status=ProposalStatus.WITHDRAWN
    )
    old = f.ProposalFactory.create(
        pupil=found.pupil,
        status=ProposalStatus.REFUSED,
        refusal_reason=REASON,
        starts_on=long_ago,
        ends_on=long_ago + dt.timedelta(days=4),
    )
    services.employer_link_issue(proposal=old)
    services.employer_link_issue(proposal=recent)
    long_past = timezone.now() - dt.timedelta(days=31)
    EmployerLink.objects.filter(proposal=old).update(used_at=long_past)
    EmployerLink.objects.filter(proposal=recent).update(used_at=timezone.now() - dt.timedelta(days=29))

    out = StringIO()
    call_command("privacy_retention", "--dry-run", stdout=out)
    text = out.getvalue()
    assert f"pupil {found.pupil.pk}: last window ended" in text
    assert f"pupil {recent.pupil_id}:" not in text  # its proposal ends this year
    assert "Used or expired employer links to delete: 1" in text
    assert EmployerLink.objects.count() == 2

    call_command("privacy_retention", stdout=StringIO())
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.pupil_plans == "" and old.refusal_reason == "Erased."
    assert recent.pupil_plans != ""
    assert list(EmployerLink.objects.values_list("proposal", flat=True)) == [recent.pk]


def test_the_admin_reads_a_proposal_and_the_view_is_recorded(found: Found) -> None:
    proposal = f.ProposalFactory.create(pupil=found.pupil)
    admin = User.objects.create_superuser("root@admin.test", "pw", first_name="Ada")
    client = signed_in(admin)
    assert client.get("/admin/selffound/proposal/").status_code == 200
    page = client.get(f"/admin/selffound/proposal/{proposal.pk}/change/")
    assert page.status_code == 200 and "Help in the shop" in page.content.decode()
    assert PupilRecordView.objects.filter(pupil_id=found.pupil.pk, place="admin proposal page").exists()
    assert client.post(f"/admin/selffound/proposal/{proposal.pk}/change/", {}).status_code == 403
    assert client.get("/admin/selffound/proposal/add/").status_code == 403
