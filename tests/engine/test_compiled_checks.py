"""The compiled application checks and blocking-pair count against their numpy versions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from placements.engine.inputs import MatchInput
from placements.engine.loops import compiled
from placements.engine.preferences import Lists, applications
from placements.engine.report import blocking_pairs

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
