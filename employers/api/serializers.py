from __future__ import annotations

from typing import Any

from rest_framework import serializers

from employers.models import ComplianceRecord, Employer, Opportunity, Site
from employers.services import OPPORTUNITY_FIELDS
from mobility.api.base import ChoicesFromContext
from mobility.geography.models import Sector


class EmployerSerializer(serializers.ModelSerializer[Employer]):
    """An organisation; its verification changes only through verify and refuse."""

    sector = serializers.SlugRelatedField(slug_field="slug", queryset=Sector.objects.all())

    class Meta:
        model = Employer
        fields = [
            "id",
            "name",
            "companies_house_number",
            "sector",
            "website",
            "verification_status",
            "verification_decided_at",
            "verification_note",
        ]
        read_only_fields = ["verification_status", "verification_decided_at", "verification_note"]


class VerificationDecisionSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(
        max_length=1000,
        help_text="Verify: what was checked. Refuse: the reason, which the organisation is told.",
    )


class SiteSerializer(serializers.ModelSerializer[Site]):
    class Meta:
        model = Site
        fields = ["id", "employer", "name", "address", "postcode", "step_free_access"]
        read_only_fields = ["employer"]


class SiteSummarySerializer(serializers.ModelSerializer[Site]):
    class Meta:
        model = Site
        fields = ["id", "name", "address", "postcode", "step_free_access"]
        read_only_fields = fields


class OpportunitySerializer(ChoicesFromContext, serializers.ModelSerializer[Opportunity]):
    """An opportunity. ``status`` changes only through publish/close; ``seats_taken`` only
    through the lifecycle. ``travel_minutes`` is the pupil's own estimated journey."""

    employer_name = serializers.CharField(source="employer.name", read_only=True)
    site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.none(), allow_null=True, required=False)
    site_detail = SiteSummarySerializer(source="site", read_only=True)
    sector = serializers.SlugRelatedField(slug_field="slug", queryset=Sector.objects.all())
    seats_left = serializers.IntegerField(read_only=True)
    travel_minutes = serializers.SerializerMethodField()

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "employer",
            "employer_name",
            "site_detail",
            *OPPORTUNITY_FIELDS,
            "seats_taken",
            "seats_left",
            "status",
            "travel_minutes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["employer", "seats_taken", "status", "created_at", "updated_at"]

    choices_from = {"site": "sites"}

    def get_travel_minutes(self, opportunity: Opportunity) -> int | None:
        minutes: dict[int, int] = self.context.get("travel_minutes", {})
        return minutes.get(opportunity.pk)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        starts = attrs.get("starts_on", getattr(self.instance, "starts_on", None))
        ends = attrs.get("ends_on", getattr(self.instance, "ends_on", None))
        if starts and ends and ends < starts:
            raise serializers.ValidationError(
                {"ends_on": "The placement must end on or after its first day."}
            )
        return attrs


class ComplianceSerializer(serializers.ModelSerializer[ComplianceRecord]):
    risk_assessment_valid_until = serializers.DateField(read_only=True)

    class Meta:
        model = ComplianceRecord
        fields = [
            "id",
            "employer",
            "insurer",
            "insurance_policy_number",
            "insurance_expires_on",
            "risk_assessment_on",
            "risk_assessment_valid_until",
            "supervisor_name",
            "supervisor_role",
            "safeguarding_checks",
            "checked_on",
            "checked_by",
            "verified_by",
            "verified_at",
            "verification_note",
        ]
        read_only_fields = [
            "employer",
            "checked_on",
            "checked_by",
            "verified_by",
            "verified_at",
            "verification_note",
        ]


class VerifySerializer(serializers.Serializer[Any]):
    note = serializers.CharField(
        max_length=1000, help_text="The evidence seen, e.g. the insurance certificate."
    )
