"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server."""

from __future__ import annotations

import json
import os
import time
from base64 import b32decode
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from mobility.accounts.models import User
from tests.twofactor import app_for, code_for
from tests.web.world import PASSWORD, WebWorld, build_world

# Playwright's sync API runs an event loop in this thread; Django's ORM is still safe to use here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
BUILT_CSS = REPO / "mobility" / "static" / "dist" / "mobility.css"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
NEW_PASSWORD = "lantern-quarry-otter-52"  # strong enough for every password check
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the session. Missing pieces fail the test: CI installs them."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}. Install it with `apt-get install -y chromium` "
            "(scripts/test does this), or set CHROMIUM_PATH. Browser tests never download a browser."
        )
    if not AXE.exists() or not BUILT_CSS.exists():
        pytest.fail("The front end is not built: run `npm ci && npm run build` (scripts/test does this).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any, live_server: Any) -> Iterator[Any]:
    context = chromium.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1200, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def web_world(transactional_db: None) -> WebWorld:
    return build_world()


def log_in(page: Any, email: str, password: str = PASSWORD) -> list[str]:
    """Sign in as a person does, through any second-factor step the account meets: on the set-up
    page the code is computed from the setup key the page shows, on the code page from the
    account's app. Returns the second-factor steps passed ("set up", "code"), in order."""
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    steps: list[str] = []
    if "/accounts/two-factor/set-up/" in page.url:
        steps.append("set up")
        enrol_from_page(page)
        page.get_by_role("link", name="I have kept my codes: continue").click()
        page.wait_for_load_state()
    elif "/accounts/two-factor/verify/" in page.url:
        steps.append("code")
        app = app_for(User.objects.get(email=email))
        page.get_by_label("Security code").fill(code_for(app))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()
    return steps


def choose_password(page: Any, password: str = NEW_PASSWORD) -> None:
    """Fill in and send the form that sets a new password (activation, reset, sign-up)."""
    page.get_by_label("New password", exact=True).fill(password)
    page.get_by_label("New password confirmation").fill(password)
    page.get_by_role("button", name="Set password").click()


def code_from_key(setup_key: str, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows for a setup key typed in by hand."""
    totp = TOTP(b32decode(setup_key.replace(" ", "")))
    totp.time = time.time() + steps_ahead * 30
    return f"{totp.token():06d}"


def enrol_from_page(page: Any) -> list[str]:
    """On the set-up page: type the code for the key shown, and return the recovery codes shown."""
    setup_key = page.locator("[data-secret]").inner_text()
    page.get_by_label("Security code").fill(code_from_key(setup_key))
    page.get_by_role("button", name="Confirm and continue").click()
    page.wait_for_load_state()
    codes: list[str] = page.locator("[data-recovery-code]").all_inner_texts()
    assert codes, f"no recovery codes shown at {page.url}"
    return codes


def check_accessibility(page: Any) -> None:
    """axe-core on the page as it is now: no serious or critical violations."""
    # Evaluated rather than added as a <script>: the content security policy blocks inline script.
    page.evaluate(f"() => {{ {AXE.read_text()}\n}}")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    details = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["html"][:200] for n in v["nodes"][:5]],
        }
        for v in bad
    ]
    assert not bad, f"axe found serious or critical problems on {page.url}:\n{json.dumps(details, indent=2)}"


def fill_in(page: Any, fields: dict[str, str]) -> None:
    """Type each value into the field with that label."""
    for label, value in fields.items():
        page.get_by_label(label).fill(value)


def submit(page: Any, button: str, *, error: str = "", saved: str = "") -> None:
    """Press ``button``; the error summary then says ``error`` (the page still passes axe), or the
    success banner says ``saved``."""
    page.get_by_role("button", name=button).click()
    if error:
        expect(page.locator(".govuk-error-summary")).to_contain_text(error)
        check_accessibility(page)
    if saved:
        expect(page.locator(".govuk-notification-banner")).to_contain_text(saved)


def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def visit(page: Any, url: str) -> Any:
    """Open a page, check it loaded and passes axe."""
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url} answered {response and response.status}"
    check_accessibility(page)
    return response
