"""Which priority tiers a match run uses: the run's own, else the configured default.

A new run stores the tiers it was made with (``match_run_create``), so its pages read back the
groups it used even after the setting changes; runs stored without any used the engine's default.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from placements.engine.policy import DEFAULT_TIERS, tiers_with_young_people

Tiers = tuple[tuple[str, ...], ...]


def configured_tiers() -> Tiers:
    """The default tiers with young people outside school placed as the settings say."""
    return tiers_with_young_people(DEFAULT_TIERS, settings.MOBILITY["YOUNG_PERSON_PRIORITY_TIER"])


def run_tiers(parameters: dict[str, Any] | None, default: Tiers = DEFAULT_TIERS) -> Tiers:
    """The tiers a run was made with (its stored parameters), else ``default``."""
    raw = (parameters or {}).get("priority_tiers")
    return tuple(tuple(t) for t in raw) if raw else default
