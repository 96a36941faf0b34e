"""Synthetic match-run instances, deterministic by seed.

city:     17,000 pupils,  6,000 opportunities, lists of 10-20 (~250k pairs)
national: 650,000 pupils, 220,000 opportunities (~10M pairs)

Pupils and opportunities cluster around towns; pupils mostly apply to
opportunities in their own town during their own work-experience week, with
a popularity skew so that some opportunities are heavily oversubscribed,
plus some applications that fail eligibility (other weeks, too far, ...).

    python bench/generate.py --size city --seed 1   # prints a summary
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import fields
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from placements.engine import MatchInput, OpportunityTable, Policy, PupilTable

SIZES = {
    # pupils, opportunities, towns, bounding box (easting, northing) in metres
    "city": (17_000, 6_000, 12, (320_000, 375_000, 365_000, 420_000)),
    "national": (650_000, 220_000, 400, (150_000, 20_000, 650_000, 1_000_000)),
}
LCR_LA = ["E08000012", "E08000011", "E08000014", "E08000013", "E08000015", "E06000006"]
WEEKS = 6
SECTORS = 20
GROWTH_SECTORS = 7  # sector ids below this are regional growth sectors


def generate(size: str, seed: int = 1, policy: Policy | None = None) -> MatchInput:
    n_pupils, n_opp, n_towns, (e0, n0, e1, n1) = SIZES[size]
    rng = np.random.default_rng(seed)
    town_e = rng.integers(e0, e1, n_towns)
    town_n = rng.integers(n0, n1, n_towns)
    town_weight = rng.pareto(1.2, n_towns) + 1.0
    town_weight /= town_weight.sum()
    if size == "city":
        town_la = np.array([LCR_LA[t % len(LCR_LA)] for t in range(n_towns)])
    else:
        town_la = np.array([f"E{t:08d}" for t in range(n_towns)])
    first_week = date(2026, 6, 1).toordinal()

    # Opportunities, sorted by (town, week) so each group is a contiguous range.
    o_town = rng.choice(n_towns, n_opp, p=town_weight)
    o_week = rng.integers(0, WEEKS, n_opp)
    order = np.lexsort((rng.random(n_opp), o_week, o_town))
    o_town, o_week = o_town[order], o_week[order]
    o_start = first_week + 7 * o_week
    o_sector = rng.integers(0, SECTORS, n_opp)
    mode = rng.choice(3, n_opp, p=[0.85, 0.10, 0.05])
    doc_end = o_start + 4 + 365
    insurance = np.where(rng.random(n_opp) < 0.02, -1, doc_end)
    insurance = np.where(rng.random(n_opp) < 0.02, o_start - 30, insurance)
    risk = np.where(rng.random(n_opp) < 0.03, -1, doc_end)
    capacity = rng.integers(1, 6, n_opp)
    opportunities = OpportunityTable(
        opportunity_id=np.arange(1, n_opp + 1) * 3,
        capacity=capacity.astype(np.int32),
        seats_taken=np.where(rng.random(n_opp) < 0.05, 1, 0),
        start_day=o_start.astype(np.int32),
        end_day=(o_start + 4).astype(np.int32),
        min_age=np.where(rng.random(n_opp) < 0.8, 14, 16),
        easting=(town_e[o_town] + rng.normal(0, 2500, n_opp).astype(np.int64)).astype(np.int32),
        northing=(town_n[o_town] + rng.normal(0, 2500, n_opp).astype(np.int64)).astype(np.int32),
        step_free=rng.random(n_opp) < 0.6,
        mode=mode.astype(np.int8),
        sector_id=o_sector.astype(np.int32),
        is_growth_sector=o_sector < GROWTH_SECTORS,
        la_code=town_la[o_town],
        published=rng.random(n_opp) < 0.97,
        insurance_valid_until=insurance,
        risk_assessment_valid_until=risk,
    )
    group = o_town * WEEKS + o_week
    g_start = np.searchsorted(group, np.arange(n_towns * WEEKS))
    g_size = np.diff(np.append(g_start, n_opp))

    # Pupils.
    p_town = rng.choice(n_towns, n_pupils, p=town_weight)
    p_week = rng.integers(0, WEEKS, n_pupils)
    year12 = rng.random(n_pupils) < 0.3
    age = np.where(year12, 16, 14) + rng.integers(0, 365, n_pupils) / 365.0
    birth = (first_week - age * 365.25).astype(np.int64)
    two = rng.random(n_pupils) < 0.1
    windows = 1 + two
    window_ptr = np.concatenate([[0], np.cumsum(windows)])
    w_owner = np.repeat(np.arange(n_pupils), windows)
    w_second = np.arange(len(w_owner)) - window_ptr[w_owner]
    w_week = (p_week[w_owner] + 2 * w_second) % WEEKS
    interests = rng.integers(1, 4, n_pupils)
    interest_ptr = np.concatenate([[0], np.cumsum(interests)])

    # Applications: 10-20 each, mostly own town and week, skewed to popular ones.
    k = rng.integers(10, 21, n_pupils)
    a_owner = np.repeat(np.arange(n_pupils), k)
    stray = rng.random(len(a_owner)) < 0.1
    week = np.where(stray, rng.integers(0, WEEKS, len(a_owner)), p_week[a_owner])
    g = p_town[a_owner] * WEEKS + week
    pick = g_start[g] + (g_size[g] * rng.random(len(a_owner)) ** 2).astype(np.int64)
    valid = g_size[g] > 0
    a_owner, pick = a_owner[valid], pick[valid]
    _, first = np.unique(a_owner * n_opp + pick, return_index=True)
    first.sort()
    a_owner, pick = a_owner[first], pick[first]
    app_ptr = np.concatenate([[0], np.cumsum(np.bincount(a_owner, minlength=n_pupils))])

    flags = rng.random((5, n_pupils)) < np.array([[0.01], [0.25], [0.12], [0.03], [0.05]])
    pupils = PupilTable(
        pupil_id=np.arange(1, n_pupils + 1) * 7,
        la_code=town_la[p_town],
        year_group=np.where(year12, 12, 10),
        birth_day=birth.astype(np.int32),
        easting=(town_e[p_town] + rng.normal(0, 3000, n_pupils).astype(np.int64)).astype(np.int32),
        northing=(town_n[p_town] + rng.normal(0, 3000, n_pupils).astype(np.int64)).astype(np.int32),
        max_travel_minutes=rng.choice([30, 45, 60], n_pupils, p=[0.15, 0.5, 0.35]),
        needs_step_free=rng.random(n_pupils) < 0.02,
        care_experienced=flags[0],
        fsm_or_pupil_premium=flags[1],
        send=flags[2],
        young_carer=flags[3],
        at_risk_of_neet=flags[4],
        approved_opportunity_id=np.full(n_pupils, -1),
        interest_ptr=interest_ptr,
        interest_sector=rng.integers(0, SECTORS, int(interest_ptr[-1])).astype(np.int32),
        window_ptr=window_ptr,
        window_start=first_week + 7 * w_week,
        window_end=first_week + 7 * w_week + 4,
        application_ptr=app_ptr,
        application_opportunity_id=opportunities.opportunity_id[pick],
    )
    return MatchInput(pupils, opportunities, policy or Policy(seed=seed))


def save(data: MatchInput, path: Path) -> None:
    arrays = {f"pupils.{f.name}": getattr(data.pupils, f.name) for f in fields(data.pupils)}
    arrays |= {
        f"opportunities.{f.name}": getattr(data.opportunities, f.name) for f in fields(data.opportunities)
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, **arrays)


def load(path: Path, policy: Policy) -> MatchInput:
    with np.load(path) as z:
        # Columns added since the file was saved keep their defaults.
        pupils = PupilTable(
            **{f.name: z[f"pupils.{f.name}"] for f in fields(PupilTable) if f"pupils.{f.name}" in z}
        )
        opportunities = OpportunityTable(
            **{
                f.name: z[f"opportunities.{f.name}"]
                for f in fields(OpportunityTable)
                if f"opportunities.{f.name}" in z
            }
        )
    return MatchInput(pupils, opportunities, policy)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", choices=sorted(SIZES), default="city")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="save the instance as .npz")
    args = parser.parse_args()
    t = time.perf_counter()
    data = generate(args.size, args.seed)
    if args.out:
        save(data, args.out)
    print(f"size={args.size} seed={args.seed}")
    print(f"pupils={len(data.pupils)} opportunities={len(data.opportunities)}")
    print(f"ranked pairs={len(data.pupils.application_opportunity_id)}")
    print(f"seats={int(data.opportunities.free_seats.sum())}")
    print(f"generated in {time.perf_counter() - t:.2f}s")


if __name__ == "__main__":
    main()
