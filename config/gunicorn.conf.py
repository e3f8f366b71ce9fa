"""gunicorn's settings for production: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Every value can be overridden from the environment (GUNICORN_CMD_ARGS, or the variables read
here), so a deployment changes numbers, not this file."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Sync workers: a request is CPU (templates, forms) and short database round trips. Two per
# core plus one keeps the cores busy while some workers wait on PostgreSQL.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Settings read it too: with several workers, sessions are cached only in a shared cache
# (CACHE_URL=redis://…), never in a worker's own memory (config/settings.py).
os.environ["WEB_CONCURRENCY"] = str(workers)

# Past this a worker is killed and restarted; exports and imports run in Celery, never here.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5

# Django and the apps are imported once in the master and shared by the forked workers
# (faster start, less memory). Connections are opened per worker after the fork: Django opens
# them lazily, and keeps each for DB_CONN_MAX_AGE seconds (config/settings.py).
preload_app = True

# A worker is replaced after this many requests (with jitter, so not all at once): memory
# a long-lived worker may accumulate is given back.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = 200

# The access log on stdout (the service manager keeps it), with the time each request took
# (%(M)s, milliseconds) to spot slow pages.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Behind the TLS proxy on the same host: trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
