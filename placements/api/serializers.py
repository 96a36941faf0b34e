"""Request and response shapes for applications, matches and runs.

What a match shows depends on who asks: employers get a matched pupil's first name,
school and year group; the access needs the pupil or school marked to share once the
pupil accepts; the surname once the placement is confirmed. Never a date of birth,
home postcode, priority group or disadvantage flag.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.db.models.manager import BaseManager
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from employers.models import OPEN_TO_PUPILS, Opportunity
from mobility.accounts.models import Role
from mobility.api.base import ChoicesFromContext
from mobility.geography.models import Region
from mobility.permissions import role_of
from placements.lifecycle.selectors import offer_lapses_at, offers_lapse_at
from placements.lifecycle.transitions import (
    TRANSITIONS,
    CancelReason,
    EmployerDeclineReason,
    PupilDeclineReason,
    RejectionReason,
)
from placements.matching.figures import public_statistics
from placements.models import Application, Match, MatchRun, MatchStatusChange
from placements.selectors import matched_pupil


class ApplicationSerializer(serializers.ModelSerializer[Application]):
    opportunity = serializers.PrimaryKeyRelatedField(queryset=Opportunity.objects.filter(OPEN_TO_PUPILS))
    opportunity_title = serializers.CharField(source="opportunity.title", read_only=True)
    employer_name = serializers.CharField(source="opportunity.employer.name", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "pupil",
            "opportunity",
            "opportunity_title",
            "employer_name",
            "rank",
            "status",
            "created_at",
        ]
        read_only_fields = ["pupil", "rank", "status", "created_at"]


class ReorderSerializer(serializers.Serializer[Any]):
    application_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        allow_empty=False,
        max_length=50,
        help_text="All your active applications, first choice first.",
    )


class MatchPupilSerializer(serializers.Serializer[Any]):
    """The matched pupil, narrowed to what the viewer's role may see."""

    id = serializers.IntegerField(read_only=True, required=False)
    first_name = serializers.CharField(source="user.first_name", read_only=True)
    last_name = serializers.CharField(source="user.last_name", read_only=True, required=False)
    school = serializers.CharField(source="school.name", read_only=True)
    year_group = serializers.IntegerField(read_only=True)
    access_needs = serializers.CharField(read_only=True)
    needs_step_free_access = serializers.BooleanField(read_only=True)


class MatchOpportunitySerializer(serializers.ModelSerializer[Opportunity]):
    employer_name = serializers.CharField(source="employer.name", read_only=True)
    site_name = serializers.CharField(source="site.name", read_only=True, allow_null=True)
    site_address = serializers.CharField(source="site.address", read_only=True, allow_null=True)

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "title",
            "employer",
            "employer_name",
            "site_name",
            "site_address",
            "starts_on",
            "ends_on",
        ]
        read_only_fields = fields


class MatchListSerializer(serializers.ListSerializer[Match]):
    """A page of matches: each offer's lapse time is worked out for the page at once."""

    def to_representation(self, data: Any) -> list[Any]:
        matches = list(data.all() if isinstance(data, BaseManager) else data)
        self.context["offers_lapse_at"] = offers_lapse_at(matches)
        return super().to_representation(matches)


