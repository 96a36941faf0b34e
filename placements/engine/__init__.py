"""Matching engine: pupils to work-experience opportunities.

Pure Python + numpy, no Django. Build a ``MatchInput`` (columnar tables, or
``build_input`` from rows), call ``run_match`` and write the ``MatchResult``.
"""

from .eligibility import Reason
from .inputs import (
    MODE_CODES,
    NO_DATE,
    MatchInput,
    OpportunityTable,
    PupilTable,
    day,
)
from .policy import DEFAULT_TIERS, FLAG_NAMES, Policy, TravelModel
from .preferences import (
    SOURCE_APPROVED,
    SOURCE_NONE,
    SOURCE_OWN,
    SOURCE_SUGGESTED,
    SOURCE_VACANCY,
)
from .result import MatchResult, PupilOutcome, RunReport, TierStat
from .rows import OpportunityRow, PupilRow, build_input
from .run import STAGES, run_match
from .travel import estimate_travel_minutes

__all__ = [
    "DEFAULT_TIERS",
    "FLAG_NAMES",
    "MODE_CODES",
    "NO_DATE",
    "SOURCE_APPROVED",
    "SOURCE_NONE",
    "SOURCE_OWN",
    "SOURCE_SUGGESTED",
    "SOURCE_VACANCY",
    "STAGES",
    "MatchInput",
    "MatchResult",
    "OpportunityRow",
    "OpportunityTable",
    "Policy",
    "PupilOutcome",
    "PupilRow",
    "PupilTable",
    "Reason",
    "RunReport",
    "TierStat",
    "TravelModel",
    "build_input",
    "day",
    "estimate_travel_minutes",
    "run_match",
]
