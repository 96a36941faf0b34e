from __future__ import annotations

from typing import Any

from django import forms

from employers.models import ComplianceRecord, Employer, Opportunity, Site
from employers.services import COMPLIANCE_FIELDS
from mobility.web_forms import DateField, GovukModelForm, check_day_order


class OrganisationForm(GovukModelForm):
    website = forms.URLField(
        required=False,
        assume_scheme="https",
        label="Website (optional)",
        max_length=200,
        help_text="For example, https://www.example.co.uk",
        error_messages={"invalid": "Enter a full web address, like https://www.example.co.uk"},
    )

    class Meta:
        model = Employer
        fields = ["name", "companies_house_number", "website"]
        labels = {
            "name": "Organisation name",
            "companies_house_number": "Companies House number (optional)",
        }
        error_messages = {
            "name": {"required": "Enter your organisation's name"},
        }
        widgets = {"companies_house_number": forms.TextInput(attrs={"class": "govuk-input--width-10"})}


class SiteForm(GovukModelForm):
    class Meta:
        model = Site
        fields = ["name", "address", "postcode", "step_free_access"]
        labels = {"name": "Site name", "step_free_access": "The site has step-free access from the street"}
        help_texts = {
            "name": "For example, Head office or Speke warehouse",
            "postcode": "For example, L1 8JQ",
        }
        error_messages = {
            "name": {"required": "Enter a name for the site"},
            "address": {"required": "Enter the site's address"},
            "postcode": {"required": "Enter the site's postcode"},
        }
        widgets = {
            "postcode": forms.TextInput(
                attrs={"class": "govuk-input--width-10", "autocomplete": "postal-code"}
            )
        }


class ComplianceForm(GovukModelForm):
    insurance_expires_on = DateField(
        required=False,
        label="Employer's liability insurance expires on",
        help_text="Work-experience pupils count as employees for this cover.",
    )
    risk_assessment_on = DateField(required=False, label="Date of the young workers' risk assessment")

    class Meta:
        model = ComplianceRecord
        fields = list(COMPLIANCE_FIELDS)
        labels = {
            "insurer": "Insurer",
            "insurance_policy_number": "Policy number",
            "supervisor_name": "Supervisor's name",
            "supervisor_role": "Supervisor's job title",
            "safeguarding_checks": "Safeguarding checks made",
        }
        help_texts = {
            "safeguarding_checks": (
                "Say what was checked, for example an enhanced DBS check for the named supervisor."
            )
        }
        widgets = {"safeguarding_checks": forms.Textarea(attrs={"rows": 3})}


class OpportunityForm(GovukModelForm):
    starts_on = DateField(
        label="First day",
        error_messages={"required": "Enter the first day", "invalid": "Enter the first day as a real date"},
    )
    ends_on = DateField(
        label="Last day",
        error_messages={"required": "Enter the last day", "invalid": "Enter the last day as a real date"},
    )

    class Meta:
        model = Opportunity
        fields = [
            "title",
            "description",
            "sector",
            "site",
            "mode",
            "capacity",
            "starts_on",
            "ends_on",
            "daily_hours",
            "minimum_age",
            "accessibility",
            "status",
        ]
        labels = {
            "title": "Title",
            "description": "What the pupil will do",
            "site": "Where",
            "mode": "How the placement runs",
            "capacity": "Number of places",
            "daily_hours": "Hours a day",
            "minimum_age": "Youngest age you can take",
            "accessibility": "Access and adjustments (optional)",
            "status": "Show to pupils",
        }
        help_texts = {
            "title": "For example, Junior engineer for a week",
            "description": "Describe a typical day in plain words. Pupils read this to decide.",
            "capacity": "Between 1 and 50",
            "daily_hours": "Up to 8 hours a day, the usual maximum for young people",
            "accessibility": "What the workplace offers beyond step-free access",
            "status": "Draft placements are not shown to pupils",
        }
        error_messages = {
            "title": {"required": "Enter a title"},
            "description": {"required": "Describe what the pupil will do"},
            "sector": {"required": "Select a sector"},
            "site": {"required": "Select where the placement happens"},
            "capacity": {
                "required": "Enter the number of places",
                "invalid": "Number of places must be a whole number, like 2",
                "min_value": "Offer at least 1 place",
                "max_value": "Offer no more than 50 places",
            },
            "daily_hours": {
                "required": "Enter the hours a day",
                "invalid": "Hours a day must be a number, like 7 or 6.5",
            },
            "minimum_age": {
                "required": "Enter the youngest age you can take",
                "min_value": "The youngest age must be 13 or older",
                "max_value": "The youngest age must be 19 or younger",
            },
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "accessibility": forms.Textarea(attrs={"rows": 3}),
            "capacity": forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
            "daily_hours": forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "decimal"}),
            "minimum_age": forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
            "mode": forms.RadioSelect,
            "status": forms.RadioSelect,
        }

    def __init__(self, *args: Any, employer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        site = self.fields["site"]
        sector = self.fields["sector"]
        assert isinstance(site, forms.ModelChoiceField) and isinstance(sector, forms.ModelChoiceField)
        site.queryset = Site.objects.filter(employer=employer)
        site.empty_label = "Select a site"
        site.label_from_instance = lambda s: f"{s.name}, {s.address}"  # type: ignore[method-assign,assignment]
        sector.empty_label = "Select a sector"
        self.fields["sector"].initial = employer.sector_id

    def clean_daily_hours(self) -> Any:
        hours = self.cleaned_data["daily_hours"]
        if hours is not None and not 0 < hours <= 8:
            raise forms.ValidationError("Hours a day must be more than 0 and no more than 8")
        return hours

    def clean_capacity(self) -> Any:
        capacity = self.cleaned_data["capacity"]
        taken = self.instance.seats_taken if self.instance.pk else 0
        if capacity is not None and capacity < taken:
            raise forms.ValidationError(
                f"{taken} places are already given to pupils, so offer at least {taken}"
            )
        return capacity

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_day_order(self, data, "starts_on", "ends_on")
        # The model holds the rule; said here too so every missing answer is listed at once.
        virtual = data.get("mode") == Opportunity.Mode.VIRTUAL
        if not virtual and not data.get("site") and "site" not in self.errors:
            self.add_error("site", "Select where the placement happens")
        return data

    def _post_clean(self) -> None:
        # The model's own checks repeat ours; keep only the friendlier message per field.
        super()._post_clean()  # type: ignore[misc]
        for name in ("capacity", "daily_hours", "ends_on"):
            if name in self.errors and len(self.errors[name]) > 1:
                self.errors[name] = self.error_class(self.errors[name][:1])
