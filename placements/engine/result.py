"""Frozen result of a match run: columnar per-pupil outcome plus the report."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np

from ._types import F32, I8, I16, I32, I64, Bools
from .eligibility import REASON_WORDS, Reason
from .preferences import SOURCE_APPROVED, SOURCE_NONE, SOURCE_OWN
from .records import SkippedRecord

# reason_detail bits: who filled the explained opportunity.
DETAIL_HIGHER_TIER = 1
DETAIL_SECONDARY = 2
DETAIL_LOTTERY = 4
DETAIL_APPROVED = 8
DETAIL_LOWER_PRIORITY = 16  # max-coverage only: seat went to a lower priority

SECONDARY_WORDS = {
    "sector_fit": "pupils in your priority group whose interests match its sector",
    "travel_band": "pupils in your priority group who live nearer",
    "none": "pupils in your priority group",
}


@dataclass(frozen=True)
class TierStat:
    group: str
    pupils: int
    placed: int
    rate: float


@dataclass(frozen=True)
class RunReport:
    policy: str
    pupils: int
    placed: int  # includes pupils whose match was approved before this run
    placed_rate: float
    approved_before: int
    by_tier: tuple[TierStat, ...]
    first_choice_rate: float  # of pupils who applied to at least one opportunity
    top3_rate: float
    median_travel_minutes: float | None  # of pupils placed in this run
    growth_sector_share: float | None  # of pupils placed in this run
    blocking_pairs: int  # against main-round lists; 0 under `stable`
    vacancy_blocking_pairs: int  # vacancy pupils outranking main-round holders
    compared_policy: str | None
    compared_placed: int | None
    max_coverage_gain: int | None  # how many more `max-coverage` places
    unmet_by_la: Mapping[str, int]  # unplaced pupils by school local authority
    unmet_by_sector: Mapping[int, int]  # unplaced pupils by sector of interest
    skipped: tuple[SkippedRecord, ...]  # records whose data the run could not use
    input_hash: str
    result_hash: str


@dataclass(frozen=True)
class PupilOutcome:
    """One pupil's outcome, ready for a service to write."""

    pupil_id: int
    opportunity_id: int | None
    rank: int | None
    own_choice: bool
    suggested: bool
    approved_before: bool
    travel_minutes: float | None
    sector_fit: bool
    priority_tier: int
    priority_group: str
    reason_code: str | None
    reason_opportunity_id: int | None
    unmatched_code: str | None
    displaced_by: tuple[int, ...]
    reason_text: str


