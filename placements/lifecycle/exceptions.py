"""Domain errors raised by the lifecycle services.

Each carries a message for a person. Views map ``LifecycleError`` to a 409 (or a form
error); ``ActionNotPermitted`` is a ``PermissionDenied`` and maps to a 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


class LifecycleError(Exception):
    """A request that conflicts with the current state of things."""

    code = "conflict"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TransitionNotAllowed(LifecycleError):
    """The match is not in a status this event can move it from."""

    code = "transition_not_allowed"


class CapacityConflict(LifecycleError):
    """No seat is left, or the pupil already holds a placement."""

    code = "capacity_conflict"


class ComplianceBlocked(LifecycleError):
    """The employer's insurance, risk assessment or supervisor does not cover the placement."""

    code = "compliance_blocked"


class ConsentRequired(LifecycleError):
    """Parental consent is missing or was refused."""

    code = "consent_required"


class RunInProgress(LifecycleError):
    """The region already has a live match run queued or running."""

    code = "run_in_progress"


class ActionNotPermitted(PermissionDenied):
    """The user can see the object but their role may not do this to it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
