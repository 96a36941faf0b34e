"""The demo's parental consent comes from a consent history recorded as schools record it."""

from __future__ import annotations

from collections import Counter

import pytest

from demo.loader import DemoSummary
from schools.models import ConsentRecord, ConsentStatus, Pupil, SchoolStaff
from schools.selectors import current_consent

pytestmark = pytest.mark.django_db
ANSWERS = (ConsentStatus.GIVEN, ConsentStatus.REFUSED)


def test_every_pupils_consent_is_the_latest_record_of_its_history(small_demo: DemoSummary) -> None:
    leaders = dict(SchoolStaff.objects.values_list("school_id", "user_id"))
    pupils = Pupil.objects.prefetch_related("consent_records")
    for pupil in pupils:
        history = list(pupil.consent_records.all())  # newest first
        if pupil.parental_consent == ConsentStatus.NOT_REQUESTED:
            assert history == [] and pupil.parental_consent_recorded_at is None
            continue
        assert current_consent(pupil=pupil) == pupil.parental_consent
        assert history[0].recorded_at == pupil.parental_consent_recorded_at
        assert history[-1].status == ConsentStatus.REQUESTED  # the school asked first
        assert {r.recorded_by_id for r in history} == {leaders[pupil.school_id]}
        if pupil.parental_consent in ANSWERS:
            answer, asked = history
            assert asked.recorded_at < answer.recorded_at
            assert answer.method and answer.parent_carer_name.strip()
        else:
            assert len(history) == 1 and history[0].method == "" and history[0].parent_carer_name == ""


def test_the_history_covers_the_whole_demo_in_plausible_shares(small_demo: DemoSummary) -> None:
    answered = Pupil.objects.filter(parental_consent__in=ANSWERS).count()
    waiting = Pupil.objects.filter(parental_consent=ConsentStatus.REQUESTED).count()
    assert ConsentRecord.objects.count() == 2 * answered + waiting
    methods = Counter(ConsentRecord.objects.filter(status__in=ANSWERS).values_list("method", flat=True))
    assert set(methods) == {"paper", "online", "email", "phone"}
    assert methods["paper"] > methods["phone"]
