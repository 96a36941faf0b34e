"""A pupil's explanation says nothing about other pupils' priority groups."""

from __future__ import annotations

import re

import pytest

from placements.engine import FLAG_NAMES, Reason, run_match

from .instances import cohort

# Ways a text could name each group (besides the engine's own tier words).
GROUP_PHRASES = {
    "care_experienced": [r"care-experienced", r"\bin care\b", r"looked[- ]after", r"care leaver"],
    "fsm_or_pupil_premium": [r"free school meals", r"pupil premium", r"\bFSM\b"],
    "send": [r"\bSEND\b", r"special educational", r"disabilit"],
    "young_carer": [r"young carer"],
    "at_risk_of_neet": [r"\bNEET\b", r"not in education"],
    "young_person": [r"outside school", r"youth service", r"care leaver"],
}


def mentions(text: str, flag: str) -> bool:
    return any(
        re.search(phrase, text, re.IGNORECASE if phrase.islower() else 0) for phrase in GROUP_PHRASES[flag]
    )


@pytest.mark.parametrize("policy_name", ["stable", "max-coverage"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_explanation_mentions_a_group_the_pupil_is_not_in(policy_name: str, seed: int) -> None:
    data = cohort(seed, policy_name=policy_name)
    result = run_match(data)
    tier_words = set(result.tier_words)
    filled = 0
    for p in range(len(data.pupils)):
        text = result.reason_text(p)
        filled += int(result.reason_code[p]) == Reason.FILLED
        own = {f for f in FLAG_NAMES if data.pupils.flag(f)[p]}
        for flag in set(FLAG_NAMES) - own:
            assert not mentions(text, flag), (p, flag, text)
        for words in tier_words - {result.tier_words[int(result.tier[p])]}:
            assert words not in text, (p, words, text)
    assert filled > 50  # the cohort is crowded enough to test the wording that matters


def test_the_check_would_see_a_group_named() -> None:
    assert mentions(
        "Your first choice was filled by pupils with higher priority: care-experienced.", "care_experienced"
    )
    assert mentions("... higher priority: free school meals or pupil premium", "fsm_or_pupil_premium")
    assert mentions("SEND / young carer / at risk of NEET", "send")
    assert not mentions("Your parent or carer's consent is not in place", "young_carer")
