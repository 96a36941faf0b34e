"""Generic fixtures for every test folder. Shared factories are in tests/factories.py."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from demo.reference import ensure_reference_data
from mobility.geography.models import Region

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


@pytest.fixture
def lcr_region(db: None) -> Region:
    """Liverpool City Region with its six local authorities and the sectors (growth ones marked)."""
    return ensure_reference_data()
