"""Small random match-run instances for property tests, plus an independent
plain-Python eligibility check and priority order to test the engine against."""

from __future__ import annotations

import random
from datetime import date, timedelta

from hypothesis import strategies as st

from placements.engine import (
    FLAG_NAMES,
    MatchResult,
    OpportunityRow,
    Policy,
    PupilRow,
    build_input,
    estimate_travel_minutes,
)
from placements.engine.inputs import CONSENT_CODES, MatchInput

MONDAY = date(2026, 6, 1)
LA = ("E08000012", "E08000011")
# Mostly given; refused and withdrawn keep a pupil out of the run.
CONSENT = ("given", "given", "given", "requested", "not_requested", "refused", "withdrawn")
NO_CONSENT = (CONSENT_CODES["refused"], CONSENT_CODES["withdrawn"])


def week(n: int) -> tuple[date, date]:
    start = MONDAY + timedelta(weeks=n)
    return start, start + timedelta(days=4)


@st.composite
def pupil_rows(draw: st.DrawFn, pid: int, n_opp: int) -> PupilRow:
    flags = {f: draw(st.booleans()) if draw(st.integers(0, 3)) == 0 else False for f in FLAG_NAMES}
    weeks = draw(st.lists(st.integers(0, 2), min_size=1, max_size=2, unique=True))
    apps = draw(st.lists(st.integers(1, n_opp + 1), max_size=n_opp + 1, unique=True))
    return PupilRow(
        pupil_id=pid,
        la_code=draw(st.sampled_from(LA)),
        year_group=10,
        date_of_birth=MONDAY - timedelta(days=draw(st.integers(13 * 365, 17 * 365))),
        easting=draw(st.integers(0, 12_000)),
        northing=draw(st.integers(0, 12_000)),
        max_travel_minutes=draw(st.sampled_from([20, 45, 60])),
        windows=tuple(week(w) for w in weeks),
        applications=tuple(10 * a for a in apps),  # id 10*(n_opp+1) is unknown
        sector_interests=tuple(draw(st.lists(st.integers(0, 3), max_size=2, unique=True))),
        needs_step_free=draw(st.integers(0, 4)) == 0,
        consent=draw(st.sampled_from(CONSENT)),
        **flags,
    )


@st.composite
def opportunity_rows(draw: st.DrawFn, oid: int) -> OpportunityRow:
    start, end = week(draw(st.integers(0, 2)))
    valid = end + timedelta(days=30)
    return OpportunityRow(
        opportunity_id=oid,
        capacity=draw(st.integers(1, 3)),
        seats_taken=draw(st.sampled_from([0, 0, 0, 1])),
        start=start,
        end=end,
        min_age=draw(st.sampled_from([14, 14, 15, 16])),
        easting=draw(st.integers(0, 12_000)),
        northing=draw(st.integers(0, 12_000)),
        sector_id=draw(st.integers(0, 3)),
        la_code=draw(st.sampled_from(LA)),
        insurance_valid_until=draw(st.sampled_from([valid, valid, valid, None, end - timedelta(1)])),
        risk_assessment_valid_until=draw(st.sampled_from([valid, valid, valid, None])),
        step_free=draw(st.booleans()),
        mode=draw(st.sampled_from(["in_person", "in_person", "hybrid", "virtual"])),
        is_growth_sector=draw(st.booleans()),
        published=draw(st.integers(0, 9)) > 0,
    )


@st.composite
def instances(
    draw: st.DrawFn,
    max_pupils: int = 8,
    max_opps: int = 5,
    suggestions: bool = True,
    policy_name: str = "stable",
) -> MatchInput:
    n_opp = draw(st.integers(1, max_opps))
    n_pupils = draw(st.integers(1, max_pupils))
    opps = [draw(opportunity_rows(10 * (i + 1))) for i in range(n_opp)]
    pupils = [draw(pupil_rows(i + 1, n_opp)) for i in range(n_pupils)]
    policy = Policy(
        name=policy_name,  # type: ignore[arg-type]
        secondary_key=draw(st.sampled_from(["sector_fit", "travel_band", "none"])),
        min_list_length=draw(st.integers(0, 3)) if suggestions else 0,
        vacancy_round=draw(st.booleans()) if suggestions else False,
        vacancy_suggestions=2,
        seed=draw(st.integers(0, 2**32)),
    )
    return build_input(pupils, opps, policy)


# ---- independent checks, written plainly against dates ----


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def failure(data: MatchInput, p: int, o: int) -> str | None:
    """Name of the first failed rule for pupil index p, opportunity index o."""
    PT, OT = data.pupils, data.opportunities
    start = date.fromordinal(int(OT.start_day[o]))
    end = date.fromordinal(int(OT.end_day[o]))
    virtual = int(OT.mode[o]) == 2
    if not OT.published[o]:
        return "NOT_PUBLISHED"
    if OT.insurance_valid_until[o] < 0 or date.fromordinal(int(OT.insurance_valid_until[o])) < end:
        return "NO_INSURANCE"
    risk = int(OT.risk_assessment_valid_until[o])
    if risk < 0 or date.fromordinal(risk) < end:
        return "NO_RISK_ASSESSMENT"
    minutes = float(
        estimate_travel_minutes(
            [PT.easting[p]], [PT.northing[p]], [OT.easting[o]], [OT.northing[o]], [virtual],
            data.policy.travel,
        )[0]
    )  # fmt: skip
    if minutes > PT.max_travel_minutes[p]:
        return "TOO_FAR"
    windows = range(int(PT.window_ptr[p]), int(PT.window_ptr[p + 1]))
    if not any(PT.window_start[w] <= OT.end_day[o] and PT.window_end[w] >= OT.start_day[o] for w in windows):
        return "DATES"
    if age_on(date.fromordinal(int(PT.birth_day[p])), start) < OT.min_age[o]:
        return "TOO_YOUNG"
    if PT.needs_step_free[p] and not OT.step_free[o] and not virtual:
        return "NO_STEP_FREE"
    return None


