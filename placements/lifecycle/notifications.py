"""Emails about match events: who hears of what, and sending each at most once.

Subject lines carry no pupil data beyond a first name; bodies add the opportunity
and its dates, never a date of birth, home postcode or disadvantage flag.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from employers.models import EmployerMember, Site
from placements.models import Match, MatchStatus, MatchStatusChange
from schools.models import CareersAdviser, SchoolStaff

from .models import ChangeRequest, NotificationSent

PUPIL, EMPLOYER, ADVISERS, SCHOOL = "pupil", "employer", "advisers", "school"
PLACEMENT_CHANGED = "placement_changed"
SELF_FOUND = "self_found"
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
        SCHOOL: "{first_name} accepted {title}: consent needed",
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
    if change.reason == PLACEMENT_CHANGED:
        return []  # the change request's own message tells the pupil and school (see below)
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
    audiences = AUDIENCES.get(change.to_status, {})
    if change.reason == SELF_FOUND and change.to_status == S.PROPOSED:
        audiences = {ADVISERS: "{first_name} found a placement the school has checked: {title}"}
    for audience, subject in audiences.items():
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


def _describe(name: str, value: object) -> str:
    labels = {
        "starts_on": "first day",
        "ends_on": "last day",
        "site": "place",
        "daily_hours": "hours a day",
        "minimum_age": "youngest age",
        "mode": "how it runs",
    }
    if name == "site" and isinstance(value, int):
        site = Site.objects.filter(pk=value).first()
        value = f"{site.name}, {site.address}" if site else value
    return f"{labels.get(name, name)}: {value}"


def notification_send_for_change_request(*, request_id: int) -> int:
    """Tell each pupil holding the changed placement, and their school, once each."""
    request = ChangeRequest.objects.select_related("opportunity__employer").get(pk=request_id)
    opportunity = request.opportunity
    changes = "\n".join(_describe(name, value) for name, value in request.proposed.items())
    key, sent = f"placement-change:{request.pk}", 0
    matches = Match.objects.filter(
        opportunity=opportunity,
        status__in=[S.OFFERED, S.EMPLOYER_CONFIRMED, S.ACCEPTED, S.CONFIRMED],
    ).select_related("pupil__user")
    for match in matches:
        body = (
            f"{opportunity.title} with {opportunity.employer.name} has changed.\n{changes}\n\n"
            "Please sign in to Mobility and accept the placement again, or decline it to free the place."
        )
        for audience, subject in (
            (PUPIL, f"Your placement has changed: {opportunity.title}"),
            (SCHOOL, f"{match.pupil.user.first_name}'s placement has changed: {opportunity.title}"),
        ):
            for email in _emails(match, audience):
                with transaction.atomic():
                    _, created = NotificationSent.objects.get_or_create(
                        event_key=key, recipient=email, defaults={"subject": subject[:200]}
                    )
                    if not created:
                        continue
                    send_mail(subject[:200], body, settings.DEFAULT_FROM_EMAIL, [email])
                sent += 1
    return sent
