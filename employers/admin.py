from django.contrib import admin

from mobility.geography.admin import LocatedAdmin

from .models import ComplianceRecord, Employer, EmployerMember, Opportunity, Site


class SiteInline(admin.TabularInline[Site, Employer]):
    model = Site
    extra = 0
    fields = ["name", "address", "postcode", "step_free_access"]


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin[Employer]):
    list_display = ["name", "sector", "companies_house_number", "verification_status", "created_at"]
    list_filter = ["verification_status", "sector"]
    search_fields = ["name", "companies_house_number"]
    raw_id_fields = ["contact"]
    # Decided only on the adviser's page or the API (employers.verification), never edited here.
    readonly_fields = [
        "verification_status",
        "verification_decided_by",
        "verification_decided_at",
        "verification_note",
    ]
    inlines = [SiteInline]


@admin.register(EmployerMember)
class EmployerMemberAdmin(admin.ModelAdmin[EmployerMember]):
    list_display = ["__str__", "employer", "job_title"]
    search_fields = ["user__email", "user__last_name", "employer__name"]
    raw_id_fields = ["user", "employer"]


@admin.register(Site)
class SiteAdmin(LocatedAdmin[Site]):
    list_display = ["name", "employer", "postcode", "local_authority_code", "step_free_access"]
    list_filter = ["step_free_access", "local_authority_code"]
    search_fields = ["name", "employer__name", "postcode"]


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin[Opportunity]):
    list_display = [
        "title",
        "employer",
        "sector",
        "status",
        "capacity",
        "seats_taken",
        "starts_on",
        "ends_on",
        "mode",
    ]
    list_filter = ["status", "sector", "mode", "site__step_free_access", "starts_on"]
    search_fields = ["title", "employer__name", "site__postcode"]
    raw_id_fields = ["employer", "site"]
    readonly_fields = ["seats_taken"]
    date_hierarchy = "starts_on"
    list_select_related = ["employer", "sector"]


@admin.register(ComplianceRecord)
class ComplianceRecordAdmin(admin.ModelAdmin[ComplianceRecord]):
    list_display = ["employer", "insurance_expires_on", "risk_assessment_on", "supervisor_name", "checked_on"]
    list_filter = ["insurance_expires_on", "risk_assessment_on"]
    search_fields = ["employer__name", "supervisor_name"]
    raw_id_fields = ["employer", "checked_by"]
