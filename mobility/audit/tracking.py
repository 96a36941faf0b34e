"""How domain apps put their models on the audit trail (the dependency points from them to here)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import pghistory

M = TypeVar("M")


def audited(*, exclude: Iterable[str] = ()) -> Callable[[M], M]:
    """Record every insert, change and delete of the model with a before-and-after snapshot.

    The event table is append-only; ``exclude`` names fields never copied into it (secrets, noise).
    """
    decorator: Any = pghistory.track(
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        exclude=list(exclude) or None,
    )
    return decorator  # type: ignore[no-any-return]
