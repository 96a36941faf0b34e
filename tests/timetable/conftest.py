"""Timetable tests: the pure engine package, no Django and no database (except the grid check)."""

from __future__ import annotations

from pathlib import Path

import pytest

from placements.engine.timetable import Timetable, read_feed

from .handmade import write_handmade


@pytest.fixture(scope="session")
def handmade(tmp_path_factory: pytest.TempPathFactory) -> Timetable:
    folder: Path = write_handmade(tmp_path_factory.mktemp("handmade"))
    return read_feed(folder)