@dataclass(frozen=True)
class MatchResult:
    """Per-pupil arrays are in input order (by pupil id).

    ``source``: see ``preferences.SOURCE_*``. ``rank``: 1-based as the pupil
    sees it (own rank, or after all own choices for suggestions), 0 if none.
    ``reason_code``: why the pupil did not get the opportunity
    ``reason_opportunity_id`` (their first choice), 0 if they did.
    ``displaced_by_*``: CSR of pupil ids who hold that opportunity's seats
    with higher priority. ``unmatched_code``: why an unplaced pupil got
    nothing (0 if placed).
    """

    policy: str
    secondary_key: str
    tier_words: tuple[str, ...]
    pupil_id: I64
    opportunity_id: I64
    rank: I32
    source: I8
    travel_minutes: F32
    sector_fit: Bools
    growth_sector: Bools
    tier: I8
    lottery: I64
    max_travel_minutes: I16
    reason_code: I8
    reason_opportunity_id: I64
    reason_detail: I8
    unmatched_code: I8
    list_length: I32
    displaced_by_ptr: I64
    displaced_by: I64
    report: RunReport
    timings: Mapping[str, float]

    def displaced(self, i: int) -> tuple[int, ...]:
        lo, hi = self.displaced_by_ptr[i], self.displaced_by_ptr[i + 1]
        return tuple(int(x) for x in self.displaced_by[lo:hi])

    def reason_text(self, i: int) -> str:
        """Why pupil ``i`` did not get a higher choice, in plain words.

        Spoken to the pupil, so it speaks only of their own choices,
        eligibility, travel and priority: never of other pupils' groups or
        who they are (``displaced_by`` is for checking, not for showing).
        """
        parts = []
        code = int(self.reason_code[i])
        if code == Reason.FILLED:
            parts.append("your first choice was filled by " + self._filled_by(i))
        elif code and code in REASON_WORDS:
            parts.append("your first choice could not be offered: " + REASON_WORDS[Reason(code)])
        unmatched = int(self.unmatched_code[i])
        if unmatched:
            parts.append(self._unmatched_words(i, unmatched))
        text = "; ".join(parts)
        return text[:1].upper() + text[1:] + ("." if text else "")

    def _filled_by(self, i: int) -> str:
        detail = int(self.reason_detail[i])
        who = []
        if detail & DETAIL_HIGHER_TIER:
            # Never which group: with few seats that would say who the holders are.
            who.append("pupils with higher priority under the published rules")
        if detail & DETAIL_SECONDARY:
            who.append(SECONDARY_WORDS[self.secondary_key])
        if detail & DETAIL_LOTTERY:
            who.append("pupils in your priority group drawn ahead of you in the lottery")
        if detail & DETAIL_LOWER_PRIORITY:
            who.append("other pupils, so that as many pupils as possible could be placed")
        if detail & DETAIL_APPROVED:
            who.append("placements approved earlier")
        return " and ".join(who) if who else "other pupils"

    def _unmatched_words(self, i: int, code: int) -> str:
        minutes = int(self.max_travel_minutes[i])
        n = int(self.list_length[i])
        if code == Reason.UNUSABLE_RECORD:
            return (
                "some of your details could not be used (your school can check them), "
                "so you were not included in this run"
            )
        if code == Reason.NO_CONSENT:
            return "your parent or carer's consent is not in place, so you were not included in this run"
        if code == Reason.NONE_OPEN:
            return (
                "no placement could be offered this run because none of its placements "
                "was open with a free place"
            )
        if code == Reason.FILLED:
            if self.policy == "max-coverage":
                return f"the {n} placement(s) on your list went to other pupils"
            return f"all {n} placement(s) on your list were filled by pupils ahead of you"
        if code == Reason.ELIGIBLE:
            return "every placement you could take was full or offered to other pupils first"
        if code == Reason.NO_STEP_FREE:
            return f"no placement within {minutes} minutes that matched your dates had step-free access"
        if code == Reason.TOO_YOUNG:
            return f"no placement within {minutes} minutes that matched your dates takes pupils your age"
        if code == Reason.DATES:
            return f"no placement within {minutes} minutes matched your dates"
        return f"no open placement within {minutes} minutes of home"

    def outcome(self, i: int) -> PupilOutcome:
        opp = int(self.opportunity_id[i])
        src = int(self.source[i])
        code = int(self.reason_code[i])
        unmatched = int(self.unmatched_code[i])
        minutes = float(self.travel_minutes[i])
        return PupilOutcome(
            pupil_id=int(self.pupil_id[i]),
            opportunity_id=opp if opp >= 0 else None,
            rank=int(self.rank[i]) or None,
            own_choice=src == SOURCE_OWN,
            suggested=src not in (SOURCE_NONE, SOURCE_OWN, SOURCE_APPROVED),
            approved_before=src == SOURCE_APPROVED,
            travel_minutes=None if np.isnan(minutes) else round(minutes, 1),
            sector_fit=bool(self.sector_fit[i]),
            priority_tier=int(self.tier[i]),
            priority_group=self.tier_words[int(self.tier[i])],
            reason_code=Reason(code).name if code else None,
            reason_opportunity_id=int(self.reason_opportunity_id[i]) if code else None,
            unmatched_code=Reason(unmatched).name if unmatched else None,
            displaced_by=self.displaced(i),
            reason_text=self.reason_text(i),
        )

    def outcomes(self) -> Iterator[PupilOutcome]:
        for i in range(len(self.pupil_id)):
            yield self.outcome(i)
