"""Demo logins and the marks that tell demo rows apart from real ones."""

from __future__ import annotations

import re

from django.conf import settings
from django.db.models import Q

from mobility.accounts.models import Role, User

# It is a demo: every generated account shares this password.
DEMO_PASSWORD = "mobility-demo"

# Every demo email ends with this reserved (.test) domain; demo employers' websites use it too.
DEMO_DOMAIN = "demo.mobility.test"
# Demo school URNs are 99xxxx, above the range DfE has issued, so they are never a real school's.
DEMO_URN_PREFIX = "99"

# One named login per role.
DEMO_LOGINS: dict[str, str] = {
    Role.PUPIL: f"pupil@{DEMO_DOMAIN}",
    Role.EMPLOYER: f"employer@{DEMO_DOMAIN}",
    Role.SCHOOL_STAFF: f"school@{DEMO_DOMAIN}",
    Role.ADVISER: f"adviser@{DEMO_DOMAIN}",
    Role.YOUTH_WORKER: f"youth@{DEMO_DOMAIN}",
    Role.REGION_LEAD: f"lead@{DEMO_DOMAIN}",
    Role.ADMIN: f"admin@{DEMO_DOMAIN}",
}


def demo_user_q(prefix: str = "") -> Q:
    """Matches demo users; `prefix` reaches them through a relation, e.g. "user__"."""
    field = f"{prefix}email__iendswith"
    return Q(**{field: f"@{DEMO_DOMAIN}"}) | Q(**{field: f".{DEMO_DOMAIN}"})


def demo_email(local: str, group: str = "") -> str:
    """`local@group.demo.mobility.test`, with the local part reduced to safe characters."""
    local = re.sub(r"[^a-z0-9.]+", "", local.lower())
    return f"{local}@{group}.{DEMO_DOMAIN}" if group else f"{local}@{DEMO_DOMAIN}"


def new_user(email: str, first_name: str, last_name: str, role: str, password_hash: str) -> User:
    """An unsaved user with an already-hashed password (hashing once keeps bulk loads fast)."""
    is_admin = role == Role.ADMIN
    return User(
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=role,
        password=password_hash,
        is_staff=is_admin,
        is_superuser=is_admin,
    )


def two_factor_note() -> str:
    """What the demo logins need besides the password, printed with them."""
    if not settings.TWO_FACTOR_REQUIRED:
        return (
            "Two-factor sign-in is off in this demo (scripts/demo sets TWO_FACTOR_REQUIRED=false).\n"
            "In production it is required for careers advisers, school staff and admins. To try it,\n"
            "choose 'Two-factor sign-in' after signing in, or start the demo with\n"
            "TWO_FACTOR_REQUIRED=true scripts/demo to be asked to set up an authenticator app."
        )
    return (
        "Two-factor sign-in is on: the adviser, school staff and admin logins set up an\n"
        "authenticator app at their first sign-in (the page shows a QR code and a setup key)."
    )
