"""Row-at-a-time convenience builder (tests, small runs, admin previews).

Large runs should fill ``PupilTable``/``OpportunityTable`` columns directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from .inputs import CONSENT_CODES, MODE_CODES, MatchInput, OpportunityTable, PupilTable, day
from .policy import Policy


@dataclass(frozen=True)
class PupilRow:
    pupil_id: int
    la_code: str
    year_group: int
    date_of_birth: date
    easting: int
    northing: int
    max_travel_minutes: int
    windows: tuple[tuple[date, date], ...]
    applications: tuple[int, ...] = ()  # opportunity ids, first choice first
    sector_interests: tuple[int, ...] = ()
    needs_step_free: bool = False
    care_experienced: bool = False
    fsm_or_pupil_premium: bool = False
    send: bool = False
    young_carer: bool = False
    at_risk_of_neet: bool = False
    approved_opportunity_id: int | None = None
    consent: str = "not_requested"  # a key of ``CONSENT_CODES``
    young_person: bool = False  # registered by a youth service, not a school


@dataclass(frozen=True)
class OpportunityRow:
    opportunity_id: int
    capacity: int
    start: date
    end: date
    min_age: int
    easting: int
    northing: int
    sector_id: int
    la_code: str
    insurance_valid_until: date | None
    risk_assessment_valid_until: date | None
    seats_taken: int = 0
    step_free: bool = False
    mode: str = "in_person"
    is_growth_sector: bool = False
    published: bool = True


def _csr(lists: Sequence[Sequence[int]]) -> tuple[list[int], list[int]]:
    ptr = [0]
    values: list[int] = []
    for items in lists:
        values.extend(items)
        ptr.append(len(values))
    return ptr, values


def build_input(
    pupils: Sequence[PupilRow],
    opportunities: Sequence[OpportunityRow],
    policy: Policy | None = None,
) -> MatchInput:
    ps = sorted(pupils, key=lambda r: r.pupil_id)
    os_ = sorted(opportunities, key=lambda r: r.opportunity_id)
    interest_ptr, interest = _csr([r.sector_interests for r in ps])
    window_ptr, _ = _csr([list(range(len(r.windows))) for r in ps])
    app_ptr, apps = _csr([r.applications for r in ps])
    pupil_table = PupilTable(
        pupil_id=np.array([r.pupil_id for r in ps]),
        la_code=np.array([r.la_code for r in ps], dtype=str),
        year_group=np.array([r.year_group for r in ps]),
        birth_day=np.array([day(r.date_of_birth) for r in ps]),
        easting=np.array([r.easting for r in ps]),
        northing=np.array([r.northing for r in ps]),
        max_travel_minutes=np.array([r.max_travel_minutes for r in ps]),
        needs_step_free=np.array([r.needs_step_free for r in ps]),
        care_experienced=np.array([r.care_experienced for r in ps]),
        fsm_or_pupil_premium=np.array([r.fsm_or_pupil_premium for r in ps]),
        send=np.array([r.send for r in ps]),
        young_carer=np.array([r.young_carer for r in ps]),
        at_risk_of_neet=np.array([r.at_risk_of_neet for r in ps]),
        approved_opportunity_id=np.array(
            [-1 if r.approved_opportunity_id is None else r.approved_opportunity_id for r in ps]
        ),
        interest_ptr=np.array(interest_ptr),
        interest_sector=np.array(interest),
        window_ptr=np.array(window_ptr),
        window_start=np.array([day(s) for r in ps for s, _ in r.windows]),
        window_end=np.array([day(e) for r in ps for _, e in r.windows]),
        application_ptr=np.array(app_ptr),
        application_opportunity_id=np.array(apps),
        consent=np.array([CONSENT_CODES[r.consent] for r in ps], dtype=np.int8),
        young_person=np.array([r.young_person for r in ps], dtype=bool),
    )
    opportunity_table = OpportunityTable(
        opportunity_id=np.array([r.opportunity_id for r in os_]),
        capacity=np.array([r.capacity for r in os_]),
        seats_taken=np.array([r.seats_taken for r in os_]),
        start_day=np.array([day(r.start) for r in os_]),
        end_day=np.array([day(r.end) for r in os_]),
        min_age=np.array([r.min_age for r in os_]),
        easting=np.array([r.easting for r in os_]),
        northing=np.array([r.northing for r in os_]),
        step_free=np.array([r.step_free for r in os_]),
        mode=np.array([MODE_CODES[r.mode] for r in os_]),
        sector_id=np.array([r.sector_id for r in os_]),
        is_growth_sector=np.array([r.is_growth_sector for r in os_]),
        la_code=np.array([r.la_code for r in os_], dtype=str),
        published=np.array([r.published for r in os_]),
        insurance_valid_until=np.array([day(r.insurance_valid_until) for r in os_]),
        risk_assessment_valid_until=np.array([day(r.risk_assessment_valid_until) for r in os_]),
    )
    return MatchInput(pupil_table, opportunity_table, policy or Policy())
