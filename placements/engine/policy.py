"""Match-run policy: which algorithm, who goes first, and the travel model."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from numpy.typing import NDArray

from ._types import F64
from .timetable.override import TimetableMinutes

# The pupil model's disadvantage flags, then ``young_person``: registered by a youth service
# (not in education, employment or training, or a care leaver) rather than a school.
FLAG_NAMES = (
    "care_experienced",
    "fsm_or_pupil_premium",
    "send",
    "young_carer",
    "at_risk_of_neet",
    "young_person",
)

# Words an adviser can read out.
FLAG_WORDS = {
    "care_experienced": "care-experienced",
    "fsm_or_pupil_premium": "free school meals or pupil premium",
    "send": "SEND",
    "young_carer": "young carer",
    "at_risk_of_neet": "at risk of NEET",
    "young_person": "young person outside school",
}

DEFAULT_TIERS: tuple[tuple[str, ...], ...] = (
    ("care_experienced",),
    ("fsm_or_pupil_premium",),
    ("send", "young_carer", "at_risk_of_neet"),
)
# Where young people outside school come by default: a tier of their own at this position
# (0 = before everyone). Deployments choose it in settings (``YOUNG_PERSON_PRIORITY_TIER``).
YOUNG_PERSON_TIER_DEFAULT = 1


def tiers_with_young_people(
    tiers: tuple[tuple[str, ...], ...] = DEFAULT_TIERS, position: int | None = YOUNG_PERSON_TIER_DEFAULT
) -> tuple[tuple[str, ...], ...]:
    """``tiers`` with young people outside school as a tier of their own at ``position``
    (``None``: no tier of their own; they rank by their other flags)."""
    rest = tuple(t for t in (tuple(f for f in tier if f != "young_person") for tier in tiers) if t)
    if position is None:
        return rest
    at = max(0, min(position, len(rest)))
    return (*rest[:at], ("young_person",), *rest[at:])


PolicyName = Literal["stable", "max-coverage"]
SecondaryKey = Literal["sector_fit", "travel_band", "none"]


@dataclass(frozen=True)
class TravelModel:
    """Door-to-door minutes estimated from straight-line grid distance.

    Route length = straight line x ``detour_factor``. Pupils walk when the
    straight line is at most ``walk_max_km``; otherwise they take the bus:
    ``bus_access_minutes`` (walking to and from stops) + ``bus_wait_minutes``
    + route length at ``bus_speed_km_h`` (an average including stops).
    Defaults are deliberately cautious urban figures; tune per region.
    """

    walk_speed_km_h: float = 4.5
    walk_max_km: float = 1.6
    detour_factor: float = 1.3
    bus_speed_km_h: float = 16.0
    bus_wait_minutes: float = 8.0
    bus_access_minutes: float = 8.0
    # Timetable journeys for a run's pairs, used instead of the estimate where they exist.
    timetable: TimetableMinutes | None = None


@dataclass(frozen=True)
class Policy:
    """Everything besides the data that decides a match run's outcome.

    ``priority_tiers``: each tier is a group of disadvantage flags; a pupil is
    in the first tier where any flag is set, else in the implicit last tier
    ("everyone else"). Opportunities order pupils by tier, then by
    ``secondary_key``, then by one seeded lottery number per pupil.

    Own applications beyond ``max_list_length`` are ignored. Pupils with fewer
    than ``min_list_length`` eligible choices get suggestions appended up to
    that length; unmatched pupils get up to ``vacancy_suggestions`` more in
    the vacancy round.
    """

    name: PolicyName = "stable"
    priority_tiers: tuple[tuple[str, ...], ...] = DEFAULT_TIERS
    secondary_key: SecondaryKey = "sector_fit"
    travel: TravelModel = field(default_factory=TravelModel)
    travel_band_minutes: int = 15
    max_list_length: int = 20
    min_list_length: int = 5
    vacancy_round: bool = True
    vacancy_suggestions: int = 5
    # Suggestion score = sector fit + growth sector - minutes / travel_scale.
    sector_weight: float = 2.0
    growth_weight: float = 1.0
    travel_scale_minutes: float = 30.0
    # Suggestions are the best-scored of at least this many eligible nearby
    # opportunities per window (grid rings searched nearest first).
    suggestion_pool: int = 20
    # Virtual opportunities suggested per interest sector (keeps work bounded).
    virtual_per_sector: int = 50
    grid_cell_m: int = 5000
    # Also solve the other policy's counterpart to report the coverage gap.
    compare_coverage: bool = False
    seed: int = 0

    def __post_init__(self) -> None:
        if self.name not in ("stable", "max-coverage"):
            raise ValueError(f"unknown policy {self.name!r}")
        if self.secondary_key not in ("sector_fit", "travel_band", "none"):
            raise ValueError(f"unknown secondary key {self.secondary_key!r}")
        for tier in self.priority_tiers:
            for flag in tier:
                if flag not in FLAG_NAMES:
                    raise ValueError(f"unknown disadvantage flag {flag!r}")
        if len(self.priority_tiers) > 14:
            raise ValueError("at most 14 priority tiers")
        if self.max_list_length < 1 or self.min_list_length < 0 or self.vacancy_suggestions < 0:
            raise ValueError("list lengths must be positive")
        if self.travel_band_minutes < 1 or self.grid_cell_m < 100:
            raise ValueError("travel band and grid cell must be positive")

    def suggestion_score(self, fit: NDArray[Any], growth: NDArray[Any], minutes: NDArray[Any]) -> F64:
        """How well a suggestion suits a pupil: sector fit + growth sector - minutes / travel scale."""
        score: F64 = (
            self.sector_weight * fit + self.growth_weight * growth
        ) - minutes / self.travel_scale_minutes
        return score

    def tier_words(self, tier: int) -> str:
        """Adviser-readable name of a tier, e.g. 'care-experienced'."""
        if tier >= len(self.priority_tiers):
            return "no priority group"
        return " / ".join(FLAG_WORDS[f] for f in self.priority_tiers[tier])
