"""What every page shows an employer member about their organisation: whether it is verified."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from employers.models import Employer
from mobility.accounts.models import Role
from mobility.permissions import employer_id_of, role_of


def own_organisation(request: HttpRequest) -> dict[str, Any]:
    """``own_organisation``: the member's organisation, read only if a page asks for it."""
    if role_of(getattr(request, "user", None)) != Role.EMPLOYER:
        return {}
    return {
        "own_organisation": SimpleLazyObject(
            lambda: Employer.objects.filter(pk=employer_id_of(request.user) or 0).first()
        )
    }
