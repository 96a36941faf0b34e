"""Unit tests: travel estimate, eligibility rules, suggestions, approved seats."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from placements.engine import (
    FLAG_NAMES,
    SOURCE_APPROVED,
    SOURCE_OWN,
    SOURCE_SUGGESTED,
    STAGES,
    OpportunityRow,
    Policy,
    PupilRow,
    Reason,
    TravelModel,
    build_input,
    estimate_travel_minutes,
    run_match,
)
from placements.engine.eligibility import age_on, check_pairs
from placements.engine.travel import reach_metres

from .instances import several_flags_contest

MON = date(2026, 6, 1)
WEEK = ((MON, MON + timedelta(days=4)),)
VALID = date(2027, 1, 1)


def pupil(pid: int, apps: tuple[int, ...] = (), **kw: object) -> PupilRow:
    fields: dict[str, object] = dict(
        pupil_id=pid,
        la_code="E08000012",
        year_group=10,
        date_of_birth=date(2011, 3, 1),
        easting=333_000,
        northing=390_000,
        max_travel_minutes=45,
        windows=WEEK,
        applications=apps,
    )
    fields.update(kw)
    return PupilRow(**fields)  # type: ignore[arg-type]


def opening(oid: int, **kw: object) -> OpportunityRow:
    fields: dict[str, object] = dict(
        opportunity_id=oid,
        capacity=1,
        start=MON,
        end=MON + timedelta(days=4),
        min_age=14,
        easting=333_500,
        northing=390_000,
        sector_id=1,
        la_code="E08000012",
        insurance_valid_until=VALID,
        risk_assessment_valid_until=VALID,
        step_free=True,
    )
    fields.update(kw)
    return OpportunityRow(**fields)  # type: ignore[arg-type]


def small_world() -> tuple[list[PupilRow], list[OpportunityRow]]:
    pupils = [
        pupil(1, (10, 20), care_experienced=True),
        pupil(2, (10, 20)),
        pupil(3, (10,), fsm_or_pupil_premium=True),
        pupil(4, ()),
    ]
    return pupils, [opening(10), opening(20), opening(30, capacity=2)]


def reasons(p: PupilRow, o: OpportunityRow) -> Reason:
    data = build_input([p], [o])
    code, _ = check_pairs(data.pupils, data.opportunities, np.array([0]), np.array([0]), data.policy.travel)
    return Reason(int(code[0]))


# ---- travel ----


def test_travel_walks_when_short_and_takes_the_bus_when_long() -> None:
    model = TravelModel()
    walk, bus, online = estimate_travel_minutes(
        [0, 0, 0], [0, 0, 0], [1000, 10_000, 50_000], [0, 0, 0], [False, False, True], model
    )
    assert walk == pytest.approx(1.3 / 4.5 * 60, rel=1e-5)  # 1 km straight, detour 1.3
    assert bus == pytest.approx(8 + 8 + 13 / 16 * 60, rel=1e-5)
    assert online == 0


def test_travel_model_is_configurable() -> None:
    fast = TravelModel(bus_speed_km_h=32, bus_wait_minutes=0, bus_access_minutes=0)
    (minutes,) = estimate_travel_minutes([0], [0], [0], [16_000], [False], fast)
    assert minutes == pytest.approx(16 * 1.3 / 32 * 60, rel=1e-5)


@given(st.integers(0, 60_000), st.integers(10, 120))
def test_reach_bounds_every_reachable_distance(distance: int, minutes: int) -> None:
    model = TravelModel()
    (t,) = estimate_travel_minutes([0], [0], [distance], [0], [False], model)
    if t <= minutes:
        assert distance <= reach_metres(minutes, model)


# ---- eligibility ----


def test_each_rule() -> None:
    p, o = pupil(1), opening(10)
    assert reasons(p, o) == Reason.ELIGIBLE
    assert reasons(p, replace(o, published=False)) == Reason.NOT_PUBLISHED
    assert reasons(p, replace(o, insurance_valid_until=None)) == Reason.NO_INSURANCE
    # Insurance must run through the last day of the placement.
    ends_midweek = replace(o, insurance_valid_until=MON + timedelta(days=3))
    assert reasons(p, ends_midweek) == Reason.NO_INSURANCE
    assert reasons(p, replace(o, insurance_valid_until=o.end)) == Reason.ELIGIBLE
    assert reasons(p, replace(o, risk_assessment_valid_until=None)) == Reason.NO_RISK_ASSESSMENT
    assert reasons(p, replace(o, easting=400_000)) == Reason.TOO_FAR
    assert reasons(p, replace(o, easting=400_000, mode="virtual")) == Reason.ELIGIBLE
    assert reasons(p, replace(o, easting=400_000, mode="hybrid")) == Reason.TOO_FAR
    next_week = replace(o, start=MON + timedelta(days=7), end=MON + timedelta(days=11))
    assert reasons(p, next_week) == Reason.DATES
    overlap_one_day = replace(o, start=MON + timedelta(days=4), end=MON + timedelta(days=8))
    assert reasons(p, overlap_one_day) == Reason.ELIGIBLE
    two_windows = replace(p, windows=(*WEEK, (next_week.start, next_week.end)))
    assert reasons(two_windows, next_week) == Reason.ELIGIBLE
    assert reasons(p, replace(o, min_age=16)) == Reason.TOO_YOUNG
    needs = replace(p, needs_step_free=True)
    assert reasons(needs, replace(o, step_free=False)) == Reason.NO_STEP_FREE
    assert reasons(needs, replace(o, step_free=False, mode="virtual")) == Reason.ELIGIBLE


def test_age_on_the_start_date() -> None:
    o = opening(10, min_age=15)
    birthday_on_start = pupil(1, date_of_birth=date(2011, 6, 1))
    day_after = pupil(1, date_of_birth=date(2011, 6, 2))
    assert reasons(birthday_on_start, o) == Reason.ELIGIBLE
    assert reasons(day_after, o) == Reason.TOO_YOUNG


@given(st.dates(date(2000, 1, 1), date(2012, 12, 31)), st.dates(date(2024, 1, 1), date(2028, 12, 31)))
def test_age_rule_matches_calendar_age(born: date, start: date) -> None:
    expected = start.year - born.year - ((start.month, start.day) < (born.month, born.day))
    assert age_on(np.array([born.toordinal()]), np.array([start.toordinal()]))[0] == expected
    docs = start + timedelta(days=30)
    o = opening(10, start=start, end=start, min_age=15)
    o = replace(o, insurance_valid_until=docs, risk_assessment_valid_until=docs)
    p = pupil(1, date_of_birth=born, windows=((start, start),))
    ok = reasons(p, replace(o, insurance_valid_until=None, published=True))
    assert ok == Reason.NO_INSURANCE  # sanity: the order of checks
    assert (reasons(p, o) != Reason.TOO_YOUNG) == (expected >= 15)


# ---- lists, suggestions, approved seats ----


def test_suggestions_rank_after_own_choices() -> None:
    pupils = [pupil(1, (10, 99)), pupil(2, ())]
    opps = [opening(10, seats_taken=1), opening(20, capacity=2), opening(30, capacity=2)]
    result = run_match(build_input(pupils, opps, Policy(min_list_length=3)))
    one = result.outcome(0)
    assert one.suggested and one.rank is not None and one.rank > 2
    assert one.reason_code == "FILLED"  # its one seat was approved earlier
    two = result.outcome(1)
    assert two.suggested and result.source[1] == SOURCE_SUGGESTED


def test_no_suggestions_when_lists_are_long_enough() -> None:
    pupils, opps = small_world()
    result = run_match(build_input(pupils, opps, Policy(min_list_length=0, vacancy_round=False)))
    assert result.opportunity_id[3] == -1
    assert result.outcome(3).unmatched_code == "ELIGIBLE"  # there was room, not offered


def test_priority_tiers_and_true_reason() -> None:
    pupils, opps = small_world()
    result = run_match(build_input(pupils, opps, Policy(min_list_length=0)))
    assert result.opportunity_id[0] == 10  # care-experienced pupil gets the seat
    assert result.source[0] == SOURCE_OWN and result.rank[0] == 1
    two = result.outcome(1)
    assert two.opportunity_id == 20 and two.rank == 2
    assert two.reason_code == "FILLED" and two.displaced_by == (1,)
    assert two.reason_text == (
        "Your first choice was filled by pupils with higher priority under the published rules."
    )
    three = result.outcome(2)
    assert three.opportunity_id is not None and three.suggested  # vacancy round
    assert three.displaced_by == (1,)


def test_unmatched_reason_names_dates_and_minutes() -> None:
    far_week = (MON + timedelta(days=14), MON + timedelta(days=18))
    pupils = [pupil(1, (10,), windows=(far_week,))]
    result = run_match(build_input(pupils, [opening(10), opening(20, easting=399_000)]))
    assert result.outcome(0).unmatched_code == "DATES"
    assert "no placement within 45 minutes matched your dates" in result.reason_text(0)


def test_approved_seats_and_pupils_are_respected() -> None:
    pupils = [
        pupil(1, (10,), approved_opportunity_id=20),
        pupil(2, (10, 20), care_experienced=True),
        pupil(3, (10, 20)),
    ]
    opps = [opening(10, capacity=2, seats_taken=2), opening(20, capacity=2, seats_taken=1)]
    result = run_match(build_input(pupils, opps, Policy(min_list_length=0)))
    assert result.opportunity_id[0] == 20 and result.source[0] == SOURCE_APPROVED
    assert result.opportunity_id[1] == 20  # the one seat left
    assert result.opportunity_id[2] == -1
    assert result.reason_text(1).endswith("placements approved earlier.")
    assert result.report.approved_before == 1


def test_progress_callback_and_timings() -> None:
    seen: list[tuple[str, float]] = []
    pupils, opps = small_world()
    data = build_input(pupils, opps, Policy(compare_coverage=True))
    result = run_match(data, on_stage=lambda s, f: seen.append((s, f)))
    assert [s for s, _ in seen] == list(STAGES)
    assert [f for _, f in seen] == sorted(f for _, f in seen) and seen[-1][1] == 1.0
    assert set(result.timings) == set(STAGES)
    assert result.report.max_coverage_gain is not None


def test_report_figures() -> None:
    pupils, opps = small_world()
    report = run_match(build_input(pupils, opps)).report
    assert report.pupils == 4 and report.placed == sum(t.placed for t in report.by_tier)
    assert report.by_tier[0].group == "care-experienced" and report.by_tier[0].rate == 1.0
    assert 0 <= report.first_choice_rate <= report.top3_rate <= 1
    assert report.blocking_pairs == 0
    assert len(report.input_hash) == len(report.result_hash) == 64


ALL_FLAG_SETS = [set(c) for r in range(len(FLAG_NAMES) + 1) for c in itertools.combinations(FLAG_NAMES, r)]


def test_a_pupil_with_several_flags_is_in_the_highest_of_their_tiers() -> None:
    """Every combination of flags, checked against the tiers written out by hand."""
    first_tier = {"care_experienced": 0, "fsm_or_pupil_premium": 1, "send": 2, "young_carer": 2}
    first_tier["at_risk_of_neet"] = 2
    first_tier["young_person"] = 3  # no tier of its own in the engine's default policy
    pupils = [pupil(i + 1, (), **{f: True for f in flags}) for i, flags in enumerate(ALL_FLAG_SETS)]
    result = run_match(build_input(pupils, [opening(10)]))
    for i, flags in enumerate(ALL_FLAG_SETS):
        expected = min((first_tier[f] for f in flags), default=3)
        assert result.tier[i] == expected, flags
        assert result.outcome(i).priority_group == result.tier_words[expected]


def test_several_flags_win_a_seat_by_the_highest_one() -> None:
    data = several_flags_contest()
    result = run_match(data)
    assert result.lottery[0] < result.lottery[1]  # the lottery alone would pick pupil 1
    assert result.opportunity_id.tolist() == [-1, 10]
    assert result.outcome(1).priority_group == "care-experienced"


def test_seed_changes_the_lottery_not_the_rules() -> None:
    pupils = [pupil(i, (10,)) for i in range(1, 6)]
    winners = {
        int(
            np.flatnonzero(
                run_match(build_input(pupils, [opening(10)], Policy(seed=s))).opportunity_id == 10
            )[0]
        )
        for s in range(20)
    }
    assert len(winners) > 1


def test_max_coverage_places_the_first_tier_before_rank_preferences() -> None:
    """Five care-experienced pupils and one on free school meals, five seats
    in a chain: placing every care-experienced pupil moves four of them to
    their second choice, placing the other pupil instead would not."""
    chain = [opening(10 * (i + 1)) for i in range(5)]
    pupils = [pupil(1, (10,), care_experienced=True)]
    pupils += [pupil(i + 2, (10 * (i + 1), 10 * (i + 2)), care_experienced=True) for i in range(4)]
    pupils.append(pupil(6, (50,), fsm_or_pupil_premium=True))
    policy = Policy(name="max-coverage", min_list_length=0, vacancy_round=False)
    result = run_match(build_input(pupils, chain, policy))
    assert result.opportunity_id.tolist() == [10, 20, 30, 40, 50, -1]
    assert result.report.by_tier[0].placed == 5


@pytest.mark.parametrize("answer", ["refused", "withdrawn"])
def test_a_pupil_without_consent_is_left_out_and_told_why(answer: str) -> None:
    pupils = [pupil(1, (10,), consent=answer, care_experienced=True), pupil(2, (10,), consent="given")]
    result = run_match(build_input(pupils, [opening(10), opening(20)]))
    assert result.opportunity_id.tolist() == [-1, 10]
    left_out = result.outcome(0)
    assert left_out.unmatched_code == "NO_CONSENT" and left_out.suggested is False
    assert left_out.reason_text == (
        "Your parent or carer's consent is not in place, so you were not included in this run."
    )
    assert result.outcome(1).reason_text == ""  # first choice, nothing to explain


def test_consent_not_yet_answered_does_not_leave_a_pupil_out() -> None:
    pupils = [pupil(1, (10,), consent="requested"), pupil(2, (20,), consent="not_requested")]
    result = run_match(build_input(pupils, [opening(10), opening(20)]))
    assert result.opportunity_id.tolist() == [10, 20]


# ---- records the run cannot use ----


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"start": date(1, 1, 1)}, "start or end date out of range"),
        ({"start": MON + timedelta(days=5)}, "ends before it starts"),
        ({"capacity": 0}, "no seats (capacity below 1)"),
        ({"capacity": -2}, "no seats (capacity below 1)"),
        ({"easting": -5}, "site location out of range"),
    ],
)
def test_an_unusable_opportunity_is_skipped_and_reported(change: dict[str, object], problem: str) -> None:
    pupils = [pupil(1, (10, 20)), pupil(2, (20,))]
    opps = [opening(10, **change), opening(20), opening(30)]
    result = run_match(build_input(pupils, opps, Policy(min_list_length=0)))
    assert [(s.kind, s.record_id, s.problem) for s in result.report.skipped] == [("opportunity", 10, problem)]
    assert result.opportunity_id.tolist() == [20, 30]  # everyone else is matched
    assert result.outcome(0).reason_code == "UNKNOWN_OPPORTUNITY"
    assert "it is no longer offered" in result.reason_text(0)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"date_of_birth": date(1, 1, 1)}, "date of birth missing or out of range"),
        ({"easting": -1}, "home location out of range"),
        ({"windows": ((MON, MON - timedelta(days=1)),)}, "a work-experience window"),
        ({"max_travel_minutes": 0}, "travel limit below 1 minute"),
    ],
)
def test_an_unusable_pupil_is_skipped_reported_and_told(change: dict[str, object], problem: str) -> None:
    pupils = [pupil(1, (10,), **change), pupil(2, (10,))]
    result = run_match(build_input(pupils, [opening(10)]))
    (skipped,) = result.report.skipped
    assert (skipped.kind, skipped.record_id) == ("pupil", 1) and skipped.problem.startswith(problem)
    assert result.opportunity_id.tolist() == [-1, 10]
    assert result.outcome(0).unmatched_code == "UNUSABLE_RECORD"
    assert result.reason_text(0).startswith("Some of your details could not be used")


def test_the_input_hash_covers_skipped_records() -> None:
    good = build_input([pupil(1, (10,))], [opening(10), opening(20)])
    bad = build_input([pupil(1, (10,))], [opening(10), opening(20, start=date(1, 1, 1))])
    assert run_match(good).report.input_hash != run_match(bad).report.input_hash


@pytest.mark.parametrize("policy_name", ["stable", "max-coverage"])
@pytest.mark.parametrize(
    "opportunities",
    [
        pytest.param([], id="none given"),
        pytest.param([opening(10, capacity=0), opening(20, start=date(1, 1, 1))], id="none usable"),
        pytest.param([opening(10, published=False)], id="none published"),
        pytest.param([opening(10, seats_taken=1)], id="none with a free place"),
    ],
)
def test_a_run_with_nothing_open_places_nobody_and_tells_everyone_why(
    policy_name: str, opportunities: list[OpportunityRow]
) -> None:
    pupils = [pupil(1, (10,)), pupil(2), pupil(3, (10, 99), consent="refused")]
    policy = Policy(name=policy_name, compare_coverage=True)  # type: ignore[arg-type]
    result = run_match(build_input(pupils, opportunities, policy))
    assert result.opportunity_id.tolist() == [-1, -1, -1]
    assert result.report.placed == 0
    codes = [result.outcome(i).unmatched_code for i in range(3)]
    assert codes == ["NONE_OPEN", "NONE_OPEN", "NO_CONSENT"]
    for i in (0, 1):
        assert "no placement could be offered this run because none of its" in result.reason_text(i).lower()
