"""Who may use the school's and the youth service's pages, and which organisation they act for."""

from __future__ import annotations

from django.http import Http404

from mobility.accounts.models import Role
from mobility.accounts.web import AuthedRequest, role_required
from mobility.permissions import staff_school_id_of, youth_service_id_of
from schools.models import School

staff_only = role_required(Role.SCHOOL_STAFF)
youth_only = role_required(Role.YOUTH_WORKER)


def staff_school(request: AuthedRequest) -> School:
    """The school the signed-in member of staff works at."""
    school_id = staff_school_id_of(request.user)
    if school_id is None:
        raise Http404("This account is not linked to a school.")
    return School.objects.get(pk=school_id)


def youth_service(request: AuthedRequest) -> School:
    """The youth service the signed-in youth worker works at."""
    service_id = youth_service_id_of(request.user)
    if service_id is None:
        raise Http404("This account is not linked to a youth service.")
    return School.objects.get(pk=service_id)
