from __future__ import annotations

from typing import Any

from django import forms

from mobility.geography.models import Sector
from mobility.web_forms import DateField, GovukForm, text_area
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
    reason = forms.ChoiceField(
        choices=PupilDeclineReason.choices,
        widget=forms.RadioSelect,
        label="Why are you saying no?",
        error_messages={"required": "Select why you are saying no"},
    )
    note = text_area("Anything else you want to tell us (optional)")


class ReflectionForm(GovukForm):
    rating = forms.TypedChoiceField(
        choices=[
            (5, "5: excellent"),
            (4, "4: good"),
            (3, "3: all right"),
            (2, "2: not great"),
            (1, "1: poor"),
        ],
        coerce=int,
        widget=forms.RadioSelect,
        label="How was your placement?",
        error_messages={"required": "Select how your placement was"},
    )
    comment = text_area(
        "What did you learn or enjoy?",
        missing="Write a few words about what you learned or enjoyed",
        max_length=2000,
        rows=5,
        help_text="A few sentences. Your school and the employer can read this.",
    )
