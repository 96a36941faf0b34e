"""Argon2id with OWASP's costs; older hashes are upgraded when their owner signs in."""

from __future__ import annotations

import argon2
import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher, make_password
from django.test import Client, override_settings

from mobility.accounts.models import Role, User

pytestmark = pytest.mark.django_db

PRODUCTION_HASHERS = [
    "mobility.security.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]


@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_new_passwords_are_argon2id_with_owasp_costs() -> None:
    encoded = make_password("a long enough password")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert identify_hasher(encoded).verify("a long enough password", encoded)


@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_a_pbkdf2_hash_is_upgraded_at_sign_in() -> None:
    user = User.objects.create_user("old@school.test", None, first_name="Olu", role=Role.PUPIL)
    user.password = make_password("a long enough password", hasher="pbkdf2_sha256")
    user.save()
    response = Client().post(
        "/accounts/login/", {"email": "old@school.test", "password": "a long enough password"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_an_argon2_hash_with_other_costs_is_rehashed_at_sign_in() -> None:
    user = User.objects.create_user("tuned@school.test", None, first_name="Tam", role=Role.PUPIL)
    cheap = argon2.PasswordHasher(time_cost=1, memory_cost=8192, parallelism=4)
    user.password = "argon2" + cheap.hash("a long enough password")
    user.save()
    Client().post("/accounts/login/", {"email": "tuned@school.test", "password": "a long enough password"})
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_production_list_starts_with_argon2id() -> None:
    # The test settings use a fast hasher; the base settings must not.
    from mobility.settings import base

    assert base.PASSWORD_HASHERS[0] == "mobility.security.hashers.Argon2idPasswordHasher"
    assert settings.ARGON2_MEMORY_KIB >= 19456 and settings.ARGON2_TIME_COST >= 2
