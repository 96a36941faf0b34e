"""gunicorn settings for the production server; gunicorn reads this file from the working directory."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Sign-ins and pages are CPU-bound: about one worker per core, plus one.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = "-"
timeout = 60
