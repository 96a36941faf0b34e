"""A self-found placement counts for Benchmark 6 and is never offered to anyone else."""

from __future__ import annotations

from employers.models import ComplianceRecord, Opportunity
from employers.selectors import opportunities_for_user
from employers.services import compliance_verify
from placements.lifecycle import services as lifecycle
from placements.lifecycle.refill import current_run, opportunity_refill
from placements.matching.selectors import opportunity_table_build, pupil_table_build
from placements.models import MatchStatus, UnplacedPupil
from placements.web.pupil_selectors import latest_unplaced, opportunity_search
from placements.web.school_selectors import benchmark6
from schools.models import ConsentStatus
from schools.services import pupil_consent_record
from tests import factories as f

from .conftest import Found


def _confirmed(found: Found) -> Opportunity:
    proposal = found.approved()
    assert proposal.opportunity is not None and proposal.match is not None
    record = ComplianceRecord.objects.get(employer=proposal.opportunity.employer)
    compliance_verify(record=record, actor=found.adviser.user, note="Certificate seen.")
    lifecycle.match_approve(match_id=proposal.match.pk, actor=found.adviser.user)
    pupil_consent_record(pupil=found.pupil, status=ConsentStatus.GIVEN, actor=found.staff.user)
    proposal.match.refresh_from_db()
    assert proposal.match.status == MatchStatus.CONFIRMED
    return proposal.opportunity


def _year10(found: Found) -> tuple[int | None, int | None]:
    row = next(r for r in benchmark6(school=found.school, reveal=True) if r.year_group == 10)
    return row.everyone.with_experience.value, row.everyone.pupils.value


def test_benchmark_6_counts_a_confirmed_self_found_placement(found: Found) -> None:
    f.PupilFactory.create(school=found.school)  # a classmate with no placement
    assert _year10(found) == (0, 2)
    _confirmed(found)
    assert _year10(found) == (1, 2)


def test_the_reserved_opportunity_is_not_offered_to_another_pupil(found: Found) -> None:
    opportunity = _confirmed(found)
    other = f.PupilFactory.create(school=found.school)
    assert not opportunities_for_user(user=other.user).filter(pk=opportunity.pk).exists()
    published = f.OpportunityFactory.create(site__postcode="L1 4DS")  # next door, open to all
    rows = opportunity_search(user=other.user, pupil=other, today=f.TODAY, show_all=True, max_minutes=120)
    found_ids = {row.opportunity_id for row in rows}
    assert published.pk in found_ids and opportunity.pk not in found_ids
    region = found.school.local_authority.region
    pupils = pupil_table_build(region=region, as_of=f.TODAY)
    table = opportunity_table_build(region=region, pupils=pupils, as_of=f.TODAY)
    # In a run only as the placement its pupil holds: unpublished, so no one else is matched to it.
    ids = list(table.opportunity_id)
    if opportunity.pk in ids:
        assert not table.published[ids.index(opportunity.pk)]


def test_a_freed_reserved_seat_is_not_refilled(found: Found) -> None:
    opportunity = _confirmed(found)
    other = f.PupilFactory.create(school=found.school)
    f.ApplicationFactory.create(pupil=other, opportunity=f.OpportunityFactory.create())
    match = found.pupil.matches.get(opportunity=opportunity)
    lifecycle.match_cancel(match_id=match.pk, actor=found.staff.user, reason="pupil_withdrew")
    assert opportunity_refill(opportunity_id=opportunity.pk) == []


def test_a_self_found_run_does_not_hide_why_others_were_unplaced(found: Found) -> None:
    other = f.PupilFactory.create(school=found.school)
    run = f.MatchRunFactory.create(region=found.school.local_authority.region)
    UnplacedPupil.objects.create(run=run, pupil=other, reason="no_reach", explanation="Nothing within reach.")
    found.approved()
    assert current_run(region_id=run.region_id) == run
    unplaced = latest_unplaced(user=other.user)
    assert unplaced is not None and unplaced.run == run
