"""Forms for the employer's answers about a matched pupil."""

from __future__ import annotations

from django import forms

from mobility.web_forms import GovukForm, text_area
from placements.lifecycle.transitions import EmployerDeclineReason


class EmployerDeclineForm(GovukForm):
    reason = forms.ChoiceField(
        choices=EmployerDeclineReason.choices,
        widget=forms.RadioSelect,
        label="Why can you not take this pupil?",
        error_messages={"required": "Select why you cannot take this pupil"},
    )
    note = text_area(
        "More detail (optional)", help_text="The careers adviser reads this. The pupil does not."
    )


class AttendanceFeedbackForm(GovukForm):
    days_attended = forms.IntegerField(
        min_value=0,
        label="Days the pupil attended",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many days the pupil attended",
            "invalid": "Days attended must be a whole number, like 5",
            "min_value": "Days attended cannot be negative",
        },
    )
    rating = forms.TypedChoiceField(
        coerce=int,
        widget=forms.RadioSelect,
        label="How did the placement go?",
        choices=[
            (5, "5: excellent"),
            (4, "4: good"),
            (3, "3: all right"),
            (2, "2: not great"),
            (1, "1: poor"),
        ],
        error_messages={"required": "Select how the placement went"},
    )
    comment = text_area("Feedback for the pupil and school (optional)", max_length=2000, rows=4)
