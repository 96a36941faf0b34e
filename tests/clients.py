"""Test clients signed in as a user, for page tests (with a verified second factor where the
role needs one, as ``tests.twofactor`` gives it)."""

from __future__ import annotations

from django.test import Client

from mobility.accounts.models import User
from tests.twofactor import verified_login


def signed_in(user: User) -> Client:
    client = Client()
    verified_login(client, user)
    return client
