from __future__ import annotations

from typing import Any

from django import forms

from mobility.geography.models import Region
from mobility.web_forms import GovukForm, radios, text_area
from placements.lifecycle.transitions import RejectionReason
from placements.models import MatchRun


class RunForm(GovukForm):
    region = forms.ModelChoiceField(
        queryset=Region.objects.none(),
        label="Region",
        empty_label=None,
        error_messages={"required": "Select a region"},
    )
    policy = radios(
        MatchRun.Policy.choices,
        "Matching policy",
        missing="Select a matching policy",
        initial=MatchRun.Policy.STABLE,
        help_text=(
            "Stable: no pupil and placement would both rather swap, "
            "and ranking honestly is always best for pupils. "
            "Maximum coverage places as many pupils as possible, but is not stable: use it to compare."
        ),
    )
    what_if = forms.BooleanField(
        required=False,
        label="What-if run: for comparison only",
        help_text=(
            "Its matches can be compared but never approved or offered. Maximum coverage is always what-if."
        ),
    )
    seed = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=2**31 - 1,
        label="Lottery seed (optional)",
        help_text="Leave empty for a new random draw. Use a past run's seed to repeat it exactly.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}),
        error_messages={"invalid": "The seed must be a whole number, like 12345"},
    )

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        field.queryset = regions  # type: ignore[attr-defined]
        if regions.count() == 1:
            field.initial = regions.first()


class RejectForm(GovukForm):
    reason = radios(
        RejectionReason.choices,
        "Why are you rejecting this match?",
        missing="Select why you are rejecting this match",
    )
    note = text_area(
        "Note",
        missing="Add a note explaining the rejection",
        help_text="Kept in the audit log. Say what you saw.",
    )


BULK_ACTIONS = [("approve", "Approve"), ("offer", "Send offers (approved matches)"), ("reject", "Reject")]


class BulkForm(GovukForm):
    non_field_errors_anchor = "queue"  # the error summary links to the list of matches
    action = radios(
        BULK_ACTIONS,
        "What do you want to do with the selected matches?",
        missing="Select what to do with the selected matches",
    )
    reason = forms.ChoiceField(
        choices=[("", "Select a reason"), *RejectionReason.choices],
        required=False,
        label="Reason (only when rejecting)",
    )
    note = text_area("Note (only when rejecting)", rows=2)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "reject":
            if not data.get("reason"):
                self.add_error("reason", "Select a reason for rejecting")
            if not (data.get("note") or "").strip():
                self.add_error("note", "Add a note explaining the rejection")
        return data
