"""Real services for the integration suite: an SMTP sink on 127.0.0.1 and a Celery worker
process on Redis, sharing the committed test database. Run by .ci/run, stage 3."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.db import connection

from .smtp_servers import RestartableSink

ROOT = Path(__file__).resolve().parents[2]
ENABLED = os.environ.get("RUN_INTEGRATION") == "1"


def _reachable(host, port):
    try:
        socket.create_connection((host, port), timeout=2).close()
        return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def redis_url():
    url = settings.CELERY_BROKER_URL
    if not url.startswith("redis://"):
        pytest.fail("The integration suite needs CELERY_BROKER_URL=redis://… (see .ci/run).")
    parsed = urlparse(url)
    if not _reachable(parsed.hostname, parsed.port or 6379):
        pytest.fail(f"Redis is not reachable at {url}")
    return url


@pytest.fixture
def smtp_sink():
    """An SMTP server on 127.0.0.1 keeping what it accepted (`.messages`, `.per_recipient()`);
    the fault suite stops and starts it again on its port."""
    sink = RestartableSink()
    sink.start()
    try:
        yield sink
    finally:
        sink.stop()


def worker_env(redis_url, smtp_sink, tmp_path, **extra):
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail("The integration suite shares its database with a worker process: run it on PostgreSQL.")
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_sink.port}",
        "VAR_DIR": str(tmp_path),
        "DIGEST_HOUR": "0",  # the sweep makes digests whatever the hour the suite runs at
        **extra,
    }


def start_worker(env, log_path, *, hostname=None):
    """A `celery worker` process (solo pool: the main process runs the tasks), once it is ready.
    With FAULT_KILL_AT="point:n" in `env` it kills itself (SIGKILL) at the n-th passage through
    that delivery.checkpoint (tests/integration/fault_worker.py)."""
    log = open(log_path, "a")
    program = "tests.integration.fault_worker" if env.get("FAULT_KILL_AT") else "celery"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            program,
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            *([f"--hostname={hostname}"] if hostname else []),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    worker.log_file = log
    worker.log_path = log_path
    start = log_path.read_text().count("ready.")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and log_path.read_text().count("ready.") <= start:
        if worker.poll() is not None:
            pytest.fail("Celery worker exited:\n" + log_path.read_text())
        time.sleep(0.5)
    return worker


def stop_worker(worker):
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
    worker.log_file.close()


@pytest.fixture
def celery_worker_process(transactional_db, redis_url, smtp_sink, tmp_path):
    """A real `celery worker` process on the test database, sending mail to the sink."""
    worker = start_worker(worker_env(redis_url, smtp_sink, tmp_path), tmp_path / "worker.log")
    try:
        yield worker
    finally:
        stop_worker(worker)


def pytest_collection_modifyitems(config, items):
    if ENABLED:
        return
    skip = pytest.mark.skip(reason="integration suite: set RUN_INTEGRATION=1 (run by .ci/run)")
    for item in items:
        if "integration" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    """The fault suite's one line per case (tests/integration/faults.py), for the CI log."""
    from .faults import SUMMARY

    if SUMMARY:
        terminalreporter.section("fault suite: per recipient and day, after recovery")
        for line in SUMMARY:
            terminalreporter.write_line(line)
