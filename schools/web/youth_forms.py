"""Forms a youth worker fills in for the young people outside school they register."""

from __future__ import annotations

from typing import Any

from django import forms

from mobility.web_forms import DateField, GovukForm, check_day_order, email_input, radios, text_input
from schools.models import YOUNG_PERSON_AGES, Cohort, ConsentMethod

COHORTS = [(c.value, c.label) for c in Cohort if c in YOUNG_PERSON_AGES]


class FlagsFields(GovukForm):
    """Disadvantage flags and what decides a young person's journeys."""

    postcode = text_input(
        "Home postcode",
        max_length=8,
        missing="Enter a home postcode",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "postal-code"}),
    )
    max_travel_minutes = forms.IntegerField(
        label="Longest journey, in minutes",
        min_value=5,
        max_value=120,
        initial=45,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={"required": "Enter the longest journey in minutes"},
    )
    fsm_or_pupil_premium = forms.BooleanField(
        label="Free school meals or pupil premium (when at school)", required=False
    )
    care_experienced = forms.BooleanField(label="Care-experienced", required=False)
    send = forms.BooleanField(label="Special educational needs or disabilities (SEND)", required=False)
    young_carer = forms.BooleanField(label="Young carer", required=False)
    at_risk_of_neet = forms.BooleanField(label="At risk of staying out of education or work", required=False)
    needs_step_free_access = forms.BooleanField(label="Needs step-free access", required=False)
    access_needs = forms.CharField(
        label="Access needs and reasonable adjustments (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RegisterForm(FlagsFields):
    first_name = text_input("First name", max_length=150, missing="Enter a first name")
    last_name = text_input("Last name", max_length=150, missing="Enter a last name")
    email = email_input(help_text="The young person's own: they get a link to set a password.")
    date_of_birth = DateField(
        label="Date of birth",
        help_text="16 to 18 for young people not in education or work; care leavers up to 25.",
        error_messages={"required": "Enter a date of birth", "invalid": "Enter a real date of birth"},
    )
    cohort = radios(COHORTS, "Who they are", missing="Select who the young person is")
    consent_given = forms.BooleanField(
        label="The young person agrees to take part and for us to hold these details",
        help_text="From 16 a young person consents for themself; no parent's or carer's consent is needed.",
        error_messages={"required": "Confirm the young person agrees to take part"},
    )
    consent_method = radios(
        ConsentMethod.choices, "How they told you", missing="Select how the young person told you"
    )
    window_starts_on = DateField(label="Free for work experience from (optional)", required=False)
    window_ends_on = DateField(label="Free until (optional)", required=False)

    field_order = ["first_name", "last_name", "email", "date_of_birth", "cohort"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("window_starts_on"), data.get("window_ends_on")
        if bool(start) != bool(end):
            self.add_error("window_ends_on" if start else "window_starts_on", "Enter both days, or neither")
        else:
            check_day_order(self, data, "window_starts_on", "window_ends_on")
        return data


class WindowForm(GovukForm):
    starts_on = DateField(label="Free from", error_messages={"required": "Enter the first day"})
    ends_on = DateField(label="Free until", error_messages={"required": "Enter the last day"})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_day_order(self, data, "starts_on", "ends_on")
        return data
