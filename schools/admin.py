from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from mobility.audit.services import pupil_record_view_record
from mobility.geography.admin import LocatedAdmin
from mobility.readonly_admin import ReadOnlyAdmin

from .models import (
    DISADVANTAGE_FLAGS,
    CareersAdviser,
    ConsentRecord,
    Pupil,
    School,
    SchoolStaff,
    WorkExperienceWindow,
)


class WindowInline(admin.TabularInline[WorkExperienceWindow, School]):
    model = WorkExperienceWindow
    extra = 0


@admin.register(School)
class SchoolAdmin(LocatedAdmin[School]):
    list_display = ["name", "urn", "phase", "local_authority", "postcode"]
    list_filter = ["phase", "local_authority"]
    search_fields = ["name", "urn", "postcode"]
    inlines = [WindowInline]


@admin.register(Pupil)
class PupilAdmin(LocatedAdmin[Pupil]):
    list_display = [
        "__str__",
        "school",
        "year_group",
        "postcode",
        "care_experienced",
        "fsm_or_pupil_premium",
        "send",
        "parental_consent",
    ]
    list_filter = [
        "school__local_authority",
        "year_group",
        *DISADVANTAGE_FLAGS,
        "needs_step_free_access",
        "parental_consent",
    ]
    search_fields = ["user__email", "user__first_name", "user__last_name", "postcode", "school__name"]
    raw_id_fields = ["user", "school"]
    filter_horizontal = ["sector_interests"]
    list_select_related = ["user", "school"]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        if request.method == "GET" and object_id.isdigit():
            pupil_record_view_record(pupil_id=int(object_id), viewer=request.user, place="admin pupil page")
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdmin):
    """Consent history is a record of what was said: it is read here, never rewritten."""

    list_display = ["pupil", "status", "method", "parent_carer_name", "recorded_by", "recorded_at"]
    list_filter = ["status", "method"]
    raw_id_fields = ["pupil", "recorded_by"]
    list_select_related = ["pupil__user", "recorded_by"]


@admin.register(SchoolStaff)
class SchoolStaffAdmin(admin.ModelAdmin[SchoolStaff]):
    list_display = ["__str__", "school", "job_title"]
    list_filter = ["school__local_authority"]
    search_fields = ["user__email", "user__last_name", "school__name"]
    raw_id_fields = ["user", "school"]


@admin.register(CareersAdviser)
class CareersAdviserAdmin(admin.ModelAdmin[CareersAdviser]):
    list_display = ["__str__", "organisation"]
    search_fields = ["user__email", "user__last_name", "organisation"]
    filter_horizontal = ["schools"]
    raw_id_fields = ["user"]


@admin.register(WorkExperienceWindow)
class WorkExperienceWindowAdmin(admin.ModelAdmin[WorkExperienceWindow]):
    list_display = ["school", "year_group", "starts_on", "ends_on", "application_deadline"]
    list_filter = ["year_group", "school__local_authority"]
    search_fields = ["school__name"]
    date_hierarchy = "starts_on"
