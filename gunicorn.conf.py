"""gunicorn settings, read from the working directory by `gunicorn config.wsgi` (command-line flags win).

Sync workers, gunicorn's default, behind a proxy that buffers slow clients (nginx or similar):
the benchmark measured their per-request CPU below gthread's. Environment: GUNICORN_BIND,
GUNICORN_WORKERS (default 2 per CPU core + 1), GUNICORN_TIMEOUT.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))


def post_worker_init(worker):
    # The loaded application's objects never die: freezing them keeps the garbage collector's full
    # collections (which would walk every Django object) short, and request latency with them.
    gc.collect()
    gc.freeze()
