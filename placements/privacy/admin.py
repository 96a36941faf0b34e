"""The erase action on the pupils' admin page. Erasure reads across apps, so placements adds it."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from schools.admin import PupilAdmin
from schools.models import Pupil

from .erasure import ErasureRefused, is_erased, pupil_erase


class PupilWithErasureAdmin(PupilAdmin):
    actions = ["erase_personal_data"]

    @admin.action(description="Erase personal data (anonymise) of the selected pupils")
    def erase_personal_data(self, request: HttpRequest, queryset: QuerySet[Pupil]) -> None:
        erased = 0
        for pupil in queryset.select_related("user"):
            if is_erased(pupil):
                continue
            try:
                pupil_erase(pupil=pupil, actor=request.user, reason="admin")
            except ErasureRefused as refused:
                self.message_user(request, f"Not erased: {refused}", messages.ERROR)
            else:
                erased += 1
        if erased:
            self.message_user(request, f"{erased} pupil(s) erased.", messages.SUCCESS)


def register() -> None:
    if admin.site.is_registered(Pupil):
        admin.site.unregister(Pupil)
    admin.site.register(Pupil, PupilWithErasureAdmin)
