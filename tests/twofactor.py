"""Signing tests in with a second factor, the honest way: a confirmed authenticator app for the
user, real TOTP codes computed from its key, and a session marked verified as django_otp.login
marks it. Nothing in the site's code is bypassed."""

from __future__ import annotations

import time
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from mobility.accounts import twofactor


def app_for(user: Any) -> TOTPDevice:
    """The user's confirmed authenticator app, set up now if they have none."""
    device = twofactor.app_device(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return device


def code_for(device: TOTPDevice) -> str:
    """A code the device accepts now: the current one, or the next if the current one was used
    (the app shows it a few seconds later; the device allows one step of drift)."""
    device.refresh_from_db()
    now = time.time()
    steps_ahead = 0
    while True:
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = now + steps_ahead * device.step
        if totp.t() > device.last_t:
            return f"{totp.token():0{device.digits}d}"
        steps_ahead += 1
        assert steps_ahead <= device.tolerance, "the device's codes for now are used up"


def verify_session(client: Client, user: Any) -> TOTPDevice:
    """Mark the client's session verified by the user's app (what django_otp.login stores)."""
    device = app_for(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def verified_login(client: Client, user: Any) -> Client:
    """``force_login`` plus, for an account that needs one, a verified second factor."""
    client.force_login(user)
    if twofactor.needed(user):
        verify_session(client, user)
    return client


def password_login(client: Client, user: Any, password: str) -> bool:
    """``client.login`` with a password plus, where needed, a verified second factor."""
    signed_in = client.login(email=user.email, password=password)
    if signed_in and twofactor.needed(user):
        verify_session(client, user)
    return signed_in


def sign_in(client: Client, user: Any, password: str) -> Any:
    """Through the pages, as a person does: the password, then (where needed) a real code from
    the user's app. Returns the last response."""
    response = client.post("/accounts/login/", {"email": user.email, "password": password})
    if twofactor.needed(user):
        response = client.post("/accounts/two-factor/verify/", {"code": code_for(app_for(user))})
    return response


def token_request(user: Any, password: str) -> dict[str, str]:
    """The body that asks the API for a token, with a code from the app where the account needs one."""
    body = {"email": user.email, "password": password}
    if twofactor.needed(user):
        body["otp_code"] = code_for(app_for(user))
    return body
