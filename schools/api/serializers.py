from __future__ import annotations

from typing import Any

from rest_framework import serializers

from mobility.accounts.models import Role
from mobility.api.base import ChoicesFromContext
from mobility.geography.models import LocalAuthority, Sector
from schools.models import (
    DISADVANTAGE_FLAGS,
    ConsentMethod,
    ConsentStatus,
    Pupil,
    School,
    WorkExperienceWindow,
)


class SchoolSerializer(serializers.ModelSerializer[School]):
    local_authority: serializers.SlugRelatedField[LocalAuthority] = serializers.SlugRelatedField(
        slug_field="name", read_only=True
    )

    class Meta:
        model = School
        fields = ["id", "urn", "name", "phase", "postcode", "local_authority"]
        read_only_fields = fields


class WindowSerializer(ChoicesFromContext, serializers.ModelSerializer[WorkExperienceWindow]):
    """``school`` is chosen on creation only, from the schools the user works at."""

    class Meta:
        model = WorkExperienceWindow
        fields = ["id", "school", "year_group", "starts_on", "ends_on", "application_deadline"]

    choices_from = {"school": "schools"}

    def get_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = super().get_fields()
        if self.instance is not None:
            fields["school"].read_only = True
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        starts = attrs.get("starts_on", getattr(self.instance, "starts_on", None))
        ends = attrs.get("ends_on", getattr(self.instance, "ends_on", None))
        deadline = attrs.get("application_deadline", getattr(self.instance, "application_deadline", None))
        errors = {}
        if starts and ends and ends < starts:
            errors["ends_on"] = "The window must end on or after its first day."
        if starts and deadline and deadline > starts:
            errors["application_deadline"] = "Applications must close on or before the first day."
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class PupilSerializer(serializers.ModelSerializer[Pupil]):
    """A pupil's record. Pupils see their own without the school's disadvantage flags."""

    first_name = serializers.CharField(source="user.first_name", read_only=True)
    last_name = serializers.CharField(source="user.last_name", read_only=True)
    school_name = serializers.CharField(source="school.name", read_only=True)
    sector_interests = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Sector.objects.all(), required=False
    )

    class Meta:
        model = Pupil
        fields = [
            "id",
            "first_name",
            "last_name",
            "school",
            "school_name",
            "cohort",
            "year_group",
            "date_of_birth",
            "upn",
            "postcode",
            "sector_interests",
            "needs_step_free_access",
            "access_needs",
            "share_access_needs",
            "max_travel_minutes",
            "parental_consent",
            "parental_consent_recorded_at",
            *DISADVANTAGE_FLAGS,
        ]
        read_only_fields = [
            "school",
            "cohort",
            "date_of_birth",
            "upn",
            "parental_consent",
            "parental_consent_recorded_at",
        ]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.context.get("role") == Role.PUPIL:
            for name in (*DISADVANTAGE_FLAGS, "upn"):
                fields.pop(name)
            fields["year_group"].read_only = True
        return fields


class PupilCreateSerializer(ChoicesFromContext):
    """A new pupil at one of the caller's schools; the service checks age and duplicates."""

    school = serializers.PrimaryKeyRelatedField(queryset=School.objects.none())
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    email = serializers.EmailField(max_length=254, help_text="The pupil signs in with it.")
    date_of_birth = serializers.DateField()
    year_group = serializers.IntegerField(min_value=7, max_value=14)
    postcode = serializers.CharField(max_length=10)
    upn = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default="", help_text="Unique pupil number."
    )
    access_needs = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    choices_from = {"school": "schools"}


class ConsentSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=ConsentStatus.choices)
    method = serializers.ChoiceField(
        choices=ConsentMethod.choices, required=False, default="", help_text="How the answer came."
    )
    parent_carer_name = serializers.CharField(
        max_length=150, required=False, allow_blank=True, default="", help_text="Who gave the answer."
    )


class ConsentResultSerializer(serializers.Serializer[Any]):
    pupil = PupilSerializer()
    changed_match_ids = serializers.ListField(child=serializers.IntegerField())
