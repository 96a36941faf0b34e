"""Which compiled loops (numba) a run may use."""

from __future__ import annotations

import importlib
import os
from types import ModuleType


def compiled(name: str = "_compiled") -> ModuleType | None:
    """The compiled module ``name`` of this package, or None without numba (or
    with the environment variable ``MOBILITY_ENGINE_NUMBA=0``). The first call
    imports numba and loads (or, the first time ever, compiles) the machine code."""
    if os.environ.get("MOBILITY_ENGINE_NUMBA", "1") == "0":
        return None
    try:
        return importlib.import_module(f".{name}", __package__)
    except ImportError:
        return None
