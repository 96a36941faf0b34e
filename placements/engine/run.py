"""A match run end to end: lists -> solve -> vacancy round -> explain -> report.

Vacancy round and stability
---------------------------
The main round matches pupils on their own eligible choices (topped up with
suggestions for short lists). Pupils still unplaced then get suggestions from
opportunities with seats left, and a second deferred acceptance (same
priorities, same lottery) runs on those leftover seats only. Main-round
matches are never undone, so:

* there are still no blocking pairs on the main-round lists (an opportunity
  with a seat left never turned anybody down in the main round, and a full
  one keeps the pupils it chose);
* the vacancy round is stable among vacancy pupils and leftover seats;
* a vacancy pupil may outrank a main-round holder of a suggested
  opportunity they never applied to. We do not bump that holder: the pupil
  did not ask for it, and bumping would cascade into the main round. The
  report counts these as ``vacancy_blocking_pairs`` so the choice is visible.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from ._types import F32, I8, I32, I64, Bools
from .coverage import max_coverage
from .eligibility import left_out
from .explain import explain
from .inputs import MODE_VIRTUAL, MatchInput
from .policy import PolicyName
from .preferences import (
    SOURCE_APPROVED,
    Applications,
    Lists,
    Priorities,
    applications,
    build_lists,
    priorities,
)
from .records import SkippedRecord, skipped_pupils, without_unusable_opportunities
from .report import arrays_hash, blocking_pairs, input_hash
from .result import MatchResult, RunReport, TierStat
from .stable import deferred_acceptance, warm_up
from .travel import estimate_travel_minutes

StageCallback = Callable[[str, float], None]

STAGES = ("candidates", "solving", "vacancy", "explaining", "comparing", "report")


def _solve(name: PolicyName, lists: Lists, prio: Priorities, seats: I32) -> I64:
    if name == "stable":
        return deferred_acceptance(lists.ptr, lists.opp, lists.key, seats, prio.key_bits)
    return max_coverage(lists.ptr, lists.opp, prio.tier, seats)


class _Solved:
    """Main round + vacancy round for one policy."""

    def __init__(
        self,
        data: MatchInput,
        name: PolicyName,
        prio: Priorities,
        apps: Applications,
        main: Lists,
        tick: Callable[[str], None],
    ) -> None:
        pupils, opps, policy = data.pupils, data.opportunities, data.policy
        n = len(pupils)
        self.seats = opps.free_seats
        self.main_match = _solve(name, main, prio, self.seats)
        tick("solving")
        held = self.main_match[self.main_match >= 0]
        left = (self.seats - np.bincount(main.opp[held], minlength=len(opps))).astype(np.int32)
        who = np.flatnonzero(
            (self.main_match < 0) & (pupils.approved_opportunity_id < 0) & (left_out(pupils) == 0)
        )
        if not policy.vacancy_round:
            who = who[:0]
        self.vacancy = build_lists(
            data, prio, apps, left, policy.vacancy_suggestions, who, (main,), own=False
        )
        # Leftover seats go by priority order too, whatever the main policy.
        self.vacancy_match = deferred_acceptance(
            self.vacancy.ptr, self.vacancy.opp, self.vacancy.key, left, prio.key_bits
        )
        tick("vacancy")
        self.final_opp = np.full(n, -1, dtype=np.int64)
        self.final_key = np.full(n, -1, dtype=np.int64)
        for lists, match in ((main, self.main_match), (self.vacancy, self.vacancy_match)):
            got = match >= 0
            self.final_opp[got] = lists.opp[match[got]]
            self.final_key[got] = lists.key[match[got]]
        self.placed = int(np.count_nonzero(self.final_opp >= 0))


def _outcome_columns(
    data: MatchInput, prio: Priorities, main: Lists, solved: _Solved
) -> tuple[I32, I8, F32, I64, Bools, Bools]:
    """Per pupil: (rank, source, travel minutes, opportunity id, sector fit,
    growth sector) of their placement, whether made now or approved before."""
    pupils, opps, policy = data.pupils, data.opportunities, data.policy
    n = len(pupils)
    final_opp = solved.final_opp
    rank = np.zeros(n, dtype=np.int32)
    source = np.zeros(n, dtype=np.int8)
    minutes = np.full(n, np.nan, dtype=np.float32)
    for lists, match in ((main, solved.main_match), (solved.vacancy, solved.vacancy_match)):
        got = match >= 0
        rank[got] = lists.rank[match[got]]
        source[got] = lists.source[match[got]]
        minutes[got] = lists.minutes[match[got]]
    opportunity_id = np.full(n, -1, dtype=np.int64)
    opportunity_id[final_opp >= 0] = opps.opportunity_id[final_opp[final_opp >= 0]]
    # Pupils approved before this run keep their placement.
    fixed = np.flatnonzero(pupils.approved_opportunity_id >= 0)
    fixed_id = pupils.approved_opportunity_id[fixed]
    j = np.minimum(np.searchsorted(opps.opportunity_id, fixed_id), max(len(opps) - 1, 0))
    known = (opps.opportunity_id[j] == fixed_id) if len(opps) else np.zeros(len(fixed), bool)
    opportunity_id[fixed] = fixed_id
    source[fixed] = SOURCE_APPROVED
    minutes[fixed[known]] = estimate_travel_minutes(
        pupils.easting[fixed[known]],
        pupils.northing[fixed[known]],
        opps.easting[j[known]],
        opps.northing[j[known]],
        opps.mode[j[known]] == MODE_VIRTUAL,
        policy.travel,
    )
    if policy.travel.timetable is not None:
        virtual = opps.mode[j[known]] == MODE_VIRTUAL
        minutes[fixed[known]] = policy.travel.timetable.apply(
            minutes[fixed[known]], fixed[known], np.where(virtual, -1, j[known])
        )
    at = np.where(final_opp >= 0, final_opp, -1)
    at[fixed[known]] = j[known]
    placed_at = np.flatnonzero(at >= 0)
    fit = np.zeros(n, dtype=bool)
    fit[placed_at] = prio.interests.fit(placed_at, at[placed_at])
    growth = np.zeros(n, dtype=bool)
    growth[placed_at] = opps.is_growth_sector[at[placed_at]]
    return rank, source, minutes, opportunity_id, fit, growth


def run_match(data: MatchInput, on_stage: StageCallback | None = None) -> MatchResult:
    """Run the policy in ``data.policy`` and return the frozen result."""
    timings: dict[str, float] = {}
    clock = [time.perf_counter()]

    def tick(stage: str) -> None:
        now = time.perf_counter()
        timings[stage] = timings.get(stage, 0.0) + now - clock[0]
        clock[0] = now
        if on_stage is not None:
            on_stage(stage, (STAGES.index(stage) + 1) / len(STAGES))

    given = data
    data, skipped = without_unusable_opportunities(data)
    skipped += skipped_pupils(data.pupils)
    pupils, opps, policy = data.pupils, data.opportunities, data.policy
    prio = priorities(pupils, policy, opps)
    apps = applications(data)
    everyone = np.flatnonzero((pupils.approved_opportunity_id < 0) & (left_out(pupils) == 0))
    main = build_lists(data, prio, apps, opps.free_seats, policy.min_list_length, everyone)
    # Load the compiled loops only now, once the list building's temporaries
    # are freed (numba itself takes ~150 MB), and never as solving time.
    warm_up(coverage=policy.name == "max-coverage" or policy.compare_coverage)
    tick("candidates")
    solved = _Solved(data, policy.name, prio, apps, main, tick)
    final_opp, final_key = solved.final_opp, solved.final_key
    why = explain(data, prio, apps, main, solved.vacancy, final_opp, final_key)
    tick("explaining")
    compared: tuple[str, int] | None = None
    if policy.compare_coverage:
        other: PolicyName = "max-coverage" if policy.name == "stable" else "stable"
        quiet = replace(data, policy=replace(policy, name=other))
        compared = (other, _Solved(quiet, other, prio, apps, main, lambda _: None).placed)
        tick("comparing")

    rank, source, minutes, opportunity_id, fit, growth = _outcome_columns(data, prio, main, solved)
    list_length = (np.diff(main.ptr) + np.diff(solved.vacancy.ptr)).astype(np.int32)

    result_hash = arrays_hash(
        pupils.pupil_id, opportunity_id, rank, source, minutes, why.reason_code,
        why.reason_opportunity_id, why.reason_detail, why.unmatched_code,
        why.displaced_by_ptr, why.displaced_by,
    )  # fmt: skip
    report = _report(
        data, prio, apps, main, solved, opportunity_id, rank, source, minutes, growth,
        compared, (input_hash(given), result_hash), skipped,
    )  # fmt: skip
    tick("report")
    return MatchResult(
        policy=policy.name,
        secondary_key=policy.secondary_key,
        tier_words=tuple(policy.tier_words(t) for t in range(len(policy.priority_tiers) + 1)),
        pupil_id=pupils.pupil_id,
        opportunity_id=opportunity_id,
        rank=rank,
        source=source,
        travel_minutes=minutes,
        sector_fit=fit,
        growth_sector=growth,
        tier=prio.tier,
        lottery=prio.lottery,
        max_travel_minutes=pupils.max_travel_minutes,
        reason_code=why.reason_code,
        reason_opportunity_id=why.reason_opportunity_id,
        reason_detail=why.reason_detail,
        unmatched_code=why.unmatched_code,
        list_length=list_length,
        displaced_by_ptr=why.displaced_by_ptr,
        displaced_by=why.displaced_by,
        report=report,
        timings=timings,
    )


def _rate(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _report(
    data: MatchInput,
    prio: Priorities,
    apps: Applications,
    main: Lists,
    solved: _Solved,
    opportunity_id: I64,
    rank: I32,
    source: I8,
    minutes: F32,
    growth: Bools,
    compared: tuple[str, int] | None,
    hashes: tuple[str, str],
    skipped: tuple[SkippedRecord, ...],
) -> RunReport:
    """Figures of the run; ``hashes``: of the input as given, of the result."""
    pupils, policy = data.pupils, data.policy
    n = len(pupils)
    placed = opportunity_id >= 0
    fixed = source == SOURCE_APPROVED
    this_run = placed & ~fixed
    by_tier = []
    for t in range(len(policy.priority_tiers) + 1):
        in_tier = prio.tier == t
        total, got = int(in_tier.sum()), int((in_tier & placed).sum())
        by_tier.append(TierStat(policy.tier_words(t), total, got, _rate(got, total)))
    applied = (np.diff(apps.ptr) > 0) & ~fixed
    own = source == 1
    first = int((applied & own & (rank == 1)).sum())
    top3 = int((applied & own & (rank <= 3)).sum())
    travel = minutes[this_run]
    unplaced = ~placed
    la, la_count = np.unique(pupils.la_code[unplaced], return_counts=True)
    owner = np.repeat(np.arange(n), np.diff(pupils.interest_ptr))
    sectors = pupils.interest_sector[unplaced[owner]]
    sec, sec_count = np.unique(sectors, return_counts=True)
    main_blocking = blocking_pairs(main, solved.main_match, solved.seats, solved.final_opp, solved.final_key)
    vacancy_blocking = blocking_pairs(
        solved.vacancy, solved.vacancy_match, solved.seats, solved.final_opp, solved.final_key
    )
    total_placed = int(placed.sum())
    gain = None
    if compared is not None:
        this_placed = solved.placed
        gain = compared[1] - this_placed if policy.name == "stable" else this_placed - compared[1]
    return RunReport(
        policy=policy.name,
        pupils=n,
        placed=total_placed,
        placed_rate=_rate(total_placed, n),
        approved_before=int(fixed.sum()),
        by_tier=tuple(by_tier),
        first_choice_rate=_rate(first, int(applied.sum())),
        top3_rate=_rate(top3, int(applied.sum())),
        median_travel_minutes=float(np.median(travel)) if len(travel) else None,
        growth_sector_share=_rate(int(growth[this_run].sum()), int(this_run.sum()))
        if this_run.any()
        else None,
        blocking_pairs=main_blocking,
        vacancy_blocking_pairs=vacancy_blocking,
        compared_policy=compared[0] if compared else None,
        compared_placed=compared[1] if compared else None,
        max_coverage_gain=gain,
        unmet_by_la={str(k): int(v) for k, v in zip(la, la_count, strict=True)},
        unmet_by_sector={int(k): int(v) for k, v in zip(sec, sec_count, strict=True)},
        skipped=skipped,
        input_hash=hashes[0],
        result_hash=hashes[1],
    )