def own_eligible(data: MatchInput, p: int) -> list[int]:
    """Pupil p's eligible applications as opportunity indices, in rank order
    (none without a parent's or carer's consent)."""
    PT, OT = data.pupils, data.opportunities
    if PT.consent[p] in NO_CONSENT:
        return []
    index = {int(x): i for i, x in enumerate(OT.opportunity_id)}
    out: list[int] = []
    for a in PT.application_opportunity_id[PT.application_ptr[p] : PT.application_ptr[p + 1]]:
        o = index.get(int(a))
        if o is not None and o not in out and failure(data, p, o) is None:
            out.append(o)
    return out[: data.policy.max_list_length]


def priority(data: MatchInput, result: MatchResult, p: int, o: int) -> tuple[int, int, int]:
    """The opportunity's order over pupils, rebuilt from the policy (lower is better)."""
    PT, OT, policy = data.pupils, data.opportunities, data.policy
    if policy.secondary_key == "sector_fit":
        interests = PT.interest_sector[PT.interest_ptr[p] : PT.interest_ptr[p + 1]]
        second = 0 if OT.sector_id[o] in interests else 1
    elif policy.secondary_key == "travel_band":
        minutes = estimate_travel_minutes(
            [PT.easting[p]], [PT.northing[p]], [OT.easting[o]], [OT.northing[o]], [OT.mode[o] == 2],
            policy.travel,
        )[0]  # fmt: skip
        second = int(minutes // policy.travel_band_minutes)
    else:
        second = 0
    tier = len(policy.priority_tiers)
    for t, group in enumerate(policy.priority_tiers):
        if any(PT.flag(f)[p] for f in group):
            tier = t
            break
    return tier, second, int(result.lottery[p])


def holders(result: MatchResult, data: MatchInput, o: int) -> list[int]:
    """Pupils placed at opportunity index o in this run (not approved before)."""
    oid = data.opportunities.opportunity_id[o]
    return [
        i for i in range(len(result.pupil_id)) if result.opportunity_id[i] == oid and result.source[i] != 4
    ]


def several_flags_contest() -> MatchInput:
    """Two pupils for one seat: one care-experienced young carer (first tier),
    one on free school meals (second tier). Kept as an explicit example: the
    pupil with several flags must be ranked by the highest of them."""
    start, end = week(0)
    valid = end + timedelta(days=30)
    seat = OpportunityRow(
        opportunity_id=10, capacity=1, start=start, end=end, min_age=14, easting=5_000, northing=5_000,
        sector_id=0, la_code=LA[0], insurance_valid_until=valid, risk_assessment_valid_until=valid,
    )  # fmt: skip
    common = dict(
        la_code=LA[0], year_group=10, date_of_birth=date(2011, 1, 1), easting=5_000, northing=5_000,
        max_travel_minutes=45, windows=(week(0),), applications=(10,),
    )  # fmt: skip
    pupils = [
        PupilRow(pupil_id=1, fsm_or_pupil_premium=True, **common),  # type: ignore[arg-type]
        PupilRow(pupil_id=2, care_experienced=True, young_carer=True, **common),  # type: ignore[arg-type]
    ]
    # Seed 0 draws pupil 1 first in the lottery: only the tier can put pupil 2 ahead.
    policy = Policy(min_list_length=0, vacancy_round=False, seed=0)
    return build_input(pupils, [seat], policy)


def cohort(seed: int, n_pupils: int = 400, n_opps: int = 40, policy_name: str = "stable") -> MatchInput:
    """A crowded cohort: many flagged pupils, few seats close together, so most
    explanations are about places that went to someone else."""
    rng = random.Random(seed)
    opps = [
        OpportunityRow(
            opportunity_id=10 * (i + 1),
            capacity=rng.randint(1, 2),
            start=week(0)[0],
            end=week(0)[1],
            min_age=rng.choice([14, 14, 15]),
            easting=rng.randint(0, 8_000),
            northing=rng.randint(0, 8_000),
            sector_id=rng.randint(0, 3),
            la_code=LA[i % 2],
            insurance_valid_until=week(8)[1],
            risk_assessment_valid_until=week(8)[1],
            mode=rng.choice(["in_person", "in_person", "virtual"]),
        )
        for i in range(n_opps)
    ]
    pupils = [
        PupilRow(
            pupil_id=p + 1,
            la_code=LA[p % 2],
            year_group=10,
            date_of_birth=MONDAY - timedelta(days=rng.randint(14 * 365, 16 * 365)),
            easting=rng.randint(0, 8_000),
            northing=rng.randint(0, 8_000),
            max_travel_minutes=45,
            windows=(week(0),),
            applications=tuple(10 * o for o in rng.sample(range(1, n_opps + 1), 3)),
            sector_interests=(rng.randint(0, 3),),
            consent=rng.choice(CONSENT),
            **{f: rng.random() < 0.2 for f in FLAG_NAMES},
        )
        for p in range(n_pupils)
    ]
    return build_input(pupils, opps, Policy(name=policy_name, seed=seed))  # type: ignore[arg-type]