class MatchSerializer(serializers.ModelSerializer[Match]):
    pupil = serializers.SerializerMethodField()
    opportunity = MatchOpportunitySerializer(read_only=True)
    offer_lapses_at = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()
    feedback_given = serializers.SerializerMethodField()

    STAFF_ONLY = ("priority_tier", "score", "is_suggestion")
    HIDDEN_FROM_EMPLOYER = ("explanation", "rank", "run", "travel_minutes")

    class Meta:
        model = Match
        fields = [
            "id",
            "run",
            "status",
            "pupil",
            "opportunity",
            "travel_minutes",
            "rank",
            "explanation",
            "priority_tier",
            "score",
            "is_suggestion",
            "status_changed_at",
            "offer_lapses_at",
            "allowed_actions",
            "feedback_given",
        ]
        read_only_fields = fields
        list_serializer_class = MatchListSerializer

    def _role(self) -> str | None:
        return self._viewer_role

    @cached_property
    def _viewer_role(self) -> str | None:
        """Once per serializer (one request), not three times per row."""
        request = self.context.get("request")
        return role_of(request.user) if request else None

    @cached_property
    def _pupil_serializer(self) -> MatchPupilSerializer:
        return MatchPupilSerializer()  # one for every row: building its fields is the slow part

    @extend_schema_field(MatchPupilSerializer)
    def get_pupil(self, match: Match) -> dict[str, Any]:
        role = self._role()
        if role == Role.EMPLOYER:  # the one rule the employer's pages use too
            return matched_pupil(match).shown()
        data = dict(self._pupil_serializer.to_representation(match.pupil))
        if role == Role.PUPIL:
            data.pop("id")
        return data

    @extend_schema_field(
        serializers.DateTimeField(allow_null=True, help_text="When an unanswered offer lapses.")
    )
    def get_offer_lapses_at(self, match: Match) -> Any:
        known = self.context.get("offers_lapse_at", {})
        return known[match.pk] if match.pk in known else offer_lapses_at(match)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, match: Match) -> list[str]:
        """Events the viewer's role may take on the match now (guards may still refuse)."""
        role = self._role()
        return [t.event for t in TRANSITIONS.values() if match.status in t.sources and role in t.actors]

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=["employer", "pupil"])))
    def get_feedback_given(self, match: Match) -> list[str]:
        return sorted(f.side for f in match.feedback.all())

    def to_representation(self, instance: Match) -> dict[str, Any]:
        data = super().to_representation(instance)
        role = self._role()
        if role in (Role.EMPLOYER, Role.PUPIL):
            for name in self.STAFF_ONLY:
                data.pop(name, None)
        if role == Role.EMPLOYER:
            for name in self.HIDDEN_FROM_EMPLOYER:
                data.pop(name, None)
        return data


class NoteSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class RejectSerializer(serializers.Serializer[Any]):
    reason = serializers.ChoiceField(choices=RejectionReason.choices)
    note = serializers.CharField(max_length=2000, help_text="Why, for the pupil's record.")


class BulkSerializer(serializers.Serializer[Any]):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=500, help_text="Match ids."
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class BulkRejectSerializer(BulkSerializer):
    reason = serializers.ChoiceField(choices=RejectionReason.choices)
    note = serializers.CharField(max_length=2000, help_text="Why, for the pupils' records.")


class BulkOutcomeSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="match_id")
    ok = serializers.BooleanField()
    status = serializers.CharField(allow_null=True, help_text="The match's new status when it moved.")
    code = serializers.CharField(allow_blank=True, help_text="Why it did not move: an error code.")
    messages = serializers.ListField(child=serializers.CharField())


class EmployerDeclineSerializer(NoteSerializer):
    reason = serializers.ChoiceField(choices=EmployerDeclineReason.choices)


class PupilDeclineSerializer(NoteSerializer):
    reason = serializers.ChoiceField(choices=PupilDeclineReason.choices, required=False, default="")


class CancelSerializer(NoteSerializer):
    reason = serializers.ChoiceField(choices=CancelReason.choices)


class FeedbackSerializer(serializers.Serializer[Any]):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    days_attended = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=60,
        default=None,
        help_text="Employers only: days the pupil attended.",
    )


class StatusChangeSerializer(serializers.ModelSerializer[MatchStatusChange]):
    changed_by = serializers.CharField(source="changed_by.get_full_name", read_only=True, allow_null=True)

    class Meta:
        model = MatchStatusChange
        fields = ["from_status", "to_status", "changed_by", "changed_at", "reason", "note"]
        read_only_fields = fields


class MatchRunSerializer(ChoicesFromContext, serializers.ModelSerializer[MatchRun]):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.none())
    seed = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1)

    class Meta:
        model = MatchRun
        # What the adviser asks for, then what the run reports back.
        read_only_fields = [
            "status",
            "stage",
            "progress",
            "statistics",
            "error",
            "created_at",
            "started_at",
            "finished_at",
        ]
        fields = ["id", "region", "policy", "what_if", "seed", *read_only_fields]
        validators: list[Any] = []  # one live run per region: the service answers with a 409

    choices_from = {"region": "regions"}

    def to_representation(self, instance: MatchRun) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        # Small numbers are suppressed for everyone but platform admins.
        if request is not None and role_of(request.user) != Role.ADMIN:
            data["statistics"] = public_statistics(run=instance, reveal=False)
        return data
