from django.contrib import admin

from placements.privacy.admin import register as register_pupil_erasure

from .models import (
    Application,
    Match,
    MatchRun,
    MatchStatusChange,
    UnplacedPupil,
)


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin[Application]):
    list_display = ["pupil", "opportunity", "rank", "status", "created_at"]
    list_filter = ["status", "opportunity__sector", "pupil__school"]
    search_fields = ["pupil__user__email", "pupil__user__last_name", "opportunity__title"]
    raw_id_fields = ["pupil", "opportunity"]
    list_select_related = ["pupil__user", "opportunity__employer"]


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin[MatchRun]):
    list_display = [
        "id",
        "region",
        "policy",
        "status",
        "stage",
        "progress",
        "seed",
        "created_at",
        "finished_at",
    ]
    list_filter = ["policy", "status", "region"]
    search_fields = ["input_hash", "result_hash"]
    readonly_fields = [
        "created_at",
        "started_at",
        "finished_at",
        "input_hash",
        "result_hash",
        "timings",
        "statistics",
    ]


class MatchStatusChangeInline(admin.TabularInline[MatchStatusChange, Match]):
    model = MatchStatusChange
    extra = 0
    readonly_fields = ["from_status", "to_status", "changed_by", "changed_at", "reason", "note"]
    can_delete = False


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin[Match]):
    list_display = [
        "pupil",
        "opportunity",
        "run",
        "status",
        "rank",
        "is_suggestion",
        "travel_minutes",
        "priority_tier",
    ]
    list_filter = ["status", "is_suggestion", "priority_tier", "run", "opportunity__sector"]
    search_fields = ["pupil__user__email", "pupil__user__last_name", "opportunity__title"]
    raw_id_fields = ["pupil", "opportunity", "run"]
    list_select_related = ["pupil__user", "opportunity__employer", "run"]
    # Status changes go through the lifecycle services, so they are read-only here.
    readonly_fields = ["status", "status_changed_at"]
    inlines = [MatchStatusChangeInline]


@admin.register(MatchStatusChange)
class MatchStatusChangeAdmin(admin.ModelAdmin[MatchStatusChange]):
    list_display = ["match", "from_status", "to_status", "changed_by", "changed_at", "reason"]
    list_filter = ["to_status", "reason"]
    search_fields = ["match__pupil__user__email", "note"]
    raw_id_fields = ["match"]


@admin.register(UnplacedPupil)
class UnplacedPupilAdmin(admin.ModelAdmin[UnplacedPupil]):
    list_display = ["pupil", "run", "priority_tier", "reason"]
    list_filter = ["reason", "priority_tier", "run"]
    search_fields = ["pupil__user__email", "pupil__user__last_name"]
    raw_id_fields = ["pupil", "run"]
    list_select_related = ["pupil__user", "run"]


# Pupils' admin page, with the erase action (placements.privacy owns erasure).
register_pupil_erasure()
