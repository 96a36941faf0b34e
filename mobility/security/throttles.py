"""DRF's throttles, reading their rates when used rather than when imported, so settings can change
them; and the same counters for public web forms (sign-up)."""

from __future__ import annotations

import math
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from mobility.security.lockout import client_address


def _rate(scope: str | None) -> str | None:
    rate = api_settings.DEFAULT_THROTTLE_RATES.get(scope or "")
    return None if rate is None else str(rate)


class AnonThrottle(AnonRateThrottle):
    def get_rate(self) -> str | None:
        return _rate(self.scope)


class UserThrottle(UserRateThrottle):
    def get_rate(self) -> str | None:
        return _rate(self.scope)


class AddressThrottle(SimpleRateThrottle):
    """Requests per client address to one web form (its ``scope`` in DRF's throttle rates),
    counted in the cache as the API's throttles are."""

    def __init__(self, scope: str) -> None:
        self.scope = scope
        super().__init__()

    def get_rate(self) -> str | None:
        return _rate(self.scope)

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}


def web_throttle(request: HttpRequest, scope: str) -> HttpResponse | None:
    """None while the address is under the form's rate; else a 429 page with ``Retry-After``."""
    throttle = AddressThrottle(scope)
    if throttle.allow_request(request, None):  # type: ignore[arg-type]  # only the request is read
        return None
    seconds = math.ceil(throttle.wait() or 60)
    minutes = max(1, math.ceil(seconds / 60))
    response = render(request, "accounts/throttled.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(seconds)
    return response
