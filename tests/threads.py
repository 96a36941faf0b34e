"""Racing the same work in threads, as two processes would on one database."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from django.db import connection

T = TypeVar("T")


def at_once(work: Callable[[], T], times: int = 2) -> list[T]:
    """Run ``work`` in ``times`` threads released together, each on its own database connection;
    what each returned, in the order they finished (a thread that raised adds nothing)."""
    start = threading.Barrier(times)
    results: list[T] = []

    def run() -> None:
        start.wait()
        try:
            results.append(work())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
