"""Signing up, verifying or refusing an organisation, and members inviting and removing colleagues."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from employers import registration, verification
from employers.models import Employer, EmployerMember, Site
from employers.tasks import notify_sign_up_existing, notify_verification_decided
from mobility.accounts.models import Invitation, Role, User
from mobility.audit.selectors import change_events
from mobility.errors import Conflict, NotPermitted
from mobility.outbox.models import OutboxMessage
from placements.privacy.retention import retention_apply
from tests import factories as f

from .conftest import SignUpWorld

pytestmark = pytest.mark.django_db


def sign_up(**changes: object) -> registration.SignUp:
    fields: dict[str, object] = {
        "organisation": "Mersey Robotics Ltd",
        "sector": f.SectorFactory.create(),
        "first_name": "Jo",
        "last_name": "Founder",
        "email": "Jo@Mersey-Robotics.test",
        "phone": "0151 496 0000",
        "job_title": "Director",
        "site_name": "Workshop",
        "address": "1 Dale Street, Liverpool",
        "postcode": "l2 2dh",
    }
    fields.update(changes)
    return registration.SignUp(**fields)  # type: ignore[arg-type]


def counts() -> tuple[int, int, int, int]:
    return (
        Employer.objects.count(),
        Site.objects.count(),
        User.objects.count(),
        EmployerMember.objects.count(),
    )


def test_sign_up_makes_a_pending_organisation_and_invites_its_contact(
    django_capture_on_commit_callbacks: object,
) -> None:
    f.LocalAuthorityFactory.create()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        registration.employer_register(sign_up=sign_up(), site_url="https://mobility.test/")
    employer = Employer.objects.get(name="Mersey Robotics Ltd")
    assert employer.verification_status == Employer.Verification.PENDING
    assert employer.verification_decided_at is None
    assert employer.contact_phone == "0151 496 0000"
    site = employer.sites.get()
    assert (site.name, site.postcode, site.local_authority_code) == ("Workshop", "L2 2DH", "E08000012")
    contact = employer.contact
    assert contact is not None and contact.email == "jo@mersey-robotics.test"
    assert contact.role == Role.EMPLOYER and not contact.has_usable_password()
    assert contact.employer_member.employer == employer
    (message,) = mail.outbox
    assert message.to == ["jo@mersey-robotics.test"]
    assert "https://mobility.test/accounts/invitation/" in str(message.body)


def test_an_address_with_an_account_makes_nothing_and_its_owner_is_told() -> None:
    f.LocalAuthorityFactory.create()
    owner = f.UserFactory.create(email="jo@mersey-robotics.test")
    before = counts()
    registration.employer_register(sign_up=sign_up())
    assert counts() == before
    assert not Invitation.objects.filter(user=owner).exists()
    message = OutboxMessage.objects.get(task_name="employers.tasks.notify_sign_up_existing")
    assert message.kwargs == {"user_id": owner.pk}  # an id, not the address
    assert notify_sign_up_existing(**message.kwargs) == 1
    assert mail.outbox[-1].to == [owner.email]
    assert "already has an account" in str(mail.outbox[-1].body)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"postcode": "M1 1AE"}, "postcode", "M1 1AE is outside the areas this service covers"),
        ({"postcode": "XX1 1XX"}, "postcode", "We could not find the postcode"),
        ({"organisation": "x" * 201}, "organisation", "at most 200 characters"),
        ({"site_name": "x" * 121}, "site_name", "at most 120 characters"),
    ],
)
def test_bad_details_are_field_errors_whoever_asks(changes: dict[str, str], field: str, words: str) -> None:
    f.LocalAuthorityFactory.create()
    f.UserFactory.create(email="jo@mersey-robotics.test")  # even for an address with an account
    before = counts()
    with pytest.raises(ValidationError) as error:
        registration.employer_register(sign_up=sign_up(**changes))
    assert words in " ".join(error.value.message_dict[field])
    assert counts() == before
    assert not OutboxMessage.objects.exists()


def test_an_adviser_verifies_with_a_note_and_the_contact_hears_on_commit(
    sign_up_world: SignUpWorld, django_capture_on_commit_callbacks: object
) -> None:
    w = sign_up_world
    with django_capture_on_commit_callbacks() as callbacks:  # type: ignore[operator]
        employer = verification.employer_verify(
            employer=w.pending, actor=w.adviser, note="Companies House record active; called Jo."
        )
        assert not mail.outbox
    assert callbacks, "the message is sent only once the decision commits"
    employer.refresh_from_db()
    assert employer.verification_status == Employer.Verification.VERIFIED
    assert employer.verification_decided_by == w.adviser
    assert employer.verification_decided_at is not None
    assert employer.verification_note == "Companies House record active; called Jo."
    message = OutboxMessage.objects.get(task_name="employers.tasks.notify_verification_decided")
    assert notify_verification_decided(**message.kwargs) == 1
    assert mail.outbox[-1].to == [w.contact.user.email]
    assert "is verified" in mail.outbox[-1].subject
    change = [e for e in change_events(objects=[employer]) if e["event"] == "update"][-1]
    assert change["changes"]["verification_status"] == ["pending", "verified"]
    assert change["changes"]["verification_note"] == ["", "Companies House record active; called Jo."]


def test_a_refusal_needs_a_reason_which_the_contact_is_sent(sign_up_world: SignUpWorld) -> None:
    w = sign_up_world
    with pytest.raises(ValidationError) as error:
        verification.employer_refuse(employer=w.pending, actor=w.adviser, reason="  ")
    assert "Give the reason" in error.value.message_dict["note"][0]
    assert Employer.objects.get(pk=w.pending.pk).verification_status == Employer.Verification.PENDING
    verification.employer_refuse(employer=w.pending, actor=w.adviser, reason="Not a registered company.")
    message = OutboxMessage.objects.get(task_name="employers.tasks.notify_verification_decided")
    assert notify_verification_decided(**message.kwargs) == 1
    assert "could not be verified" in mail.outbox[-1].subject
    assert "Not a registered company." in str(mail.outbox[-1].body)


# (decision made first, then the one tried): allowed or refused by the one table.
@pytest.mark.parametrize(
    ("first", "then", "allowed"),
    [
        ("verify", "verify", False),
        ("verify", "refuse", False),
        ("refuse", "refuse", False),
        ("refuse", "verify", True),
    ],
)
def test_decisions_follow_the_table(sign_up_world: SignUpWorld, first: str, then: str, allowed: bool) -> None:
    w = sign_up_world
    decide = {
        "verify": lambda: verification.employer_verify(employer=w.pending, actor=w.adviser, note="Checked."),
        "refuse": lambda: verification.employer_refuse(
            employer=w.pending, actor=w.adviser, reason="Unknown."
        ),
    }
    decide[first]()
    before = Employer.objects.filter(pk=w.pending.pk).values_list("verification_status", "verification_note")
    saved = list(before)
    if allowed:
        decide[then]()
        assert Employer.objects.get(pk=w.pending.pk).verification_status == Employer.Verification.VERIFIED
    else:
        with pytest.raises(Conflict):
            decide[then]()
        assert list(before) == saved


def test_only_an_adviser_of_the_region_or_an_admin_decides(sign_up_world: SignUpWorld) -> None:
    w = sign_up_world
    for outsider in (w.far_adviser, w.contact.user, w.pupil.user):
        with pytest.raises(NotPermitted):
            verification.employer_verify(employer=w.pending, actor=outsider, note="Checked.")
    assert Employer.objects.get(pk=w.pending.pk).verification_status == Employer.Verification.PENDING
    admin = f.UserFactory.create(admin=True)
    verification.employer_verify(employer=w.pending, actor=admin, note="Checked by the admin.")
    assert Employer.objects.get(pk=w.pending.pk).is_verified


def test_nobody_verifies_before_the_contact_confirms_their_address(sign_up_world: SignUpWorld) -> None:
    w = sign_up_world
    User.objects.filter(pk=w.contact.user_id).update(password="!unusable")
    with pytest.raises(Conflict, match="not yet confirmed"):
        verification.employer_verify(employer=w.pending, actor=w.adviser, note="Checked.")


def test_members_invite_and_remove_colleagues_but_never_the_last(sign_up_world: SignUpWorld) -> None:
    w = sign_up_world
    me = w.contact.user
    colleague = registration.member_invite(
        employer=w.pending,
        email="sam@mersey-robotics.test",
        first_name="Sam",
        last_name="Colleague",
        job_title="Engineer",
        invited_by=me,
    )
    assert colleague.user.role == Role.EMPLOYER and not colleague.user.has_usable_password()
    with pytest.raises(Conflict, match="cannot remove yourself"):
        registration.member_remove(member=w.contact, actor=me)
    stranger = f.EmployerMemberFactory.create().user
    with pytest.raises(NotPermitted):
        registration.member_remove(member=colleague, actor=stranger)
    registration.member_remove(member=colleague, actor=me)
    assert not EmployerMember.objects.filter(pk=colleague.pk).exists()
    gone = User.objects.get(pk=colleague.user_id)
    assert not gone.is_active
    assert not Invitation.objects.filter(user=gone, revoked_at=None).exists()
    # The contact removed by a colleague: the remover becomes the contact.
    other = f.EmployerMemberFactory.create(employer=w.pending)
    registration.member_remove(member=w.contact, actor=other.user)
    assert Employer.objects.get(pk=w.pending.pk).contact == other.user
    # The one member left cannot be removed: only they could try, and nobody removes themselves.
    with pytest.raises(Conflict):
        registration.member_remove(member=other, actor=other.user)
    assert EmployerMember.objects.filter(employer=w.pending).count() == 1


def test_an_organisation_made_in_the_admin_site_without_members_can_be_verified(
    sign_up_world: SignUpWorld,
) -> None:
    employer = f.EmployerFactory.create(pending=True)
    f.SiteFactory.create(employer=employer, postcode="L2 2DH")
    verification.employer_verify(employer=employer, actor=sign_up_world.adviser, note="Set up by us.")
    assert Employer.objects.get(pk=employer.pk).is_verified


def test_a_sign_up_never_confirmed_is_deleted_once_its_invitation_is_no_longer_kept() -> None:
    f.LocalAuthorityFactory.create()
    signed_up = timezone.now()
    registration.employer_register(sign_up=sign_up(), now=signed_up)
    registration.employer_register(sign_up=sign_up(email="sam@other.test", organisation="Other Ltd"))
    confirmed = Employer.objects.get(name="Other Ltd")
    assert confirmed.contact is not None
    confirmed.contact.set_password("a long enough password")
    confirmed.contact.save()
    registration.employer_register(sign_up=sign_up(email="kim@kept.test", organisation="Kept Ltd"))
    kept_for = Employer.objects.get(name="Kept Ltd")  # a school matched a found placement to it
    f.OpportunityFactory.create(employer=kept_for, site=kept_for.sites.get())
    Employer.objects.update(created_at=signed_up)
    valid = dt.timedelta(days=settings.MOBILITY["INVITATION_VALID_DAYS"])
    kept = settings.MOBILITY["INVITATION_RETENTION"]

    before = counts()
    assert retention_apply(now=signed_up + valid + kept - dt.timedelta(hours=1)).abandoned_sign_ups == 0
    assert counts() == before  # the invitation could still be shown as expired

    plan = retention_apply(now=signed_up + valid + kept + dt.timedelta(hours=1))
    assert plan.abandoned_sign_ups == 1
    assert "Employer sign-ups never confirmed, to delete: 1" in plan.lines()
    assert set(Employer.objects.all()) == {confirmed, kept_for}
    assert not User.objects.filter(email="jo@mersey-robotics.test").exists()
    assert counts() == (before[0] - 1, before[1] - 1, before[2] - 1, before[3] - 1)
