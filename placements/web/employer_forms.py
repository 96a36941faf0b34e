"""Forms for the employer's answers about a matched pupil."""

from __future__ import annotations

from django import forms

from mobility.web_forms import RATINGS, GovukForm, radios, text_area
from placements.lifecycle.transitions import EmployerDeclineReason


class EmployerDeclineForm(GovukForm):
    reason = radios(
        EmployerDeclineReason.choices,
        "Why can you not take this pupil?",
        missing="Select why you cannot take this pupil",
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
    rating = radios(RATINGS, "How did the placement go?", missing="Select how the placement went", coerce=int)
    comment = text_area("Feedback for the pupil and school (optional)", max_length=2000, rows=4)
