"""The engine must import with Django absent."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

BLOCK_AND_IMPORT = """
import importlib, pkgutil, sys

class NoDjango:
    def find_spec(self, name, path=None, target=None):
        if name == "django" or name.startswith("django.") or name.startswith("django_"):
            raise ImportError("django is blocked: " + name)
        return None

sys.meta_path.insert(0, NoDjango())
import placements.engine as engine
for info in pkgutil.walk_packages(engine.__path__, "placements.engine."):
    importlib.import_module(info.name)
assert not any(m.split(".")[0].startswith("django") for m in sys.modules)
print("ok")
"""


def test_engine_imports_without_django() -> None:
    done = subprocess.run(
        [sys.executable, "-c", BLOCK_AND_IMPORT],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
