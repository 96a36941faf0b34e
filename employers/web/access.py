"""Who may use the employer's pages, and which organisation they act for."""

from __future__ import annotations

from django.http import Http404

from employers.models import Employer
from mobility.accounts.models import Role
from mobility.accounts.web import AuthedRequest, role_required
from mobility.permissions import employer_id_of

member_only = role_required(Role.EMPLOYER)


def member_employer(request: AuthedRequest) -> Employer:
    """The organisation the signed-in member belongs to."""
    employer_id = employer_id_of(request.user)
    if employer_id is None:
        raise Http404("This account is not linked to an organisation.")
    return Employer.objects.select_related("sector").get(pk=employer_id)
