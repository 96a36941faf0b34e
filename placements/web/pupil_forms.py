from __future__ import annotations

from typing import Any

from django import forms

from mobility.geography.models import Sector
from mobility.web_forms import RATINGS, DateField, GovukForm, radios, text_area
from placements.lifecycle.transitions import PupilDeclineReason

TRAVEL_CHOICES = [
    (15, "15 minutes"),
    (30, "30 minutes"),
    (45, "45 minutes"),
    (60, "1 hour"),
    (90, "1 hour 30 minutes"),
]


class SearchForm(GovukForm):
    sector = forms.ModelChoiceField(
        queryset=Sector.objects.all(), required=False, empty_label="Any sector", label="Sector"
    )
    starts_after = DateField(required=False, label="Starting on or after")
    ends_before = DateField(required=False, label="Ending on or before")
    max_minutes = forms.TypedChoiceField(
        choices=TRAVEL_CHOICES, coerce=int, required=False, label="Longest journey from home"
    )
    step_free = forms.BooleanField(required=False, label="Only workplaces with step-free access")
    show_all = forms.BooleanField(
        required=False,
        label="Also show placements I cannot apply for now",
        help_text="For example outside your work-experience dates, or after applications closed",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_after"), data.get("ends_before")
        if start and end and end < start:
            self.add_error("ends_before", "The end date must be the same as or after the start date")
        return data


class DeclineForm(GovukForm):
    reason = radios(
        PupilDeclineReason.choices, "Why are you saying no?", missing="Select why you are saying no"
    )
    note = text_area("Anything else you want to tell us (optional)")


class ReflectionForm(GovukForm):
    rating = radios(RATINGS, "How was your placement?", missing="Select how your placement was", coerce=int)
    comment = text_area(
        "What did you learn or enjoy?",
        missing="Write a few words about what you learned or enjoyed",
        max_length=2000,
        rows=5,
        help_text="A few sentences. Your school and the employer can read this.",
    )

    def __init__(self, *args: Any, young_person: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if young_person:
            self.fields[
                "comment"
            ].help_text = "A few sentences. Your youth worker and the employer can read this."
