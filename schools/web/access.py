"""Who may use the school's pages, and which school they act for."""

from __future__ import annotations

from django.http import Http404

from mobility.accounts.models import Role
from mobility.accounts.web import AuthedRequest, role_required
from mobility.permissions import staff_school_id_of
from schools.models import School

staff_only = role_required(Role.SCHOOL_STAFF)


def staff_school(request: AuthedRequest) -> School:
    """The school the signed-in member of staff works at."""
    school_id = staff_school_id_of(request.user)
    if school_id is None:
        raise Http404("This account is not linked to a school.")
    return School.objects.get(pk=school_id)
