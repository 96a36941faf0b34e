"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.world import PASSWORD, WebWorld, build_world

# Playwright's sync API runs an event loop in this thread; Django's ORM is still safe to use here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
BUILT_CSS = REPO / "mobility" / "static" / "dist" / "mobility.css"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
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


def log_in(page: Any, email: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


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
