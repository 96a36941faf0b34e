"""Domain errors answer by their own HTTP status, wherever they are raised."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from mobility.api.exceptions import exception_handler
from mobility.errors import Conflict, DomainError, Invalid, NotPermitted
from placements.lifecycle.exceptions import ActionNotPermitted, CapacityConflict, LifecycleError


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (Conflict("Taken."), 409, "conflict"),
        (Conflict("Has opportunities.", code="site_in_use"), 409, "site_in_use"),
        (CapacityConflict("No places left."), 409, "capacity_conflict"),
        (NotPermitted("Not yours."), 403, "not_permitted"),
        (ActionNotPermitted("Not your role."), 403, "not_permitted"),
    ],
)
def test_the_api_answers_with_the_errors_status_and_code(error: DomainError, status: int, code: str) -> None:
    response = exception_handler(error, {})
    assert response is not None
    assert response.status_code == status
    assert response.data == {"detail": error.message, "code": code}


def test_invalid_answers_400_with_messages_by_field() -> None:
    on_field = exception_handler(Invalid("Enter a date in the future.", field="starts_on"), {})
    assert on_field is not None and on_field.status_code == 400
    assert on_field.data == {"starts_on": ["Enter a date in the future."]}
    general = exception_handler(Invalid("Nothing to do."), {})
    assert general is not None and general.data == {"non_field_errors": ["Nothing to do."]}


def test_lifecycle_errors_are_kernel_errors_and_refusals_are_django_403s() -> None:
    assert issubclass(LifecycleError, Conflict)
    assert issubclass(ActionNotPermitted, NotPermitted)
    assert issubclass(NotPermitted, PermissionDenied)  # so a web page answers 403 too
