"""Settings for every environment; production differs only by environment variables.

With no DATABASE_URL the site runs on an embedded SQLite file, and with no
CELERY_BROKER_URL Celery tasks run in-process: enough for the demo on a bare machine.
"""

from datetime import timedelta
from pathlib import Path

import django_stubs_ext
import environ

# Lets admin classes be written as ModelAdmin[Model] for the type checker.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# Only DEBUG accepts the demo key: without DEBUG the process refuses to start (mobility.security).
SECRET_KEY = env.str("SECRET_KEY", default="insecure-demo-key-set-SECRET_KEY-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # The admin site requires a signed-in staff user verified by a second factor.
    "mobility.security.admin_config.VerifiedAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "pgtrigger",
    "pghistory",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "mobility.security",
    "mobility.accounts",
    "mobility.audit",
    "mobility.geography",
    "mobility.transit",
    "mobility.outbox",
    "schools",
    "employers",
    "placements",
    "placements.lifecycle",
    "placements.selffound",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks a user verified by a second factor in this session (request.user.otp_device).
    "django_otp.middleware.OTPMiddleware",
    # Who made each change, for the audit trail kept by database triggers.
    "mobility.audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "mobility.security.middleware.PermissionsPolicyMiddleware",
    "mobility.security.middleware.SessionPolicyMiddleware",
    # Until the second factor is verified, only its own pages and signing out are reachable.
    "mobility.security.middleware.SecondFactorMiddleware",
    # Last, so it sees the lockout flag that authentication set during the view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mobility.urls"
WSGI_APPLICATION = "mobility.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "mobility" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "employers.web.context.own_organisation",
            ],
        },
    },
]

# SQLITE_PATH only matters without DATABASE_URL: it moves the embedded database file.
SQLITE_PATH = Path(env.str("SQLITE_PATH", default=str(VAR_DIR / "mobility.sqlite3")))
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{SQLITE_PATH}")}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    # Wait for a lock rather than fail when the server and an in-process task both write.
    # WAL: pages read the file (a run's progress) while a background run writes to it.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# A persistent connection is checked before each request reuses it, so a database restart costs no 500.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# .iterator() (a form's choices, for one) reads with a plain query: a server-side cursor costs
# three round trips (declare, fetch, close) for a few rows.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# The lockout check runs before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2id for every new password; PBKDF2 (Django's default, used here before Argon2id) only to
# check a hash made before the switch, which is then upgraded when its owner next signs in.
PASSWORD_HASHERS = [
    "mobility.security.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane): a class signing in at once stays quick on 2 cores.
ARGON2_MEMORY_KIB = env.int("ARGON2_MEMORY_KIB", default=19456)
ARGON2_TIME_COST = env.int("ARGON2_TIME_COST", default=2)
ARGON2_PARALLELISM = env.int("ARGON2_PARALLELISM", default=1)
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "mobility" / "static"]
# Hashed names cached for a year, and gzip/brotli copies that WhiteNoise serves to browsers that ask.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Celery. Without a broker the demo runs tasks in-process; with one, a real worker does.
CELERY_TASK_ALWAYS_EAGER = not env.str("CELERY_BROKER_URL", default="")
# The in-memory transport is never used for messages in eager mode; it only keeps
# the client from looking for a broker that is not there.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="memory://localhost/")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=env.str("REDIS_URL", default="")) or None
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {"placements.tasks.match_run_execute": {"queue": "matching"}}
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# Reliability (see README, "When a part fails"): a task whose worker died is handed out again;
# the run recovery sweep (below) resumes a run long before the visibility timeout would.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None  # a worker waits for the broker rather than exit
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=1.0)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Longer than any run, so a run in progress is not delivered to a second worker.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "socket_connect_timeout": 2,
    # A publisher retries the broker briefly (within CELERY_BROKER_CONNECTION_TIMEOUT), then gives up.
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
    "socket_keepalive": True,
    "health_check_interval": 10,
}
# Publishing is never retried in the caller: the outbox relay retries instead.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {}
# Unanswered offers lapse and their seats are re-offered by policy.
CELERY_BEAT_SCHEDULE["lapse-overdue-offers"] = {
    "task": "placements.lifecycle.tasks.lapse_overdue_offers",
    "schedule": timedelta(hours=1),
}

