"""Placements pupils find, read in the admin: changes happen through the pupil's and school's pages.

Opening one shows the pupil's plans, so it is recorded as a view of the pupil's record."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from mobility.audit.services import pupil_record_view_record
from mobility.readonly_admin import ReadOnlyAdmin

from .models import Proposal


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "status", "starts_on", "ends_on", "created_at", "vetted_at"]
    list_filter = ["status"]
    search_fields = ["employer_name", "postcode"]
    raw_id_fields = ["pupil", "vetted_by", "opportunity", "match", "sector"]
    list_select_related = ["pupil"]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        if request.method == "GET" and object_id.isdigit():
            pupil_id = Proposal.objects.filter(pk=int(object_id)).values_list("pupil_id", flat=True).first()
            if pupil_id is not None:
                pupil_record_view_record(pupil_id=pupil_id, viewer=request.user, place="admin proposal page")
        return super().change_view(request, object_id, form_url, extra_context)
