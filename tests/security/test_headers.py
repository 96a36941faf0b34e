"""Every response carries the content security and permissions policies; HTTPS is enforced."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def test_pages_send_a_strict_content_security_policy_and_permissions_policy() -> None:
    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip()
    )
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_script_or_style() -> None:
    html = Client().get("/accounts/login/").text
    assert "<script>" not in html
    assert " style=" not in html
    assert 'name="htmx-config"' in html and '"includeIndicatorStyles": false' in html


def test_https_gets_strict_transport_security() -> None:
    response = Client().get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@override_settings(SECURE_SSL_REDIRECT=True)
def test_plain_http_is_redirected_except_the_health_check() -> None:
    response = Client().get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"
    # The reverse proxy says the client used HTTPS: no redirect.
    assert Client().get("/accounts/login/", headers={"X-Forwarded-Proto": "https"}).status_code == 200
    assert Client().get("/health/").status_code == 200


@override_settings(SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True)
def test_cookies_are_secure_and_http_only() -> None:
    response = Client().get("/accounts/login/", secure=True)
    assert response.cookies["csrftoken"]["secure"]
