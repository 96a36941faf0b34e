"""Rules that hold for everyone: the lifecycle world plus logged-in web and API clients."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from rest_framework.test import APIClient

from mobility.accounts.models import User
from tests.lifecycle.conftest import World, world  # noqa: F401  (the shared fixture)
from tests.twofactor import verified_login

WebAs = Callable[[User], Client]
ApiAs = Callable[[User], APIClient]


@pytest.fixture
def web_as() -> WebAs:
    def login(user: User) -> Client:
        client = Client()
        verified_login(client, user)
        return client

    return login


@pytest.fixture
def api_as() -> ApiAs:
    def login(user: User) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return login


__all__ = ["ApiAs", "WebAs", "World"]
