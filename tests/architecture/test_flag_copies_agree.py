"""The engine keeps its own list of disadvantage flags (it imports no Django); it must name the
same flags as the pupil model, or a flag would silently stop giving priority."""

from django.db import models

from placements.engine.policy import DEFAULT_TIERS, FLAG_NAMES
from schools.models import DISADVANTAGE_FLAGS, Pupil


def test_engine_flags_are_the_pupil_model_flags() -> None:
    assert set(FLAG_NAMES) == set(DISADVANTAGE_FLAGS)
    assert len(FLAG_NAMES) == len(DISADVANTAGE_FLAGS)


def test_every_flag_is_a_boolean_field_of_the_pupil() -> None:
    for flag in DISADVANTAGE_FLAGS:
        field = Pupil._meta.get_field(flag)
        assert isinstance(field, models.Field) and field.get_internal_type() == "BooleanField"


def test_every_flag_has_a_priority_tier() -> None:
    tiered = {flag for tier in DEFAULT_TIERS for flag in tier}
    assert tiered == set(DISADVANTAGE_FLAGS)
