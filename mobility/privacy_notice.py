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
            "token_days": keep["API_TOKEN_MAX_AGE"].days,
            "notification_days": keep["NOTIFICATION_RETENTION"].days,
        },
    )
