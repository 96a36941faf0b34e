"""Writes for organisations that sign themselves up, and for their members inviting colleagues.

A sign-up makes the organisation (pending verification), its first site and the contact's
account with no usable password; the contact sets one through the emailed single-use link,
which also proves the address is theirs. Nothing of the organisation reaches pupils until an
adviser verifies it (``employers.verification``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Unpack

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from employers.models import Employer, EmployerMember, Opportunity, Site
from employers.services import site_check
from mobility.accounts.models import Invitation, Role, User
from mobility.accounts.services import Invitee, colleague_invite, user_invite
from mobility.errors import Conflict, NotPermitted
from mobility.outbox.services import outbox_enqueue
from mobility.permissions import employer_id_of

if TYPE_CHECKING:
    from mobility.geography.models import Sector

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SignUp:
    organisation: str
    sector: Sector
    first_name: str
    last_name: str
    email: str
    phone: str
    job_title: str
    site_name: str
    address: str
    postcode: str


def employer_register(
    *, sign_up: SignUp, site_url: str | None = None, now: dt.datetime | None = None
) -> None:
    """Register an organisation, or, when the address already has an account, email its owner
    instead. The caller answers the same either way, so the page tells nobody which it was.

    The details are checked first (a postcode outside the regions served is a field error), so a
    mistake is reported whoever asks.
    """
    now = now or timezone.now()
    email = sign_up.email.strip().lower()
    employer = Employer(name=sign_up.organisation, sector=sign_up.sector, contact_phone=sign_up.phone.strip())
    site = Site(employer=employer, name=sign_up.site_name, address=sign_up.address, postcode=sign_up.postcode)
    with _named_as_form({"name": "organisation"}):
        employer.full_clean(exclude=["contact"])
    with _named_as_form({"name": "site_name"}):
        site_check(site=site)
    existing = User.objects.filter(email__iexact=email).values_list("pk", flat=True).first()
    if existing is not None:
        _tell_existing(existing, now)
        return
    try:
        with transaction.atomic():
            employer.save()
            site.employer = employer
            site.save()
            user = user_invite(
                email=email,
                first_name=sign_up.first_name,
                last_name=sign_up.last_name,
                role=Role.EMPLOYER,
                invited_by=None,
                site_url=site_url,
            )
            EmployerMember.objects.create(user=user, employer=employer, job_title=sign_up.job_title)
            employer.contact = user
            employer.save(update_fields=["contact"])
    except IntegrityError:
        # The same address signed up a moment ago, in another request: the same answer.
        log.info("Sign-up for an address registered meanwhile; nothing made")
        return
    log.info("Employer %s signed up; contact user %s", employer.pk, user.pk)


@contextmanager
def _named_as_form(names: dict[str, str]) -> Iterator[None]:
    """A model's field errors under the sign-up's own names (the organisation's and the site's
    ``name`` are two different answers)."""
    try:
        yield
    except ValidationError as error:
        raise ValidationError(
            {names.get(field, field): errors for field, errors in error.message_dict.items()}
        ) from error


def _tell_existing(user_id: int, now: dt.datetime) -> None:
    with transaction.atomic():
        outbox_enqueue(
            task_name="employers.tasks.notify_sign_up_existing",
            kwargs={"user_id": user_id},
            dedup_key=f"sign-up-existing:{user_id}:{now.isoformat()}",
        )
    log.info("Sign-up with the address of user %s; told them instead", user_id)


def member_invite(*, employer: Employer, job_title: str, **invitee: Unpack[Invitee]) -> EmployerMember:
    """A colleague's account in the same organisation, with an invitation to set a password."""
    return colleague_invite(
        role=Role.EMPLOYER,
        attach=lambda user: EmployerMember.objects.create(user=user, employer=employer, job_title=job_title),
        **invitee,
    )


def member_remove(*, member: EmployerMember, actor: User, now: dt.datetime | None = None) -> None:
    """Another member of the same organisation takes a colleague off it: the account is closed and
    its invitations withdrawn. Nobody removes themselves, and the last member always stays."""
    now = now or timezone.now()
    with transaction.atomic():
        # The organisation's row serialises removals, so two members cannot remove each other.
        employer = Employer.objects.select_for_update().get(pk=member.employer_id)
        if employer_id_of(actor) != employer.pk:
            raise NotPermitted("Only a member of the same organisation can remove a colleague.")
        member = EmployerMember.objects.select_related("user").get(pk=member.pk)
        if member.user_id == actor.pk:
            raise Conflict("You cannot remove yourself; ask a colleague to.")
        if employer.members.count() <= 1:
            raise Conflict("An organisation keeps at least one member.")
        user = member.user
        member.delete()
        user.is_active = False
        user.save(update_fields=["is_active"])
        Invitation.objects.filter(user=user, used_at=None, revoked_at=None).update(revoked_at=now)
        if employer.contact_id == user.pk:
            employer.contact = actor
            employer.save(update_fields=["contact"])
    log.info("Member user %s removed from employer %s by user %s", user.pk, employer.pk, actor.pk)


def abandoned_sign_ups(*, now: dt.datetime) -> QuerySet[Employer]:
    """Sign-ups whose contact never set a password, kept as long as their last invitation is.

    Still pending, no member who ever signed in or has a password, and no invitation to any
    member that expired less than ``INVITATION_RETENTION`` ago (or is still live)."""
    cutoff = now - settings.MOBILITY["INVITATION_RETENTION"]
    confirmed_member = EmployerMember.objects.filter(employer=OuterRef("pk")).filter(
        Q(user__last_login__isnull=False) | ~Q(user__password__startswith=UNUSABLE_PASSWORD_PREFIX)
    )
    kept_invitation = Invitation.objects.filter(
        user__employer_member__employer=OuterRef("pk"), expires_at__gte=cutoff
    )
    # A school may have matched a placement a pupil found to the organisation meanwhile: its
    # opportunities then hold that placement, and the organisation stays.
    has_opportunity = Opportunity.objects.filter(employer=OuterRef("pk"))
    return Employer.objects.filter(
        ~Exists(confirmed_member),
        ~Exists(kept_invitation),
        ~Exists(has_opportunity),
        verification_status=Employer.Verification.PENDING,
        created_at__lt=cutoff,
        contact__isnull=False,  # made in the admin site, not signed up
    )


def abandoned_sign_ups_delete(*, now: dt.datetime) -> int:
    """Delete abandoned sign-ups with their sites and their members' unused accounts."""
    with transaction.atomic():
        employers = list(abandoned_sign_ups(now=now).select_for_update(of=("self",)))
        members = User.objects.filter(employer_member__employer__in=employers)
        users = list(members.values_list("pk", flat=True))
        Employer.objects.filter(pk__in=[e.pk for e in employers]).delete()
        User.objects.filter(pk__in=users).delete()
    for employer in employers:
        log.info("Employer sign-up %s deleted: never confirmed", employer.pk)
    return len(employers)
