"""Retention: nothing about a pupil is kept longer than the periods in settings.MOBILITY.

- A pupil is anonymised (see erasure) PUPIL_RETENTION after the end of their last
  work-experience window, placement or placement they found (proposed), whichever is later.
- API tokens and sessions are deleted once they have expired; invitations (links and printed
  codes) INVITATION_RETENTION after they expired, and employers' links to a proposal the same
  period after they were used or expired.
- Notification records (recipient and subject) are deleted NOTIFICATION_RETENTION after sending.
- An organisation that signed itself up and whose contact never set a password is deleted, with
  the contact's account, once its invitations have been kept INVITATION_RETENTION.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from employers.registration import abandoned_sign_ups, abandoned_sign_ups_delete
from mobility.accounts.models import Invitation
from mobility.audit.context import audit_context
from placements.lifecycle.models import NotificationSent
from placements.models import Match
from placements.selffound.models import EmployerLink, Proposal
from schools.models import Pupil, WorkExperienceWindow
from schools.selectors import windows_of_outer_pupil

from .erasure import ERASED_DOMAIN, ErasureRefused, erasure_refusal, pupil_erase

UNCONFIRMED_APP_KEPT = dt.timedelta(days=1)


@dataclass
class RetentionPlan:
    today: dt.date
    pupils: list[tuple[int, dt.date]] = field(default_factory=list)  # (pupil id, last window end)
    pupils_held: list[tuple[int, str]] = field(default_factory=list)  # (pupil id, why not now)
    tokens: int = 0
    invitations: int = 0
    employer_links: int = 0
    sessions: int = 0
    notifications: int = 0
    unconfirmed_apps: int = 0
    abandoned_sign_ups: int = 0

    def lines(self) -> list[str]:
        keep = settings.MOBILITY
        lines = [
            f"Retention as of {self.today:%Y-%m-%d}: pupils kept {keep['PUPIL_RETENTION'].days} days after "
            f"their last window, invitations {keep['INVITATION_RETENTION'].days} days after expiry, "
            f"notifications {keep['NOTIFICATION_RETENTION'].days} days.",
            f"Pupils to anonymise: {len(self.pupils)}",
            *(f"  pupil {pk}: last window ended {end:%Y-%m-%d}" for pk, end in self.pupils),
        ]
        lines += [f"  pupil {pk} kept for now: {why}" for pk, why in self.pupils_held]
        lines += [
            f"Expired API tokens to delete: {self.tokens}",
            f"Expired invitations to delete: {self.invitations}",
            f"Used or expired employer links to delete: {self.employer_links}",
            f"Expired sessions to delete: {self.sessions}",
            f"Notification records to delete: {self.notifications}",
            f"Authenticator app set-ups never confirmed, to delete: {self.unconfirmed_apps}",
            f"Employer sign-ups never confirmed, to delete: {self.abandoned_sign_ups}",
        ]
        return lines


def _latest_of_outer_pupil(rows: QuerySet[Any], field: str) -> QuerySet[Any]:
    """The latest ``field`` among the outer pupil's ``rows``, for a subquery."""
    latest: QuerySet[Any] = (
        rows.filter(pupil=OuterRef("pk")).order_by().values("pupil").annotate(last=Max(field)).values("last")
    )
    return latest


def _last_window_ends() -> dict[int, dt.date]:
    """Each pupil's latest window, placement or proposed placement end, for pupils that have one."""
    windows = (
        WorkExperienceWindow.objects.filter(windows_of_outer_pupil())
        .order_by("-ends_on")
        .values("ends_on")[:1]
    )
    placements = _latest_of_outer_pupil(Match.objects.all(), "opportunity__ends_on")
    found = _latest_of_outer_pupil(Proposal.objects.all(), "ends_on")
    rows = (
        Pupil.objects.exclude(user__email__endswith=f"@{ERASED_DOMAIN}")
        .annotate(window_end=Subquery(windows), placement_end=Subquery(placements), found_end=Subquery(found))
        .values_list("pk", "window_end", "placement_end", "found_end")
    )
    ends = {}
    for pk, *dates in rows:
        known = [d for d in dates if d is not None]
        if known:
            ends[pk] = max(known)
    return ends


def retention_plan(*, now: dt.datetime | None = None) -> RetentionPlan:
    now = now or timezone.now()
    keep = settings.MOBILITY
    plan = RetentionPlan(today=timezone.localdate(now))
    cutoff = plan.today - keep["PUPIL_RETENTION"]
    due = sorted((pk, end) for pk, end in _last_window_ends().items() if end < cutoff)
    for pupil in Pupil.objects.filter(pk__in=[pk for pk, _ in due]).select_related("user"):
        refusal = erasure_refusal(pupil=pupil)
        if refusal:
            plan.pupils_held.append((pupil.pk, refusal))
    held = {pk for pk, _ in plan.pupils_held}
    plan.pupils = [(pk, end) for pk, end in due if pk not in held]
    plan.tokens = AuthToken.objects.filter(expiry__lt=now).count()
    plan.invitations = Invitation.objects.filter(expires_at__lt=now - keep["INVITATION_RETENTION"]).count()
    plan.employer_links = _spent_employer_links(now).count()
    plan.sessions = Session.objects.filter(expire_date__lt=now).count()
    plan.notifications = NotificationSent.objects.filter(
        sent_at__lt=now - keep["NOTIFICATION_RETENTION"]
    ).count()
    plan.unconfirmed_apps = _unconfirmed_apps(now).count()
    plan.abandoned_sign_ups = abandoned_sign_ups(now=now).count()
    return plan


def _unconfirmed_apps(now: dt.datetime) -> QuerySet[Any]:
    """Secrets of authenticator apps whose set-up was started and never finished."""
    stale: QuerySet[Any] = TOTPDevice.objects.filter(
        confirmed=False, created_at__lt=now - UNCONFIRMED_APP_KEPT
    )
    return stale


def _spent_employer_links(now: dt.datetime) -> QuerySet[EmployerLink]:
    """Links used, or expired, longer ago than invitations are kept."""
    cutoff = now - settings.MOBILITY["INVITATION_RETENTION"]
    return EmployerLink.objects.filter(Q(used_at__lt=cutoff) | Q(expires_at__lt=cutoff))


def retention_apply(*, now: dt.datetime | None = None) -> RetentionPlan:
    """Carry out the plan; each pupil is anonymised in its own transaction."""
    now = now or timezone.now()
    keep = settings.MOBILITY
    plan = retention_plan(now=now)
    done = []
    with audit_context(command="retention"):
        for pk, end in plan.pupils:
            try:
                pupil_erase(pupil=Pupil.objects.get(pk=pk), reason="retention")
            except ErasureRefused as refused:  # a placement went live since the plan was made
                plan.pupils_held.append((pk, str(refused)))
            else:
                done.append((pk, end))
        plan.pupils = done
        AuthToken.objects.filter(expiry__lt=now).delete()
        Invitation.objects.filter(expires_at__lt=now - keep["INVITATION_RETENTION"]).delete()
        _spent_employer_links(now).delete()
        Session.objects.filter(expire_date__lt=now).delete()
        NotificationSent.objects.filter(sent_at__lt=now - keep["NOTIFICATION_RETENTION"]).delete()
        _unconfirmed_apps(now).delete()
        plan.abandoned_sign_ups = abandoned_sign_ups_delete(now=now)
    return plan
