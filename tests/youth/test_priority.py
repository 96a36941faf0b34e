"""Young people outside school are a priority tier of their own (where is a setting), in the
policy a run is built with, in the snapshot the engine reads, and in the engine's ranking."""

from __future__ import annotations

import numpy as np
import pytest
from django.test import override_settings
from django.utils import timezone

from mobility.geography.models import Region
from placements.engine import Policy, run_match
from placements.engine.policy import DEFAULT_TIERS, tiers_with_young_people
from placements.engine.preferences import priorities
from placements.matching.selectors import match_input_build, pupil_table_build
from placements.matching.services import policy_build
from placements.priority import configured_tiers
from tests import factories as f

pytestmark = pytest.mark.django_db
YOUNG = ("young_person",)


def _settings(position: int | None) -> override_settings:
    from django.conf import settings

    return override_settings(MOBILITY={**settings.MOBILITY, "YOUNG_PERSON_PRIORITY_TIER": position})


def test_tiers_with_young_people_at_a_position() -> None:
    assert tiers_with_young_people(DEFAULT_TIERS, 0) == (YOUNG, *DEFAULT_TIERS)
    assert tiers_with_young_people(DEFAULT_TIERS, 1)[1] == YOUNG
    assert tiers_with_young_people(DEFAULT_TIERS, 99)[-1] == YOUNG
    assert tiers_with_young_people(DEFAULT_TIERS, None) == DEFAULT_TIERS
    # Moving the tier never leaves a second copy behind.
    moved = tiers_with_young_people(tiers_with_young_people(DEFAULT_TIERS, 0), 2)
    assert [t for t in moved if "young_person" in t] == [YOUNG] and moved[2] == YOUNG


def test_default_is_after_care_experienced_and_configurable() -> None:
    assert configured_tiers()[1] == YOUNG
    assert policy_build(name="stable", seed=1, parameters={}).priority_tiers[1] == YOUNG
    with _settings(0):
        assert policy_build(name="stable", seed=1, parameters={}).priority_tiers[0] == YOUNG
    with _settings(None):
        assert "young_person" not in {flag for tier in configured_tiers() for flag in tier}
    # A run's own tiers win over the setting.
    own = policy_build(name="stable", seed=1, parameters={"priority_tiers": [["send"]]})
    assert own.priority_tiers == (("send",),)


def test_snapshot_marks_young_people_and_reads_their_own_windows(lcr_region: Region) -> None:
    la = lcr_region.local_authorities.get(code="E08000012")
    school = f.SchoolFactory.create(local_authority=la)
    f.WindowFactory.create(school=school)
    pupil = f.PupilFactory.create(school=school)
    service = f.YouthServiceFactory.create(local_authority=la)
    young = f.YoungPersonFactory.create(school=service)
    f.OwnWindowFactory.create(pupil=young)
    later = f.WINDOW_START.replace(year=f.WINDOW_START.year + 1)
    f.OwnWindowFactory.create(pupil=young, starts_on=later, ends_on=later, application_deadline=None)
    # Registered but with no dates yet: not in the run.
    f.YoungPersonFactory.create(school=service)

    table = pupil_table_build(region=lcr_region, as_of=timezone.localdate())

    assert table.pupil_id.tolist() == sorted([pupil.pk, young.pk])
    i, j = table.pupil_id.tolist().index(pupil.pk), table.pupil_id.tolist().index(young.pk)
    assert table.young_person.tolist()[i] is False and table.young_person.tolist()[j] is True
    windows = [
        table.window_start[table.window_ptr[k] : table.window_ptr[k + 1]].tolist() for k in range(len(table))
    ]
    assert windows[i] == [f.WINDOW_START.toordinal()]
    assert windows[j] == [f.WINDOW_START.toordinal(), later.toordinal()]


def test_engine_ranks_a_young_person_first_for_the_last_seat(lcr_region: Region) -> None:
    la = lcr_region.local_authorities.get(code="E08000012")
    school = f.SchoolFactory.create(local_authority=la)
    f.WindowFactory.create(school=school)
    service = f.YouthServiceFactory.create(local_authority=la)
    opportunity = f.OpportunityFactory.create(capacity=1, minimum_age=14)
    f.ComplianceFactory.create(employer=opportunity.employer)
    pupils = [f.PupilFactory.create(school=school) for _ in range(3)]
    young = f.YoungPersonFactory.create(school=service)
    f.OwnWindowFactory.create(pupil=young)
    for p in [*pupils, young]:
        f.ApplicationFactory.create(pupil=p, opportunity=opportunity)

    for seed in range(4):
        policy = policy_build(name="stable", seed=seed, parameters={"vacancy_round": False})
        data = match_input_build(region=lcr_region, policy=policy, as_of=timezone.localdate())
        tier = priorities(data.pupils, data.policy, data.opportunities).tier
        assert tier[data.pupils.pupil_id == young.pk].tolist() == [1]
        assert set(tier[data.pupils.pupil_id != young.pk].tolist()) == {len(policy.priority_tiers)}
        result = run_match(data)
        placed = result.pupil_id[np.asarray(result.opportunity_id) == opportunity.pk]
        assert placed.tolist() == [young.pk], seed


def test_without_a_tier_of_their_own_the_lottery_decides(lcr_region: Region) -> None:
    la = lcr_region.local_authorities.get(code="E08000012")
    service = f.YouthServiceFactory.create(local_authority=la)
    young = f.YoungPersonFactory.create(school=service)
    f.OwnWindowFactory.create(pupil=young)
    with _settings(None):
        policy = policy_build(name="stable", seed=1, parameters={})
    data = match_input_build(region=lcr_region, policy=policy, as_of=timezone.localdate())
    tier = priorities(data.pupils, data.policy, data.opportunities).tier
    assert tier.tolist() == [len(policy.priority_tiers)]
    assert isinstance(policy, Policy)
