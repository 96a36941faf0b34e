"""The fast paths (compiled loops, blocked suggestion search) against plain
references: OR-Tools for max-coverage, brute force for suggestions, and the
numpy-only engine for whole runs."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from placements.engine import (
    SOURCE_OWN,
    SOURCE_SUGGESTED,
    coverage,
    estimate_travel_minutes,
    run_match,
    stable,
)
from placements.engine.candidates import _top_per_row
from placements.engine.inputs import MatchInput
from placements.engine.policy import Policy
from placements.engine.preferences import applications, build_lists, priorities

from .instances import failure, instances

# Examples per property; everything else comes from the profile in tests/conftest.py.
FAST = settings(max_examples=150)


Flow = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _flow_problem(draw: st.DrawFn, pupils: int, opportunities: int, seats: int) -> Flow:
    """Pupils' lists (CSR: ``ptr``/``opp``), their tiers and each opportunity's seats."""
    n = draw(st.integers(1, pupils))
    m = draw(st.integers(1, opportunities))
    prefs = [draw(st.permutations(range(m)))[: draw(st.integers(0, m))] for _ in range(n)]
    ptr = np.array([0, *itertools.accumulate(len(x) for x in prefs)], dtype=np.int64)
    opp = np.array([o for x in prefs for o in x], dtype=np.int32)
    tier = np.array(draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)), dtype=np.int8)
    seat = np.array(draw(st.lists(st.integers(0, seats), min_size=m, max_size=m)), dtype=np.int32)
    return ptr, opp, tier, seat


@st.composite
def flow_problems(draw: st.DrawFn) -> Flow:
    return _flow_problem(draw, pupils=30, opportunities=8, seats=3)


def _check_matching(ptr: np.ndarray, opp: np.ndarray, seats: np.ndarray, match: np.ndarray) -> None:
    owner = np.repeat(np.arange(len(ptr) - 1), np.diff(ptr))
    got = np.flatnonzero(match >= 0)
    assert (owner[match[got]] == got).all()  # each pupil's own entry
    assert (np.bincount(opp[match[got]], minlength=len(seats)) <= seats).all()


@st.composite
def small_flow_problems(draw: st.DrawFn) -> Flow:
    return _flow_problem(draw, pupils=6, opportunities=3, seats=2)


def coverage_vector(ptr: np.ndarray, tier: np.ndarray, match: Sequence[int]) -> tuple[int, ...]:
    """What max-coverage maximises, in order: pupils placed, placed from each
    tier (first tier first), then minus the sum of positions on lists."""
    placed = [p for p, e in enumerate(match) if e >= 0]
    by_tier = [sum(1 for p in placed if tier[p] == t) for t in range(4)]
    rank_cost = sum(int(match[p] - ptr[p]) for p in placed)
    return (len(placed), *by_tier, -rank_cost)


def brute_force_best(
    ptr: np.ndarray, opp: np.ndarray, tier: np.ndarray, seats: np.ndarray
) -> tuple[int, ...]:
    """The best vector over every feasible assignment."""
    options = [[-1, *range(int(ptr[p]), int(ptr[p + 1]))] for p in range(len(ptr) - 1)]
    best: tuple[int, ...] | None = None
    for match in itertools.product(*options):
        load = Counter(int(opp[e]) for e in match if e >= 0)
        if all(n <= seats[o] for o, n in load.items()):
            vector = coverage_vector(ptr, tier, match)
            best = vector if best is None else max(best, vector)
    assert best is not None
    return best


@FAST
@given(small_flow_problems())
@example(  # the first tier, all placed, beats four first choices: W must exceed the rank costs summed
    (
        np.array([0, 1, 3, 5, 7, 9, 10]),
        np.array([0, 0, 1, 1, 2, 2, 3, 3, 4, 4], dtype=np.int32),
        np.array([0, 0, 0, 0, 0, 1], dtype=np.int8),
        np.ones(5, dtype=np.int32),
    )
)
def test_max_coverage_puts_tiers_first_against_brute_force(problem: tuple[np.ndarray, ...]) -> None:
    ptr, opp, tier, seats = problem
    expected = brute_force_best(ptr, opp, tier, seats)
    for solve in (coverage.max_coverage, coverage.max_coverage_or_tools):  # compiled, OR-Tools
        match = solve(ptr, opp, tier, seats)
        _check_matching(ptr, opp, seats, match)
        assert coverage_vector(ptr, tier, match.tolist()) == expected


@FAST
@given(flow_problems())
def test_max_coverage_is_a_least_cost_maximum_flow(problem: tuple[np.ndarray, ...]) -> None:
    ptr, opp, tier, seats = problem
    fast = coverage.max_coverage(ptr, opp, tier, seats)
    oracle = coverage.max_coverage_or_tools(ptr, opp, tier, seats)
    _check_matching(ptr, opp, seats, fast)
    _, cost = coverage.costs(ptr, tier)
    assert (fast >= 0).sum() == (oracle >= 0).sum()
    assert cost[fast[fast >= 0]].sum() == cost[oracle[oracle >= 0]].sum()


@settings(max_examples=40)
@given(instances(max_pupils=10, max_opps=6))
def test_numpy_only_engine_gives_the_same_stable_result(data: MatchInput) -> None:
    compiled = run_match(data).report
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MOBILITY_ENGINE_NUMBA", "0")
        assert stable.compiled() is None
        plain = run_match(data).report
    assert compiled.result_hash == plain.result_hash


@FAST
@given(instances(max_pupils=8, max_opps=8), st.integers(1, 6))
def test_suggestions_are_the_best_eligible_pairs(data: MatchInput, extra: int) -> None:
    """With one grid cell holding everything, a pupil's suggestions must be
    exactly the best-scored open, eligible opportunities they did not apply
    to (virtual ones: in a sector they are interested in)."""
    policy = replace(data.policy, grid_cell_m=10**7, min_list_length=extra, suggestion_pool=1000)
    data = replace(data, policy=policy)
    pupils, opps = data.pupils, data.opportunities
    prio = priorities(pupils, policy, opps)
    apps = applications(data)
    everyone = np.flatnonzero(pupils.approved_opportunity_id < 0)
    lists = build_lists(data, prio, apps, opps.free_seats, extra, everyone)
    open_ = opps.published & (opps.free_seats > 0)
    for p in everyone:
        entries = range(int(lists.ptr[p]), int(lists.ptr[p + 1]))
        got_own = [int(lists.opp[e]) for e in entries if lists.source[e] == SOURCE_OWN]
        got = [int(lists.opp[e]) for e in entries if lists.source[e] == SOURCE_SUGGESTED]
        assert len(set(got_own + got)) == len(got_own) + len(got)
        applied = {int(o) for o in apps.opp[apps.ptr[p] : apps.ptr[p + 1]] if o >= 0}
        interests = set(pupils.interest_sector[pupils.interest_ptr[p] : pupils.interest_ptr[p + 1]].tolist())
        scored = []
        for o in range(len(opps)):
            virtual = int(opps.mode[o]) == 2
            if not open_[o] or o in applied or failure(data, int(p), o) is not None:
                continue
            if virtual and int(opps.sector_id[o]) not in interests:
                continue
            minutes = estimate_travel_minutes(
                [pupils.easting[p]], [pupils.northing[p]], [opps.easting[o]], [opps.northing[o]], [virtual],
                policy.travel,
            )  # fmt: skip
            fit = np.array([int(opps.sector_id[o]) in interests])
            value = float(policy.suggestion_score(fit, opps.is_growth_sector[[o]], minutes)[0])
            scored.append((-value, o))
        wanted = max(extra - len(got_own), 0)
        assert got == [o for _, o in sorted(scored)[:wanted]]


@pytest.mark.parametrize(
    ("fit", "growth", "minutes", "expected"),
    [
        (1, 0, 15, 1.5),  # in a sector they asked for, 15 minutes away
        (0, 1, 0, 1.0),  # a growth sector on the doorstep
        (1, 1, 30, 2.0),
        (0, 0, 45, -1.5),
    ],
)
def test_suggestion_score_by_hand(fit: int, growth: int, minutes: float, expected: float) -> None:
    """The documented default: 2 for sector fit, 1 for a growth sector, less 1 per 30 minutes."""
    got = Policy().suggestion_score(np.array([fit]), np.array([bool(growth)]), np.array([float(minutes)]))
    assert float(got[0]) == pytest.approx(expected)


VALUES = st.sampled_from([-2.5, -1.0, -0.3, 0.0, 0.7, 1.0, 2.0, 3.1])  # ties on purpose


@FAST
@given(
    st.lists(st.tuples(st.integers(0, 4), VALUES), max_size=120),
    st.lists(st.integers(1, 6), min_size=5, max_size=5),
)
def test_pruning_keeps_each_rows_best(pairs: list[tuple[int, float]], want: list[int]) -> None:
    r = np.array([x[0] for x in pairs], dtype=np.int64)
    value = np.array([x[1] for x in pairs], dtype=np.float64)
    keep = _top_per_row(r, value, np.array(want, dtype=np.int64), 5)
    for row in range(5):
        mine = r == row
        best = np.sort(value[mine])[::-1]
        if len(best) > want[row]:
            # Everything as good as the row's want-th best survives ...
            assert keep[mine & (value >= best[want[row] - 1])].all()
        else:
            assert keep[mine].all()
