from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# The key scripts/demo runs with; public, so never acceptable in production.
DEMO_SECRET_KEY = "insecure-demo-key-set-SECRET_KEY-in-production"
MIN_SECRET_KEY_LENGTH = 50


def secret_key_problem(key: str | None) -> str | None:
    """Why `key` is not fit for production, or None when it is."""
    if not key:
        return "SECRET_KEY is not set"
    if key == DEMO_SECRET_KEY:
        return "SECRET_KEY is unset, so it is the public demo value"
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return f"SECRET_KEY is shorter than {MIN_SECRET_KEY_LENGTH} characters"
    return None


class SecurityConfig(AppConfig):
    name = "mobility.security"
    label = "security"
    verbose_name = "Security"

    def ready(self) -> None:
        # At start-up, so a misconfigured server never answers a request.
        problem = None if settings.DEBUG else secret_key_problem(settings.SECRET_KEY)
        if problem:
            raise ImproperlyConfigured(
                f"{problem}. With DEBUG off Mobility needs a random SECRET_KEY of at least "
                f"{MIN_SECRET_KEY_LENGTH} characters, for example: "
                "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
            )
        from mobility.security import checks, lockout, sessions  # noqa: F401  (receivers, checks)
