"""The link from a record to the person who made, changed or decided it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from mobility.accounts.models import User


def optional_user(related_name: str = "+") -> models.ForeignKey[User | None, User | None]:
    """Who did it, if anyone: the record outlives the account, which then reads as no one."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name=related_name
    )


def account_of(related_name: str) -> models.OneToOneField[User, User]:
    """The account a role's record (pupil, staff member, adviser, member, lead) belongs to:
    one record an account, deleted with the account."""
    return models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name=related_name)
