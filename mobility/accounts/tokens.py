"""Single-use links sent by email: only a hash of the token is stored, and each expires.

Shared by account invitations and by any other link that lets someone in once without a
password (an employer completing a placement a pupil found).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import models
from django.utils import timezone

USED, REPLACED, EXPIRED, UNKNOWN = "used", "replaced", "expired", "unknown"


def token_digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def token_new() -> tuple[str, str]:
    """A fresh token and its digest: store the digest, send the token."""
    token = secrets.token_urlsafe(32)
    return token, token_digest(token)


class SingleUseToken(models.Model):
    """A link's hashed token, with when it was made, expires, was used or was replaced."""

    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True, help_text="Replaced by a newer invitation.")

    class Meta:
        abstract = True

    def refusal(self, now: dt.datetime) -> str | None:
        """Why the link cannot be used now (``USED``, ``REPLACED``, ``EXPIRED``), or None."""
        if self.used_at is not None:
            return USED
        if self.revoked_at is not None:
            return REPLACED
        if self.expires_at <= now:
            return EXPIRED
        return None

    def is_outstanding(self, now: Any = None) -> bool:
        return self.refusal(now or timezone.now()) is None
