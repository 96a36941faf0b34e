"""The privacy notice: open to everyone, signed in or not."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def privacy_notice(request: HttpRequest) -> HttpResponse:
    keep = settings.MOBILITY
    return render(
        request,
        "privacy.html",
        {
            "pupil_days": keep["PUPIL_RETENTION"].days,
            "token_hours": int(settings.REST_KNOX["TOKEN_TTL"].total_seconds() // 3600),
            "invitation_days": keep["INVITATION_RETENTION"].days,
            "notification_days": keep["NOTIFICATION_RETENTION"].days,
        },
    )
