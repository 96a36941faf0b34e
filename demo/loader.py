"""What the demo offers its callers (the load_demo command, scripts and tests)."""

from .accounts import DEMO_LOGINS, DEMO_PASSWORD
from .builder import DEFAULT_SEED, DemoAlreadyLoaded, DemoSummary, build_demo, demo_counts
from .cleanup import demo_exists, reset_demo
from .digest import demo_digest
from .plan import SIZES
from .reference import ensure_reference_data

__all__ = [
    "DEFAULT_SEED",
    "DEMO_LOGINS",
    "DEMO_PASSWORD",
    "SIZES",
    "DemoAlreadyLoaded",
    "DemoSummary",
    "build_demo",
    "demo_counts",
    "demo_digest",
    "demo_exists",
    "ensure_reference_data",
    "reset_demo",
]
