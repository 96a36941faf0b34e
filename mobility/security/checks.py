"""System checks for settings that must not be turned off silently in production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.security)
def two_factor_required(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.TWO_FACTOR_REQUIRED or settings.DEBUG:
        return []
    return [
        Warning(
            "TWO_FACTOR_REQUIRED is off with DEBUG off: careers advisers, school staff and admins "
            "can sign in with a password alone.",
            hint="Unset TWO_FACTOR_REQUIRED (it defaults to on). Only a local demo turns it off.",
            id="mobility.W001",
        )
    ]