# Background work recorded with each change is sent by the relay until the broker takes it.
OUTBOX = {
    "RELAY_SECONDS": env.float("OUTBOX_RELAY_SECONDS", default=5.0),
    "RETRY_BASE_SECONDS": env.float("OUTBOX_RETRY_BASE_SECONDS", default=2.0),
    "RETRY_MAX_SECONDS": env.float("OUTBOX_RETRY_MAX_SECONDS", default=60.0),
    "KEEP_SENT_DAYS": env.int("OUTBOX_KEEP_SENT_DAYS", default=30),
}
CELERY_BEAT_SCHEDULE["outbox-purge"] = {"task": "outbox.purge", "schedule": timedelta(days=1)}
CELERY_BEAT_SCHEDULE["outbox-relay"] = {
    "task": "outbox.relay",
    "schedule": OUTBOX["RELAY_SECONDS"],
    "options": {"expires": OUTBOX["RELAY_SECONDS"]},
}
# Personal data past its retention period is anonymised or deleted (placements.privacy.retention).
CELERY_BEAT_SCHEDULE["privacy-retention"] = {
    "task": "placements.privacy.tasks.retention_run",
    "schedule": timedelta(days=1),
}
# The public open data files (/open-data/) for this and last academic year, rebuilt nightly.
CELERY_BEAT_SCHEDULE["open-data-publish"] = {
    "task": "placements.tasks.open_data_publish",
    "schedule": timedelta(days=1),
}

# Called in each web worker before it takes requests (mobility/gunicorn.py).
WEB_WORKER_WARM_UP = ["placements.transit.selectors.timetable_warm"]

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # Sessions are read from Redis and written through to the database: no session query per
    # request. Only with a shared cache: a per-process one could keep a signed-out session alive.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
# Where links in emails point when no request says (the admin site, commands, tasks).
SITE_URL = env.str("SITE_URL", default="http://localhost:8000")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Mobility <no-reply@mobility.invalid>")

REST_FRAMEWORK = {
    # Tokens first: their WWW-Authenticate header makes missing or bad credentials a 401, not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "mobility.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "mobility.api.exceptions.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "mobility.security.parsers.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "mobility.security.throttles.AnonThrottle",
        "mobility.security.throttles.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="60/min"),
        "user": env.str("API_THROTTLE_USER", default="600/min"),
        # Organisations registering from one address (the public sign-up page).
        "sign_up": env.str("SIGN_UP_THROTTLE", default="5/hour"),
    },
}
# API tokens (django-rest-knox): stored as SHA-512 digests, each expires, owners list and revoke them.
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env.int("API_TOKEN_HOURS", default=168)),
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_LIMIT_PER_USER": env.int("API_TOKENS_PER_USER", default=10),
}
# Nesting deeper than this in a JSON body is refused with 400.
JSON_MAX_DEPTH = env.int("JSON_MAX_DEPTH", default=32)
SPECTACULAR_SETTINGS = {
    "TITLE": "Mobility API",
    "DESCRIPTION": "Work-experience placements for school pupils.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "mobility.api.schema.add_error_responses",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    # Role-narrowed answers leave some read-only fields out, so they are optional in the schema.
    "COMPONENT_NO_READ_ONLY_REQUIRED": True,
    "ENUM_NAME_OVERRIDES": {
        "MatchStatusEnum": "placements.models.MatchStatus",
        "ConsentStatusEnum": "schools.models.ConsentStatus",
        "OpportunityStatusEnum": "employers.models.Opportunity.Status",
        "ApplicationStatusEnum": "placements.models.Application.Status",
        "MatchRunStatusEnum": "placements.models.MatchRun.Status",
        "RejectionReasonEnum": "placements.lifecycle.transitions.RejectionReason",
    },
}

