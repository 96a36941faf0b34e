"""The engine keeps its own list of priority flags (it imports no Django); it must name the
same flags as the pupil model, or a flag would silently stop giving priority. Besides the
disadvantage flags it has ``young_person``, which the pupil record derives from its cohort."""

from django.db import models

from placements.engine.policy import DEFAULT_TIERS, FLAG_NAMES
from placements.priority import configured_tiers
from schools.models import DISADVANTAGE_FLAGS, Cohort, Pupil

DERIVED = ("young_person",)


def test_engine_flags_are_the_pupil_model_flags() -> None:
    assert set(FLAG_NAMES) == set(DISADVANTAGE_FLAGS) | set(DERIVED)
    assert len(FLAG_NAMES) == len(DISADVANTAGE_FLAGS) + len(DERIVED)


def test_every_flag_is_a_boolean_field_of_the_pupil() -> None:
    for flag in DISADVANTAGE_FLAGS:
        field = Pupil._meta.get_field(flag)
        assert isinstance(field, models.Field) and field.get_internal_type() == "BooleanField"


def test_derived_flags_are_pupil_properties() -> None:
    assert Pupil(cohort=Cohort.NEET).young_person is True
    assert Pupil(cohort=Cohort.SCHOOL_PUPIL).young_person is False


def test_every_flag_has_a_priority_tier() -> None:
    assert {flag for tier in DEFAULT_TIERS for flag in tier} == set(DISADVANTAGE_FLAGS)
    assert {flag for tier in configured_tiers() for flag in tier} == set(FLAG_NAMES)
