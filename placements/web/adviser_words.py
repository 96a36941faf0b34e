"""The adviser's words for codes a run stores: priority groups, policies, how a match was chosen.

Advisers may see a pupil's priority group; pupils' own pages never show it.
"""

from __future__ import annotations

from placements.engine.policy import FLAG_WORDS
from placements.models import Match, MatchRun
from placements.priority import run_tiers as tiers_of

POLICY_WORDS = {
    MatchRun.Policy.STABLE: "Stable matching (fair to pupils' choices)",
    MatchRun.Policy.MAX_COVERAGE: "Most pupils placed (comparison only)",
}


def run_tiers(run: MatchRun) -> tuple[tuple[str, ...], ...]:
    return tiers_of(run.parameters)


def group_words(tier: int, tiers: tuple[tuple[str, ...], ...]) -> str:
    if tier >= len(tiers):
        return "No priority group"
    return "Priority group: " + " or ".join(FLAG_WORDS.get(flag, flag) for flag in tiers[tier])


def policy_words(run: MatchRun) -> str:
    if (run.parameters or {}).get("refill"):
        return "Re-offer of a freed place"
    if (run.parameters or {}).get("self_found"):
        return "A placement the pupil found, checked by the school"
    words = POLICY_WORDS.get(MatchRun.Policy(run.policy), run.policy)
    return f"{words}, what-if" if run.what_if and run.policy == MatchRun.Policy.STABLE else words


def how_chosen(match: Match) -> str:
    if match.is_suggestion:
        return "Suggested: not on the pupil's list, but fits their dates and travel time"
    if match.rank == 1:
        return "The pupil's first choice"
    if match.rank:
        return f"The pupil's choice {match.rank}"
    return "Offered a freed place the pupil applied for"
