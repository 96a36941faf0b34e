"""Domain errors raised by the lifecycle services, on the kernel's ``mobility.errors``.

Views map a ``LifecycleError`` (a ``Conflict``) to a 409 or a form error; ``ActionNotPermitted``
(a ``NotPermitted``) maps to a 403.
"""

from __future__ import annotations

from mobility.errors import Conflict, NotPermitted


class LifecycleError(Conflict):
    """A request that conflicts with the current state of a match or application."""


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


class ActionNotPermitted(NotPermitted):
    """The user can see the object but their role may not do this to it."""
