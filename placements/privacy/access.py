"""Everything the platform holds about one pupil (a subject access request), as plain data."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from knox.models import AuthToken

from mobility.audit.selectors import change_events, pupil_record_views
from placements.lifecycle.models import NotificationSent, PlacementFeedback
from placements.lifecycle.notifications import event_key
from placements.models import Application, Match, MatchStatusChange, UnplacedPupil
from schools.models import Pupil
from schools.selectors import consent_history

from .found import found_placements


def _profile(pupil: Pupil) -> dict[str, Any]:
    user = pupil.user
    return {
        "id": pupil.pk,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "account_created": user.date_joined,
        "last_signed_in": user.last_login,
        "school": pupil.school.name,
        "cohort": pupil.get_cohort_display(),
        "year_group": pupil.year_group,
        "date_of_birth": pupil.date_of_birth,
        "unique_pupil_number": pupil.upn,
        "home_postcode": pupil.postcode,
        "local_authority_code": pupil.local_authority_code,
        "sector_interests": [s.name for s in pupil.sector_interests.all()],
        "needs_step_free_access": pupil.needs_step_free_access,
        "access_needs": pupil.access_needs,
        "free_school_meals_or_pupil_premium": pupil.fsm_or_pupil_premium,
        "care_experienced": pupil.care_experienced,
        "send": pupil.send,
        "young_carer": pupil.young_carer,
        "at_risk_of_neet": pupil.at_risk_of_neet,
        "max_travel_minutes": pupil.max_travel_minutes,
        "parental_consent": pupil.get_parental_consent_display(),
        "has_api_token": AuthToken.objects.filter(user=user).exists(),
    }


def _matches(pupil: Pupil) -> list[dict[str, Any]]:
    rows = []
    matches = Match.objects.filter(pupil=pupil).select_related("opportunity__employer", "run").order_by("pk")
    changes: dict[int, list[MatchStatusChange]] = {}
    for change in MatchStatusChange.objects.filter(match__pupil=pupil).select_related("changed_by"):
        changes.setdefault(change.match_id, []).append(change)
    feedback: dict[int, list[PlacementFeedback]] = {}
    for item in PlacementFeedback.objects.filter(match__pupil=pupil):
        feedback.setdefault(item.match_id, []).append(item)
    for match in matches:
        rows.append(
            {
                "id": match.pk,
                "run": match.run_id,
                "opportunity": match.opportunity.title,
                "employer": match.opportunity.employer.name,
                "status": match.get_status_display(),
                "your_rank": match.rank,
                "suggested": match.is_suggestion,
                "travel_minutes": match.travel_minutes,
                "priority_tier": match.priority_tier,
                "explanation": match.explanation,
                "created_at": match.created_at,
                "status_history": [
                    {
                        "from": c.from_status,
                        "to": c.to_status,
                        "when": c.changed_at,
                        "by": c.changed_by.get_full_name() if c.changed_by else "",
                        "reason": c.reason,
                        "note": c.note,
                    }
                    for c in changes.get(match.pk, [])
                ],
                "feedback": [
                    {
                        "side": f.side,
                        "rating": f.rating,
                        "comment": f.comment,
                        "days_attended": f.days_attended,
                        "created_at": f.created_at,
                    }
                    for f in feedback.get(match.pk, [])
                ],
            }
        )
    return rows


def _notifications(pupil: Pupil) -> list[dict[str, Any]]:
    keys = [event_key(c) for c in MatchStatusChange.objects.filter(match__pupil=pupil)]
    sent = NotificationSent.objects.filter(event_key__in=keys) | NotificationSent.objects.filter(
        recipient=pupil.user.email
    )
    return [
        {"to": n.recipient, "subject": n.subject, "sent_at": n.sent_at, "event": n.event_key}
        for n in sent.distinct().order_by("sent_at", "pk")
    ]


def pupil_record(*, pupil: Pupil) -> dict[str, Any]:
    """Profile, applications, matches with their history, explanations, placements the pupil found,
    notifications, consent, audit."""
    pupil = Pupil.objects.select_related("user", "school").get(pk=pupil.pk)
    consent = list(consent_history(pupil=pupil))
    return {
        "profile": _profile(pupil),
        "applications": [
            {
                "opportunity": a.opportunity.title,
                "employer": a.opportunity.employer.name,
                "rank": a.rank,
                "status": a.get_status_display(),
                "created_at": a.created_at,
                "updated_at": a.updated_at,
            }
            for a in Application.objects.filter(pupil=pupil).select_related("opportunity__employer")
        ],
        "matches": _matches(pupil),
        "placements_found": found_placements(pupil=pupil),
        "unplaced_in_runs": [
            {"run": u.run_id, "reason": u.reason, "explanation": u.explanation}
            for u in UnplacedPupil.objects.filter(pupil=pupil).order_by("run_id")
        ],
        "notifications_sent": _notifications(pupil),
        "consent_history": [
            {
                "status": c.get_status_display(),
                "given_by": c.get_given_by_display(),
                "method": c.get_method_display(),
                "parent_or_carer": c.parent_carer_name,
                "recorded_by": c.recorded_by.get_full_name() if c.recorded_by else "",
                "recorded_at": c.recorded_at,
            }
            for c in consent
        ],
        "record_views": [
            {"who": v.viewer_name, "role": v.viewer_role, "where": v.place, "when": v.viewed_at}
            for v in pupil_record_views(pupil_id=pupil.pk)
        ],
        "changes": change_events(objects=[pupil, pupil.user, *consent]),
    }


def pupil_record_json(*, pupil: Pupil) -> str:
    return json.dumps(pupil_record(pupil=pupil), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
