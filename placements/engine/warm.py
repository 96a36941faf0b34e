"""Compile (or load) every cached numba loop now: ``python -m placements.engine.warm``.

Run once per machine or image build, so that no match run pays the compile (10-30 s).
"""

from __future__ import annotations

import sys
import time

from .stable import warm_up


def main() -> int:
    began = time.perf_counter()
    ready = warm_up(coverage=True)
    if not ready:
        print("engine compiled code not available (numba missing or switched off)")
        return 0
    from numba.core import config

    seconds = time.perf_counter() - began
    where = getattr(config, "CACHE_DIR", "")
    print(f"engine compiled code ready in {seconds:.1f} s (cache: {where})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
