from typing import TypeVar

from django.contrib import admin

from .located import Located
from .models import LocalAuthority, Region, RegionLead, Sector

LocatedT = TypeVar("LocatedT", bound=Located)


class LocatedAdmin(admin.ModelAdmin[LocatedT]):
    """A record with a postcode: its grid point and local authority are derived from the postcode
    (``Located.locate``), so they are shown, never typed in."""

    readonly_fields = ["easting", "northing", "local_authority_code"]


class LocalAuthorityInline(admin.TabularInline[LocalAuthority, Region]):
    model = LocalAuthority
    extra = 0


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    filter_horizontal = ["growth_sectors"]
    inlines = [LocalAuthorityInline]


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin[LocalAuthority]):
    list_display = ["name", "code", "region"]
    list_filter = ["region"]
    search_fields = ["name", "code"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin[Sector]):
    list_display = ["name", "slug", "sic_sections"]
    search_fields = ["name", "slug"]


@admin.register(RegionLead)
class RegionLeadAdmin(admin.ModelAdmin[RegionLead]):
    list_display = ["user", "region", "organisation"]
    list_filter = ["region"]
    raw_id_fields = ["user"]
