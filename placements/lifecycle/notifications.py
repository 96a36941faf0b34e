"""Emails about match events: who hears of what, and sending each at most once.

Subject lines carry no pupil data beyond a first name; bodies add the opportunity
and its dates, never a date of birth, home postcode or disadvantage flag.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from employers.models import EmployerMember
from placements.models import Match, MatchStatus, MatchStatusChange
from schools.models import CareersAdviser, SchoolStaff

from .models import NotificationSent

PUPIL, EMPLOYER, ADVISERS, SCHOOL = "pupil", "employer", "advisers", "school"
S = MatchStatus

# Who hears of each new status, and the headline each audience gets.
AUDIENCES: dict[str, dict[str, str]] = {
    S.PROPOSED: {ADVISERS: "{first_name}: a freed place to review at {title}"},
    S.OFFERED: {
        PUPIL: "You have been offered a placement: {title}",
        EMPLOYER: "{first_name} has been offered a placement with you: {title}",
    },
    S.EMPLOYER_CONFIRMED: {
        PUPIL: "{employer} has said yes: please accept or decline {title}",
        ADVISERS: "{first_name}: {employer} confirmed {title}",
    },
    S.EMPLOYER_DECLINED: {
        PUPIL: "{employer} cannot take you this time: {title}",
        ADVISERS: "{first_name}: {employer} declined {title}",
    },
    S.ACCEPTED: {
        EMPLOYER: "{first_name} accepted {title}",
        ADVISERS: "{first_name} accepted {title}",
        SCHOOL: "{first_name} accepted {title}: parental consent needed",
    },
    S.PUPIL_DECLINED: {
        EMPLOYER: "{first_name} declined {title}",
        ADVISERS: "{first_name} declined {title}",
    },
    S.LAPSED: {
        PUPIL: "Your offer has lapsed: {title}",
        EMPLOYER: "The offer to {first_name} has lapsed: {title}",
        ADVISERS: "{first_name}: offer lapsed for {title}",
    },
    S.CONFIRMED: {
        PUPIL: "Your placement is confirmed: {title}",
        EMPLOYER: "{first_name}'s placement is confirmed: {title}",
        ADVISERS: "{first_name}'s placement is confirmed: {title}",
        SCHOOL: "{first_name}'s placement is confirmed: {title}",
    },
    S.COMPLETED: {
        PUPIL: "Well done on completing {title}",
        ADVISERS: "{first_name} completed {title}",
        SCHOOL: "{first_name} completed {title}",
    },
    S.CANCELLED: {
        PUPIL: "Your placement has been cancelled: {title}",
        EMPLOYER: "{first_name}'s placement has been cancelled: {title}",
        ADVISERS: "{first_name}'s placement has been cancelled: {title}",
        SCHOOL: "{first_name}'s placement has been cancelled: {title}",
    },
}


@dataclass(frozen=True)
class Message:
    recipient: str
    subject: str
    body: str


def _emails(match: Match, audience: str) -> list[str]:
    if audience == PUPIL:
        users = [match.pupil.user]
    elif audience == EMPLOYER:
        users = [m.user for m in EmployerMember.objects.filter(employer_id=match.opportunity.employer_id)]
    elif audience == ADVISERS:
        users = [a.user for a in CareersAdviser.objects.filter(schools=match.pupil.school_id)]
    else:
        users = [s.user for s in SchoolStaff.objects.filter(school_id=match.pupil.school_id)]
    return sorted({u.email for u in users if u.is_active and u.email})


def messages_for_change(change: MatchStatusChange) -> list[Message]:
    match = change.match
    opportunity = match.opportunity
    words = {
        "first_name": match.pupil.user.first_name,
        "title": opportunity.title,
        "employer": opportunity.employer.name,
    }
    body = (
        f"{opportunity.title} with {opportunity.employer.name}, "
        f"{opportunity.starts_on:%-d %B} to {opportunity.ends_on:%-d %B %Y}.\n"
        f"Status: {MatchStatus(change.to_status).label}.\n\n"
        "Sign in to Mobility to see the details and what to do next."
    )
    messages: dict[str, Message] = {}
    for audience, subject in AUDIENCES.get(change.to_status, {}).items():
        for email in _emails(match, audience):
            messages.setdefault(email, Message(email, subject.format(**words)[:200], body))
    return list(messages.values())


def event_key(change: MatchStatusChange) -> str:
    return f"match-status-change:{change.pk}"


def notification_send_for_change(*, change_id: int) -> int:
    """Email everyone the change concerns, once each; returns how many were sent now."""
    change = MatchStatusChange.objects.select_related(
        "match__pupil__user", "match__opportunity__employer"
    ).get(pk=change_id)
    key, sent = event_key(change), 0
    for message in messages_for_change(change):
        with transaction.atomic():
            # The row is committed with the send: a failed send is retried, a repeat is skipped.
            _, created = NotificationSent.objects.get_or_create(
                event_key=key, recipient=message.recipient, defaults={"subject": message.subject}
            )
            if not created:
                continue
            send_mail(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.recipient])
        sent += 1
    return sent
