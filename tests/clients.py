"""Test clients signed in as a user, for page tests."""

from __future__ import annotations

from django.test import Client

from mobility.accounts.models import User


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
