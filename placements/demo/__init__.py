"""The Liverpool City Region demo: reference data plus invented schools, pupils and employers.

    from placements.demo import build_demo, reset_demo
    summary = build_demo(size="small", seed=2027)

Every postcode is a real one inside the region, drawn from the ONS directory; people, schools
and employers are made up.
"""

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
