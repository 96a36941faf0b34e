"""Generic fixtures for every test folder. Shared factories are in tests/factories.py."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.management import call_command
from hypothesis import HealthCheck, settings

from demo.reference import ensure_reference_data
from mobility.geography.models import Region
from tests.factories import NOW, TODAY

# Property tests: the same examples on every run ("ci", the default), so a failure
# is reproducible and a planted bug fails every time; "explore" draws fresh examples
# and keeps failures in .hypothesis/ (HYPOTHESIS_PROFILE=explore). A counterexample
# found while exploring is added to its test as an explicit @example.
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=100,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "explore", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session", autouse=True)
def frozen_clock() -> Iterator[time_machine.travel]:
    """One clock for the whole session: it starts at ``NOW`` on ``TODAY`` and runs on from there,
    for module worlds, tests and the live server thread alike. A test may travel further."""
    traveller = time_machine.travel(NOW, tick=True)
    traveller.start()
    yield traveller
    traveller.stop()


@pytest.fixture(autouse=True)
def shared_clock_with_workers(
    request: pytest.FixtureRequest, frozen_clock: time_machine.travel
) -> Iterator[None]:
    """A Celery worker is another process on the real clock; fault tests compare times across the
    two (the outbox's retry times, a run's stall), so there the test runs on the real clock too."""
    if request.node.get_closest_marker("faults") is None:
        yield
        return
    frozen_clock.stop()
    yield
    frozen_clock.start()


@pytest.fixture
def today() -> dt.date:
    return TODAY


@pytest.fixture(scope="session", autouse=True)
def collected_static(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Static files collected once for the session: WhiteNoise then finds STATIC_ROOT instead of
    warning on every request, and pages link to files that exist."""
    root = tmp_path_factory.mktemp("staticfiles")
    django_settings.STATIC_ROOT = str(root)
    call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def lcr_region(db: None) -> Region:
    """Liverpool City Region with its six local authorities and the sectors (growth ones marked)."""
    return ensure_reference_data()
