"""Argon2id with the cost set in settings, so it can be tuned without a code change."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Django's Argon2 hasher (argon2id); hashes made with other costs are upgraded at sign-in."""

    def __init__(self) -> None:
        self.time_cost = int(settings.ARGON2_TIME_COST)
        self.memory_cost = int(settings.ARGON2_MEMORY_KIB)
        self.parallelism = int(settings.ARGON2_PARALLELISM)