# Domain settings: kept here, not in code, so a region can tune them.
MOBILITY = {
    "RISK_ASSESSMENT_VALID_FOR": timedelta(days=env.int("RISK_ASSESSMENT_VALID_DAYS", default=365)),
    "DEFAULT_MAX_TRAVEL_MINUTES": env.int("DEFAULT_MAX_TRAVEL_MINUTES", default=45),
    "MAX_APPLICATIONS": env.int("MAX_APPLICATIONS", default=5),
    # Young people outside school (registered by a youth service) form a priority tier of their
    # own at this position among the run's tiers: 0 first, 1 after care-experienced pupils (the
    # default); "none" gives them no tier of their own (they rank by their other flags).
    "YOUNG_PERSON_PRIORITY_TIER": (
        None
        if env.str("YOUNG_PERSON_PRIORITY_TIER", default="1").lower() == "none"
        else env.int("YOUNG_PERSON_PRIORITY_TIER", default=1)
    ),
    # Journeys from timetables must arrive by this time (HH:MM) on the placement's first day.
    "ARRIVE_BY": env.str("ARRIVE_BY", default="08:50"),
    "OFFER_LAPSE_DAYS": env.int("OFFER_LAPSE_DAYS", default=7),
    # Run recovery: a queued run not started after RUN_QUEUED_STALL_SECONDS is handed out again;
    # a run whose worker died is resumed up to RUN_MAX_ATTEMPTS times in all, then failed.
    "RUN_RECOVERY_SECONDS": env.float("RUN_RECOVERY_SECONDS", default=15.0),
    "RUN_QUEUED_STALL_SECONDS": env.float("RUN_QUEUED_STALL_SECONDS", default=60.0),
    "RUN_MAX_ATTEMPTS": env.int("RUN_MAX_ATTEMPTS", default=3),
    # An email task the broker took but lost (a restart without persistence) is sent again after this.
    "NOTIFY_REDELIVER_AFTER": timedelta(seconds=env.int("NOTIFY_REDELIVER_AFTER_SECONDS", default=600)),
    # A set-your-password link or printed activation code works this long, once.
    "INVITATION_VALID_DAYS": env.int("INVITATION_VALID_DAYS", default=7),
    # A placement lasts at most this many working days and starts within this many months.
    "PLACEMENT_MAX_WORKING_DAYS": env.int("PLACEMENT_MAX_WORKING_DAYS", default=10),
    "PLACEMENT_MAX_MONTHS_AHEAD": env.int("PLACEMENT_MAX_MONTHS_AHEAD", default=18),
    # Retention (README, "Privacy"): how long personal data is kept.
    "PUPIL_RETENTION": timedelta(days=env.int("PUPIL_RETENTION_DAYS", default=365)),
    "INVITATION_RETENTION": timedelta(days=env.int("INVITATION_RETENTION_DAYS", default=30)),
    "NOTIFICATION_RETENTION": timedelta(days=env.int("NOTIFICATION_RETENTION_DAYS", default=90)),
}
CELERY_BEAT_SCHEDULE["redeliver-lost-notifications"] = {
    "task": "placements.lifecycle.tasks.redeliver_lost_notifications",
    "schedule": MOBILITY["NOTIFY_REDELIVER_AFTER"].total_seconds() / 2,
}
CELERY_BEAT_SCHEDULE["recover-match-runs"] = {
    "task": "placements.tasks.match_runs_recover",
    "schedule": MOBILITY["RUN_RECOVERY_SECONDS"],
    "options": {"expires": MOBILITY["RUN_RECOVERY_SECONDS"]},
}

# Audit trail (django-pghistory): event tables are append-only, enforced by triggers.
PGHISTORY_APPEND_ONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Security. Everything is on when DEBUG is off; each can be turned off through the environment.
# The process refuses to start without a proper SECRET_KEY (mobility.security.apps).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers and container health checks speak plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
# Behind a TLS-terminating reverse proxy that sets X-Forwarded-Proto and X-Forwarded-For
# (and strips any a client sent): trust them for HTTPS detection and the client's address.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
CSRF_FAILURE_VIEW = "mobility.security.error_views.csrf_failure"

# No inline script or style anywhere: the pages, htmx and GOV.UK Frontend all work under this.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Browser features no page uses, switched off.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# Sessions for shared school computers: a pupil's ends with the browser and after idling;
# everyone else's after a working day.
PUPIL_SESSION_IDLE_MINUTES = env.int("PUPIL_SESSION_IDLE_MINUTES", default=30)
STAFF_SESSION_HOURS = env.int("STAFF_SESSION_HOURS", default=8)

# Sign-in lockout (django-axes) on the web, admin and token sign-ins. Per account, and per
# address with a higher limit because a whole school often shares one address.
LOGIN_FAILURES_PER_ACCOUNT = env.int("LOGIN_FAILURES_PER_ACCOUNT", default=5)
LOGIN_FAILURES_PER_ADDRESS = env.int("LOGIN_FAILURES_PER_ADDRESS", default=50)
AXES_FAILURE_LIMIT = "mobility.security.lockout.account_failure_limit"
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "mobility.security.lockout.AccountAndAddressHandler"
AXES_USERNAME_CALLABLE = "mobility.security.lockout.username_of"
AXES_CLIENT_IP_CALLABLE = "mobility.security.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "mobility.security.lockout.lockout_response"
AXES_VERBOSE = False
# Every failure is kept (up to 1000 per account) for the admin site.
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# Two-factor sign-in (django-otp, TOTP with recovery codes): required for careers advisers,
# school staff and platform admins (the admin site included), optional for other roles, not
# offered to pupils. Off only for a demo: a system check warns when it is off with DEBUG off.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=True)
TWO_FACTOR_RECOVERY_CODES = env.int("TWO_FACTOR_RECOVERY_CODES", default=10)
OTP_TOTP_ISSUER = "Mobility"
# Each wrong code doubles the wait before the next try on that device (1 s, 2 s, 4 s, ...).
OTP_TOTP_THROTTLE_FACTOR = 1
# The admin site never shows a device's secret.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
