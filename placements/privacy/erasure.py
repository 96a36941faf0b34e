"""Erasure: a pupil's personal data is anonymised; what runs counted and hashed stays as it was.

Match runs keep their statistics and result hashes (stored at run time, never recomputed),
and the pupil's rows stay so the counts behind them do not move; only what identifies the
pupil is replaced. The audit trail's snapshots of the pupil are scrubbed in the same
transaction: the one write its append-only triggers are told to let through.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pgtrigger
from django.db import connection, transaction
from django.utils import timezone
from knox.models import AuthToken

from mobility.audit.context import audit_context
from mobility.audit.services import pupil_record_view_record
from placements.lifecycle.models import NotificationSent, PlacementFeedback
from placements.lifecycle.notifications import event_key
from placements.models import LIVE_STATUSES, Match, MatchStatusChange
from placements.selffound.models import OPEN_STATUSES, EmployerLink, Proposal, ProposalStatus
from placements.selffound.notifications import link_key, outcome_key
from schools.models import ConsentRecord, Pupil

from .found import found_event_keys

ERASED_DOMAIN = "erased.invalid"
ERASED_NAME = "Erased"
# A refused proposal must keep a reason (a check constraint); this replaces the words.
ERASED_REASON = "Erased."
ERASED_PROPOSAL_FIELDS = {
    "pupil_plans": "",
    "vetting_note": "",
    "contact_name": "Erased",
    "contact_email": "",
    "contact_phone": "",
}
# Grid points are coarsened to this many metres: a district, not a street.
COARSE_GRID_METRES = 1000
AUDIT_SNAPSHOTS = (
    "accounts.UserEvent:append_only",
    "schools.PupilEvent:append_only",
    "schools.ConsentRecordEvent:append_only",
    "selffound.ProposalEvent:append_only",
)


class ErasureRefused(Exception):
    """The pupil cannot be erased now; the message says why."""


@dataclass(frozen=True)
class Erasure:
    pupil_id: int
    matches_kept: int


def is_erased(pupil: Pupil) -> bool:
    return pupil.user.email.endswith(f"@{ERASED_DOMAIN}")


def postcode_district(postcode: str) -> str:
    """The outward code: "L17 7AE" becomes "L17"."""
    return (postcode or "").split(" ")[0][:4]


def erasure_refusal(*, pupil: Pupil) -> str | None:
    live = Match.objects.filter(pupil=pupil, status__in=LIVE_STATUSES).select_related("opportunity").first()
    if live is not None:
        return (
            f"{pupil.user.get_full_name()} holds a live placement ({live.opportunity.title}, "
            f"{live.get_status_display().lower()}). Cancel or complete it before erasing."
        )
    return None


def pupil_erase(*, pupil: Pupil, actor: object | None = None, reason: str = "request") -> Erasure:
    """Anonymise the pupil's personal data. Raises ErasureRefused while a placement is live."""
    with transaction.atomic(), audit_context(erasure=reason):
        pupil = Pupil.objects.select_for_update().select_related("user").get(pk=pupil.pk)
        refusal = erasure_refusal(pupil=pupil)
        if refusal:
            raise ErasureRefused(refusal)
        user = pupil.user
        old_email = user.email
        keys = [event_key(c) for c in MatchStatusChange.objects.filter(match__pupil=pupil)]
        keys += found_event_keys(pupil=pupil)
        user.first_name, user.last_name = ERASED_NAME, ""
        user.email = f"pupil-{pupil.pk}@{ERASED_DOMAIN}"
        user.is_active = False
        user.set_unusable_password()
        user.save()
        AuthToken.objects.filter(user=user).delete()
        pupil.date_of_birth = dt.date(pupil.date_of_birth.year, 1, 1)
        pupil.postcode = postcode_district(pupil.postcode)
        pupil.easting = round(pupil.easting / COARSE_GRID_METRES) * COARSE_GRID_METRES
        pupil.northing = round(pupil.northing / COARSE_GRID_METRES) * COARSE_GRID_METRES
        pupil.access_needs = ""
        pupil.upn = ""
        pupil.save()
        ConsentRecord.objects.filter(pupil=pupil).update(parent_carer_name="")
        MatchStatusChange.objects.filter(match__pupil=pupil).update(note="")
        PlacementFeedback.objects.filter(match__pupil=pupil).update(comment="")
        _erase_proposals(pupil)
        NotificationSent.objects.filter(recipient=old_email).delete()
        NotificationSent.objects.filter(event_key__in=keys).update(subject="")
        _scrub_audit_snapshots(pupil)
        if actor is not None:
            pupil_record_view_record(pupil_id=pupil.pk, viewer=actor, place="erasure")
        return Erasure(pupil_id=pupil.pk, matches_kept=Match.objects.filter(pupil=pupil).count())


def _erase_proposals(pupil: Pupil) -> None:
    """An open proposal is withdrawn (its employer link stops working); the free text the pupil
    wrote, and the school wrote about the pupil, is cleared from every proposal, and so are the
    employer contact's details: kept only to reach them about this pupil's placement."""
    proposals = Proposal.objects.filter(pupil=pupil)
    now = timezone.now()
    EmployerLink.objects.filter(proposal__in=proposals, used_at=None, revoked_at=None).update(revoked_at=now)
    proposals.filter(status__in=OPEN_STATUSES).update(status=ProposalStatus.WITHDRAWN)
    proposals.update(**ERASED_PROPOSAL_FIELDS)
    proposals.exclude(refusal_reason="").update(refusal_reason=ERASED_REASON)
    # The records of emails to the employer's contact name their address.
    ids = list(proposals.values_list("pk", flat=True))
    to_contact = [key(pk) for pk in ids for key in (link_key, outcome_key)]
    NotificationSent.objects.filter(event_key__in=to_contact).delete()


def _scrub_audit_snapshots(pupil: Pupil) -> None:
    """Put the anonymised values into every earlier snapshot of the pupil, account and consent."""
    if connection.vendor != "postgresql":
        return
    from django.apps import apps

    user, consent_ids = (
        pupil.user,
        list(ConsentRecord.objects.filter(pupil=pupil).values_list("pk", flat=True)),
    )
    with pgtrigger.ignore(*AUDIT_SNAPSHOTS):
        apps.get_model("accounts", "UserEvent").objects.filter(pgh_obj_id=user.pk).update(
            first_name=user.first_name, last_name=user.last_name, email=user.email
        )
        apps.get_model("schools", "PupilEvent").objects.filter(pgh_obj_id=pupil.pk).update(
            date_of_birth=pupil.date_of_birth,
            postcode=pupil.postcode,
            easting=pupil.easting,
            northing=pupil.northing,
            access_needs="",
            upn="",
        )
        apps.get_model("schools", "ConsentRecordEvent").objects.filter(pgh_obj_id__in=consent_ids).update(
            parent_carer_name=""
        )
        proposals = apps.get_model("selffound", "ProposalEvent").objects.filter(pupil_id=pupil.pk)
        proposals.update(**ERASED_PROPOSAL_FIELDS)
        proposals.exclude(refusal_reason="").update(refusal_reason=ERASED_REASON)
