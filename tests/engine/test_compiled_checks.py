"""The compiled application checks, blocking-pair count and explanations against their numpy versions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from placements.engine.explain import _filled_by
from placements.engine.inputs import MatchInput
from placements.engine.loops import compiled
from placements.engine.policy import PolicyName
from placements.engine.preferences import Lists, applications, build_lists, priorities
from placements.engine.report import blocking_pairs
from placements.engine.run import _solve

from .instances import instances
from .test_fast_paths import flow_problems, with_search_settings

FAST = settings(max_examples=150)


def _both(run: Callable[[], Any], module: str) -> tuple[Any, Any]:
    """``run()`` with the compiled ``module``, then with numpy only."""
    assert compiled(module) is not None
    fast = run()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MOBILITY_ENGINE_NUMBA", "0")
        assert compiled(module) is None
        plain = run()
    return fast, plain


@st.composite
def messy_lists(draw: st.DrawFn) -> MatchInput:
    """Lists that repeat opportunities, name several unknown ones and run past the longest
    list kept; opportunity ids dense (looked up in a table) or sparse (binary search)."""
    data = draw(with_search_settings())
    pupils, opps = data.pupils, data.opportunities
    scale = draw(st.sampled_from([1, 10**7]))
    choices = st.sampled_from([*opps.opportunity_id.tolist(), 5, 10**6 + 1])
    lists = [draw(st.lists(choices, max_size=8)) for _ in range(len(pupils))]
    ptr = np.concatenate([[0], np.cumsum([len(x) for x in lists])]).astype(np.int64)
    ids = np.array([i for x in lists for i in x], dtype=np.int64) * scale
    pupils = replace(pupils, application_ptr=ptr, application_opportunity_id=ids)
    opps = replace(opps, opportunity_id=opps.opportunity_id * scale)
    policy = replace(data.policy, max_list_length=draw(st.sampled_from([1, 3, 20])))
    return MatchInput(pupils, opps, policy)


@FAST
@given(messy_lists())
def test_compiled_applications_are_those_of_numpy(data: MatchInput) -> None:
    fast, plain = _both(lambda: applications(data), "_compiled_checks")
    for name in ("ptr", "opp", "rank", "reason", "minutes"):
        got, expected = getattr(fast, name), getattr(plain, name)
        assert got.dtype == expected.dtype, name
        np.testing.assert_array_equal(got, expected, err_msg=name)


@FAST
@given(flow_problems(), st.randoms(use_true_random=False))
def test_compiled_blocking_pairs_are_those_of_numpy(problem: tuple[np.ndarray, ...], rnd: Any) -> None:
    ptr, opp, _, seats = problem
    key = np.array(rnd.sample(range(10 * len(opp) + 1), len(opp)), dtype=np.int64)
    bounds = [(int(ptr[p]), int(ptr[p + 1])) for p in range(len(ptr) - 1)]
    matched = np.array(
        [rnd.randrange(a, b) if a < b and rnd.random() < 0.7 else -1 for a, b in bounds], np.int64
    )
    got = matched >= 0
    final_opp = np.where(got, opp[np.maximum(matched, 0)] if len(opp) else -1, -1).astype(np.int64)
    final_key = np.where(got, key[np.maximum(matched, 0)] if len(opp) else -1, -1).astype(np.int64)
    empty = np.zeros(len(opp))
    lists = Lists(ptr, opp, key, empty.astype(np.int32), empty.astype(np.int8), empty.astype(np.float32))
    fast, plain = _both(
        lambda: blocking_pairs(lists, matched, seats, final_opp, final_key), "_compiled_report"
    )
    assert fast == plain


@FAST
@given(instances(max_pupils=25, max_opps=6), st.sampled_from(["stable", "max-coverage"]))
def test_compiled_explanations_are_those_of_numpy(data: MatchInput, policy: PolicyName) -> None:
    """Who holds the seats of a pupil's first choice, and how they compare, both ways."""
    pupils, opps = data.pupils, data.opportunities
    prio = priorities(pupils, data.policy, opps)
    main = build_lists(data, prio, applications(data), opps.free_seats, 0, np.arange(len(pupils)))
    match = _solve(policy, main, prio, opps.free_seats)
    got = match >= 0
    assume(len(main.opp) > 0)
    final_opp = np.where(got, main.opp[np.maximum(match, 0)], -1).astype(np.int64)
    final_key = np.where(got, main.key[np.maximum(match, 0)], -1).astype(np.int64)
    who = np.flatnonzero((np.diff(main.ptr) > 0) & (match != main.ptr[:-1]))
    o = main.opp[main.ptr[who]].astype(np.int64)
    fast, plain = _both(
        lambda: _filled_by(data, prio, main, who, o, final_opp, final_key), "_compiled_report"
    )
    for name, a, b in zip(("detail", "counts", "displaced"), fast, plain, strict=True):
        np.testing.assert_array_equal(a, b, err_msg=name)


@FAST
@given(messy_lists(), st.booleans())
def test_compiled_lists_are_those_of_numpy(data: MatchInput, own: bool) -> None:
    """Main-round lists, or vacancy lists (no own choices, suggestions numbered after the main list)."""
    pupils, opps, policy = data.pupils, data.opportunities, data.policy
    prio = priorities(pupils, policy, opps)
    apps = applications(data)
    everyone = np.arange(len(pupils))
    main = build_lists(data, prio, apps, opps.free_seats, policy.min_list_length, everyone)
    earlier = () if own else (main,)
    fast, plain = _both(
        lambda: build_lists(data, prio, apps, opps.free_seats, 3, everyone[::2], earlier, own=own),
        "_compiled_checks",
    )
    for name in ("ptr", "opp", "key", "rank", "source", "minutes"):
        np.testing.assert_array_equal(getattr(fast, name), getattr(plain, name), err_msg=name)
