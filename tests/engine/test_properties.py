"""Property-based tests of the whole engine on small random instances."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import replace

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from placements.engine import SOURCE_APPROVED, SOURCE_OWN, Reason, build_input, run_match
from placements.engine.inputs import MatchInput
from placements.engine.result import MatchResult
from placements.engine.stable import deferred_acceptance, deferred_acceptance_rounds

from .instances import NO_CONSENT, failure, holders, instances, own_eligible, priority, several_flags_contest
from .reference import reference_blocking_pairs, reference_deferred_acceptance

# Examples per property; everything else comes from the profile in tests/conftest.py.
FAST = settings(max_examples=150)


def opp_index(data: MatchInput, oid: int) -> int:
    return int(np.searchsorted(data.opportunities.opportunity_id, oid))


def matched(data: MatchInput, result: MatchResult, p: int) -> int:
    """Opportunity index pupil p got in this run, -1 if none or approved before."""
    if result.opportunity_id[p] < 0 or result.source[p] == SOURCE_APPROVED:
        return -1
    return opp_index(data, int(result.opportunity_id[p]))


@FAST
@given(instances())
def test_capacities_respected(data: MatchInput) -> None:
    result = run_match(data)
    opps = data.opportunities
    got = Counter(matched(data, result, p) for p in range(len(data.pupils)))
    for o in range(len(opps)):
        assert got[o] <= max(int(opps.capacity[o]) - int(opps.seats_taken[o]), 0)


@FAST
@given(instances())
def test_only_eligible_pairs(data: MatchInput) -> None:
    result = run_match(data)
    for p in range(len(data.pupils)):
        o = matched(data, result, p)
        if o >= 0:
            assert failure(data, p, o) is None


@FAST
@given(instances())
@example(several_flags_contest())
def test_no_blocking_pairs_on_own_choices(data: MatchInput) -> None:
    """No pupil would rather have an own eligible choice that has a free seat
    or holds a pupil of lower priority (checked with the plain reference)."""
    result = run_match(data)
    assert result.report.blocking_pairs == 0
    n_opp = len(data.opportunities)
    prefs = []
    for p in range(len(data.pupils)):
        own = own_eligible(data, p)
        o = matched(data, result, p)
        # A suggestion placement ranks below every own choice.
        prefs.append(own if o in own or o < 0 else [*own, o])
    seats = [int(x) for x in data.opportunities.free_seats]
    match = [matched(data, result, p) for p in range(len(data.pupils))]
    blocking = reference_blocking_pairs(prefs, seats, lambda p, o: priority(data, result, p, o), match)
    # Seats nobody proposed for may be handed out in the vacancy round to
    # pupils who did not apply: only own-choice pairs matter here.
    assert blocking == [], (blocking, n_opp)


@FAST
@given(instances(), st.randoms())
def test_same_seed_same_output(data: MatchInput, rnd: object) -> None:
    first = run_match(data).report
    second = run_match(data).report
    assert first.input_hash == second.input_hash
    assert first.result_hash == second.result_hash


@FAST
@given(instances(suggestions=False))
@example(several_flags_contest())
def test_agrees_with_reference_implementation(data: MatchInput) -> None:
    result = run_match(data)
    prefs = [own_eligible(data, p) for p in range(len(data.pupils))]
    seats = [int(x) for x in data.opportunities.free_seats]
    fixed = data.pupils.approved_opportunity_id >= 0
    prefs = [[] if fixed[p] else prefs[p] for p in range(len(prefs))]
    expected = reference_deferred_acceptance(prefs, seats, lambda p, o: priority(data, result, p, o))
    assert [matched(data, result, p) for p in range(len(prefs))] == expected


def all_stable_matchings(
    prefs: list[list[int]], seats: list[int], prio: dict[tuple[int, int], tuple[int, int, int]]
) -> list[list[int]]:
    choices = [[-1, *pl] for pl in prefs]
    found = []
    for match in itertools.product(*choices):
        load = Counter(o for o in match if o >= 0)
        if any(load[o] > seats[o] for o in load):
            continue
        if not reference_blocking_pairs(prefs, seats, lambda p, o: prio[p, o], list(match)):
            found.append(list(match))
    return found


@settings(max_examples=120)
@given(instances(max_pupils=5, max_opps=3, suggestions=False))
def test_pupil_optimal_against_brute_force(data: MatchInput) -> None:
    result = run_match(data)
    n = len(data.pupils)
    prefs = [own_eligible(data, p) for p in range(n)]
    seats = [int(x) for x in data.opportunities.free_seats]
    prio = {(p, o): priority(data, result, p, o) for p in range(n) for o in prefs[p]}
    engine = [matched(data, result, p) for p in range(n)]
    stable = all_stable_matchings(prefs, seats, prio)
    assert engine in stable

    def position(p: int, o: int) -> int:
        return prefs[p].index(o) if o >= 0 else len(prefs[p])

    for other in stable:  # every pupil does at least as well as in any stable matching
        assert all(position(p, engine[p]) <= position(p, other[p]) for p in range(n))


@FAST
@given(instances())
def test_explanations_are_true(data: MatchInput) -> None:
    result = run_match(data)
    opps = data.opportunities
    for p in range(len(data.pupils)):
        code = int(result.reason_code[p])
        text = result.reason_text(p)
        if code == Reason.FILLED:
            o = opp_index(data, int(result.reason_opportunity_id[p]))
            held = holders(result, data, o)
            # Full: this run's holders plus approved seats use every seat.
            assert len(held) == max(int(opps.capacity[o]) - int(opps.seats_taken[o]), 0)
            mine = priority(data, result, p, o)
            named = set(result.displaced(p))
            assert named == {int(data.pupils.pupil_id[q]) for q in held}
            assert all(priority(data, result, q, o) < mine for q in held)
            higher = {priority(data, result, q, o)[0] for q in held} - {mine[0]}
            assert ("higher priority under the published rules" in text) == bool(higher)
            for t in higher:  # never which group took the place
                assert result.tier_words[t] not in text
        elif code:
            o_id = int(result.reason_opportunity_id[p])
            ids = data.opportunities.opportunity_id
            if Reason(code) == Reason.UNKNOWN_OPPORTUNITY:
                assert o_id not in ids
            else:
                assert failure(data, p, opp_index(data, o_id)) == Reason(code).name
        unmatched = int(result.unmatched_code[p])
        if unmatched:
            assert result.opportunity_id[p] == -1
        if unmatched in (Reason.TOO_FAR, Reason.DATES, Reason.TOO_YOUNG, Reason.NO_STEP_FREE):
            # Nothing anywhere gets further through the checks than stated.
            order = [r.name for r in Reason]
            for o in range(len(opps)):
                fail = failure(data, p, o)
                assert fail is not None
                assert order.index(fail) <= order.index(Reason(unmatched).name)
            assert f"{int(data.pupils.max_travel_minutes[p])} minutes" in text
        if unmatched == Reason.FILLED:
            for o in own_eligible(data, p):
                held = holders(result, data, o)
                assert len(held) == int(opps.free_seats[o])
                assert all(priority(data, result, q, o) < priority(data, result, p, o) for q in held)


@FAST
@given(instances())
def test_suggestions_never_above_own_choices(data: MatchInput) -> None:
    result = run_match(data)
    applied = np.diff(data.pupils.application_ptr)
    for p in range(len(data.pupils)):
        if result.source[p] not in (0, SOURCE_OWN, SOURCE_APPROVED):
            assert result.rank[p] > min(applied[p], data.policy.max_list_length)
            # ... and every own eligible choice was full of higher priority pupils.
            for o in own_eligible(data, p):
                assert len(holders(result, data, o)) == int(data.opportunities.free_seats[o])


@FAST
@given(instances(policy_name="max-coverage", suggestions=False))
def test_max_coverage_places_at_least_as_many(data: MatchInput) -> None:
    coverage = run_match(data)
    stable = run_match(replace(data, policy=replace(data.policy, name="stable")))
    placed_cov = sum(matched(data, coverage, p) >= 0 for p in range(len(data.pupils)))
    placed_st = sum(matched(data, stable, p) >= 0 for p in range(len(data.pupils)))
    assert placed_cov >= placed_st
    got = Counter(matched(data, coverage, p) for p in range(len(data.pupils)))
    for p in range(len(data.pupils)):
        o = matched(data, coverage, p)
        if o >= 0:
            assert failure(data, p, o) is None
    for o in range(len(data.opportunities)):
        assert got[o] <= int(data.opportunities.free_seats[o])
    # The report's priority-violation count matches the plain reference.
    prefs = [own_eligible(data, p) for p in range(len(data.pupils))]
    match = [matched(data, coverage, p) for p in range(len(data.pupils))]
    seats = [int(x) for x in data.opportunities.free_seats]
    blocking = reference_blocking_pairs(prefs, seats, lambda p, o: priority(data, coverage, p, o), match)
    assert coverage.report.blocking_pairs == len(blocking)


@settings(max_examples=300)
@given(st.data())
def test_fast_da_matches_reference_on_raw_lists(data: st.DataObject) -> None:
    n = data.draw(st.integers(1, 25))
    m = data.draw(st.integers(1, 8))
    prefs = [data.draw(st.permutations(range(m)))[: data.draw(st.integers(0, m))] for _ in range(n)]
    seats = data.draw(st.lists(st.integers(0, 3), min_size=m, max_size=m))
    keys = data.draw(st.permutations(range(n * m)))
    ptr = np.array([0, *itertools.accumulate(len(x) for x in prefs)], dtype=np.int64)
    opp = np.array([o for x in prefs for o in x], dtype=np.int64)
    owner = np.repeat(np.arange(n), np.diff(ptr))
    key = np.array([keys[p * m + o] for p, o in zip(owner, opp, strict=True)], dtype=np.int64)
    expected = reference_deferred_acceptance(prefs, seats, lambda p, o: keys[p * m + o])
    for solve in (deferred_acceptance, deferred_acceptance_rounds):  # compiled, numpy
        fast = solve(ptr, opp, key, np.array(seats, np.int32), (n * m).bit_length() + 1)
        got = [int(opp[e]) if e >= 0 else -1 for e in fast]
        assert got == expected


def test_row_order_does_not_change_hashes() -> None:
    from .test_rules import small_world

    pupils, opps = small_world()
    a = run_match(build_input(pupils, opps)).report
    b = run_match(build_input(list(reversed(pupils)), list(reversed(opps)))).report
    assert (a.input_hash, a.result_hash) == (b.input_hash, b.result_hash)


@FAST
@given(instances())
def test_pupils_without_consent_take_no_part(data: MatchInput) -> None:
    result = run_match(data)
    for p in range(len(data.pupils)):
        if data.pupils.consent[p] in NO_CONSENT:
            assert result.opportunity_id[p] == -1 and result.list_length[p] == 0
            assert result.outcome(p).unmatched_code == "NO_CONSENT"
            assert "consent is not in place" in result.reason_text(p)
        else:
            assert result.unmatched_code[p] != Reason.NO_CONSENT
