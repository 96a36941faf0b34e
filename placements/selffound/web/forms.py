"""Forms for placements pupils find. They shape input only; the rules are in the services."""

from __future__ import annotations

from typing import Any

from django import forms

from mobility.geography.models import Sector
from mobility.web_forms import DateField, GovukForm, email_input, text_area

from ..models import TEXT_MAX


def _text(label: str, max_length: int, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, **kwargs)


class ProposeForm(GovukForm):
    employer_name = _text("Employer's name", 200)
    contact_name = _text(
        "Contact's name", 150, help_text="The person at the workplace who agreed to have you"
    )
    contact_email = email_input(
        "Contact's email address",
        missing="Enter the contact's email address",
        help_text="We email them a link to fill in the details",
    )
    contact_phone = _text("Contact's phone number", 30)
    address = _text("Workplace address", 250)
    postcode = _text("Workplace postcode", 8)
    starts_on = DateField(label="First day")
    ends_on = DateField(label="Last day")
    pupil_plans = text_area(
        "What you will do there", missing="Say what you will do there", max_length=TEXT_MAX, rows=4
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_email"].widget.attrs.update(autocomplete="off", spellcheck="false")
        self.fields["postcode"].widget.attrs.update({"class": "govuk-input--width-10", "autocomplete": "off"})


class EmployerDetailsForm(GovukForm):
    sector = forms.ModelChoiceField(queryset=Sector.objects.all(), label="Kind of work", empty_label="Choose")
    site_name = _text("Name of the workplace", 120, help_text="For example: Head office, Bold Street shop")
    step_free_access = forms.BooleanField(required=False, label="The workplace has step-free access")
    daily_hours = forms.DecimalField(
        label="Hours a day", max_digits=3, decimal_places=1, help_text="At most 8 hours a day"
    )
    supervisor_name = _text("Supervisor's name", 120)
    supervisor_role = _text("Supervisor's job title", 120, required=False)
    duties = text_area(
        "What the pupil will do", missing="Say what the pupil will do", max_length=TEXT_MAX, rows=4
    )
    insurer = _text("Employer's liability insurer", 120)
    insurance_policy_number = _text("Policy number", 60)
    insurance_expires_on = DateField(label="Insurance expires on")
    risk_assessment_on = DateField(
        label="Date of your risk assessment for young workers", help_text="Young people under 18 need one"
    )
    confirm = forms.BooleanField(
        label="I confirm these details are correct and we agree to take the pupil on these dates",
        error_messages={"required": "Confirm the details to send them to the school"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["daily_hours"].widget.attrs.update(
            {"class": "govuk-input--width-4", "inputmode": "decimal"}
        )


OUTCOMES = [("approve", "Approve: the checks are satisfactory"), ("refuse", "Refuse")]


class VetForm(GovukForm):
    health_and_safety_checked = forms.BooleanField(
        required=False,
        label="Health and safety checked: liability insurance and a risk assessment for young workers",
    )
    safeguarding_checked = forms.BooleanField(
        required=False,
        label="Safeguarding checked: the supervisor and the workplace are suitable for this pupil",
    )
    outcome = forms.ChoiceField(
        choices=OUTCOMES,
        widget=forms.RadioSelect,
        label="Outcome",
        error_messages={"required": "Choose whether to approve or refuse"},
    )
    note = text_area("Note of the checks (for the school's record)", max_length=TEXT_MAX, rows=4)
    refusal_reason = text_area(
        "If you refuse: why (the pupil sees this)",
        max_length=TEXT_MAX,
        rows=4,
        help_text="Say nothing about any other pupil",
    )

    def __init__(self, *args: Any, candidates: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if candidates:
            choices = [(str(e.pk), f"Yes, use {e.name} (already on Mobility)") for e in candidates]
            self.fields["employer_choice"] = forms.ChoiceField(
                choices=[*choices, ("new", "No, a different employer: add it")],
                widget=forms.RadioSelect,
                label="An employer with this name already has a workplace at this postcode. Is it the same?",
                required=False,
            )
