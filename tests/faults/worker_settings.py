"""Settings for the fault tests' worker processes: the test settings, emails kept as files."""

import os

from mobility.settings.test import *  # noqa: F403

# Each email a worker sends is written to a file, so a test can count what went out.
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ.get("FAULT_MAIL_DIR", "/tmp/mobility-fault-mail")
