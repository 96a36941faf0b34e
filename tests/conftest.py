"""Generic fixtures for every test folder. Shared factories are in tests/factories.py."""

from __future__ import annotations

import pytest

from demo.reference import ensure_reference_data
from mobility.geography.models import Region


@pytest.fixture
def lcr_region(db: None) -> Region:
    """Liverpool City Region with its six local authorities and the sectors (growth ones marked)."""
    return ensure_reference_data()
