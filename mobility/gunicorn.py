"""gunicorn settings for the production shape: `gunicorn -c python:mobility.gunicorn mobility.wsgi`.

Threads let a worker answer other requests while one waits on PostgreSQL; processes (two per
core, plus one) use every core. WEB_CONCURRENCY and WEB_THREADS override both.
"""

import multiprocessing
import os

# Keep database connections between requests, as docker-compose does (CONN_MAX_AGE=60): opening
# one per request costs PostgreSQL a new backend with cold caches. Health checks stay on.
os.environ.setdefault("CONN_MAX_AGE", "60")

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS") or 4)
# Restart workers now and then so a slow leak cannot grow without bound; jitter avoids all at once.
max_requests = 2000
max_requests_jitter = 200
timeout = 60
graceful_timeout = 30
accesslog = "-"
