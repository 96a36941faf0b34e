from __future__ import annotations

from typing import Any

from django import forms

from mobility import web_forms
from mobility.web_forms import (
    DateField,
    GovukForm,
    check_day_order,
    email_input,
    radios,
    text_area,
    text_input,
)
from schools.models import ConsentMethod, ConsentStatus, School

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class ImportForm(GovukForm):
    file = forms.FileField(
        label="Upload a CSV file",
        help_text=(
            "Export pupils from your MIS as CSV. "
            "Columns needed: first name, last name, email, date of birth, "
            "year group, postcode. Optional: FSM or pupil premium, care experienced, SEND, young carer, "
            "at risk of NEET, step free, access needs (Y or N for the flags), UPN (unique pupil number)."
        ),
        error_messages={"required": "Select a CSV file"},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The selected file must be a CSV")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 2MB")
        return upload


class PupilAddForm(GovukForm):
    """One pupil added by hand; the rules (age for the year group, same person twice) are the service's."""

    first_name = text_input("First name", max_length=150, missing="Enter the pupil's first name")
    last_name = text_input("Last name", max_length=150, missing="Enter the pupil's last name")
    email = email_input(missing="Enter the pupil's email address", help_text="The pupil signs in with it.")
    date_of_birth = DateField(label="Date of birth", error_messages={"required": "Enter the date of birth"})
    year_group = forms.TypedChoiceField(
        coerce=int,
        choices=[(y, f"Year {y}") for y in range(7, 15)],
        label="Year group",
        error_messages={"required": "Select a year group"},
    )
    postcode = forms.CharField(
        label="Home postcode",
        max_length=10,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
    )
    upn = forms.CharField(
        label="Unique pupil number (UPN) (optional)",
        max_length=20,
        required=False,
        help_text="13 characters: a letter then 12 digits, as in your MIS",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
    )


class AccessNeedsForm(GovukForm):
    access_needs = text_area(
        "Access needs and adjustments",
        max_length=2000,
        rows=5,
        help_text="For example: a quiet space at lunch, uses a hearing aid, instructions written down.",
    )
    needs_step_free_access = forms.BooleanField(label="Needs step-free access", required=False)
    share_access_needs = forms.BooleanField(
        label="Share these access needs with the employer after the offer is accepted", required=False
    )


class WindowForm(GovukForm):
    year_group = forms.TypedChoiceField(
        coerce=int,
        choices=[(y, f"Year {y}") for y in range(7, 15)],
        label="Year group",
        error_messages={"required": "Select a year group"},
    )
    starts_on = DateField(label="First day", error_messages={"required": "Enter the first day"})
    ends_on = DateField(label="Last day", error_messages={"required": "Enter the last day"})
    application_deadline = DateField(
        required=False,
        label="Applications close on (optional)",
        help_text="Pupils cannot apply or change their choices after this date",
    )

    def __init__(self, *args: Any, school: School, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.school = school

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_day_order(self, data, "starts_on", "ends_on")
        start, deadline = data.get("starts_on"), data.get("application_deadline")
        if start and deadline and deadline > start:
            self.add_error("application_deadline", "Applications must close on or before the first day")
        return data


class ConsentForm(GovukForm):
    status = radios(ConsentStatus.choices, "Parental consent", missing="Select the consent status")
    method = radios(ConsentMethod.choices, "How the answer came")
    parent_carer_name = forms.CharField(
        max_length=150,
        label="Parent's or carer's name",
        help_text="The person who gave the answer.",
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # An answer (given or refused) says how it came and from whom; a request needs neither.
        if data.get("status") in (ConsentStatus.GIVEN, ConsentStatus.REFUSED):
            if not data.get("method"):
                self.add_error("method", "Select how the answer came")
            named = "parent_carer_name" not in self.fields or (data.get("parent_carer_name") or "").strip()
            if not named:
                self.add_error("parent_carer_name", "Enter the parent's or carer's name")
        return data


class OwnConsentForm(ConsentForm):
    """A young person of 16 or over answers for themself: no parent's or carer's name."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["parent_carer_name"]
        self.fields["status"].label = "The young person's own consent"
        self.fields["method"].label = "How they told you"


class ColleagueForm(web_forms.ColleagueForm):
    job_title = forms.CharField(label="Job title", max_length=120, required=False, initial="Careers leader")


class SheetForm(GovukForm):
    year_group = forms.TypedChoiceField(
        label="Year group",
        coerce=int,
        choices=[(year, f"Year {year}") for year in range(7, 15)],
        help_text="Pupils in this year group who have not activated their account get a new code.",
    )
