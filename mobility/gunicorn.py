"""gunicorn settings for the production shape: `gunicorn -c python:mobility.gunicorn mobility.wsgi`.

Threads let a worker answer other requests while one waits on PostgreSQL; processes (two per
core, plus one) use every core. Two threads each: with 50 users at once on 2 cores, 4 threads
let so many requests share the CPU (and one process's GIL) that each took 2-3 times as long
(bench/web_load.py). WEB_CONCURRENCY and WEB_THREADS override both.
"""

import logging
import multiprocessing
import os
import threading

# Keep database connections between requests, as docker-compose does (CONN_MAX_AGE=60): opening
# one per request costs PostgreSQL a new backend with cold caches. Health checks stay on.
os.environ.setdefault("CONN_MAX_AGE", "60")

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS") or 2)
# Restart workers now and then so a slow leak cannot grow without bound; jitter avoids all at once.
max_requests = 2000
max_requests_jitter = 200
timeout = 60
graceful_timeout = 30
accesslog = "-"


def post_worker_init(worker: object) -> None:
    """Load what a worker's first requests would otherwise wait for (WEB_WORKER_WARM_UP), in the
    background: a cold compile could outlast the worker timeout, and requests need not wait."""
    threading.Thread(target=_warm_up, name="warm-up", daemon=True).start()


def _warm_up() -> None:
    from django.conf import settings
    from django.db import connection
    from django.utils.module_loading import import_string

    for path in getattr(settings, "WEB_WORKER_WARM_UP", ()):
        try:
            import_string(path)()
        except Exception:  # an optimisation only: the worker serves regardless
            logging.getLogger("mobility.gunicorn").exception("Warm-up %s failed", path)
    connection.close()  # this thread's own connection
