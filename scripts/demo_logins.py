"""Used by scripts/demo: if the demo is already loaded, print its logins and exit 0; else exit 3.

Loading twice is refused by `manage.py load_demo`, so a second `scripts/demo` skips the load
and shows the logins again instead.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

NOT_LOADED = 3


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mobility.settings.base")
    import django

    django.setup()
    from demo.accounts import two_factor_note
    from demo.loader import DEMO_LOGINS, DEMO_PASSWORD, demo_exists
    from mobility.accounts.models import Role

    if not demo_exists():
        return NOT_LOADED
    print("The demo is already loaded (scripts/demo --reset replaces it).")
    print("\nDemo logins (all share one password):")
    print(f"  {'Role':<42} {'Email':<32} Password")
    for role, email in DEMO_LOGINS.items():
        print(f"  {Role(role).label:<42} {email:<32} {DEMO_PASSWORD}")
    print("\n" + two_factor_note())
    return 0


if __name__ == "__main__":
    sys.exit(main())
