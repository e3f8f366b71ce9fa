"""What the fault cases share: people with a notification waiting for today's digest, the
"next hourly sweep" run from the test process, a private Redis server, and the count per
recipient (0 lost, 0 doubled; a loss is allowed only for a digest marked sent but never
confirmed, README "Reminders and their guarantees"), printed one line per case for CI logs."""

import os
import shutil
import signal
import subprocess
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from notifications import services
from notifications.models import Digest, Kind
from tests.conftest import make_user

from .smtp_servers import free_port

CLAIM_SECONDS = 60  # the shortest claim the settings allow: how long a dead sender's row waits
# How many times each case runs (CI: a few; bench/faults.sh: many).
REPEATS = int(os.environ.get("FAULT_REPEATS", "2"))


SUMMARY = []  # the lines printed, shown again at the end of the run (conftest.py)


def say(line):
    """One line of the suite's summary: printed now (with -s) and listed at the end of the run."""
    SUMMARY.append(line)
    print("\n" + line)


def repeats(count=None):
    return pytest.mark.parametrize("repeat", range(count or REPEATS))


def seed_people(count, prefix="nguoi"):
    """`count` people, each with a daily notification of today waiting for a digest."""
    people = [make_user(f"{prefix}_{n:03d}") for n in range(count)]
    with transaction.atomic():
        for person in people:
            services.notify([person], kind=Kind.APPLIED, dedupe_key="su-kien", params={"id": 1, "title": "Nâng bậc"})
    return people


def wait_until(predicate, timeout, step=0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def confirmed() -> int:
    return Digest.objects.filter(confirmed_at__isnull=False).count()


def settled(people) -> bool:
    """Every person's digest made and marked sent."""
    return Digest.objects.filter(sent_at__isnull=False).count() >= len(people)


def hourly_sweep():
    """The next hourly sweep, run here: its `now` past the 5-minute quiet time of a row queued at
    commit, with the workers' claim life (under the default one a dead sender's row would not
    be stale yet and would wait for a later sweep)."""
    with override_settings(EMAIL_CLAIM_SECONDS=CLAIM_SECONDS):
        services.sweep_digests(now=timezone.now() + timedelta(minutes=6))


def quiesce(people, quiet=3.0, timeout=60):
    """Wait until every digest is sent, or nothing has moved for `quiet` seconds."""
    deadline = time.monotonic() + timeout
    last, since = None, time.monotonic()
    while time.monotonic() < deadline and not settled(people):
        state = (
            Digest.objects.filter(sent_at__isnull=False).count(),
            Digest.objects.filter(claimed_at__isnull=False).count(),
            Digest.objects.count(),
        )
        if state != last:
            last, since = state, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
        time.sleep(0.3)


def dangling_claims() -> int:
    """Digests claimed by a sender and never marked: their sender died (or lost its database)."""
    return Digest.objects.filter(sent_at__isnull=True, claimed_at__isnull=False).count()


def recover(people, *, since_fault=None, timeout=90):
    """What happens by itself later: once the workers are quiet, a claim left by a sender that
    died (`since_fault`: the monotonic time of the last fault) goes stale; then the hourly sweep
    runs (twice, as beat would: the second must change nothing) and the workers drain it."""
    quiesce(people)
    if since_fault is not None and dangling_claims():
        time.sleep(max(0.0, since_fault + CLAIM_SECONDS + 1 - time.monotonic()))
    hourly_sweep()
    wait_until(lambda: settled(people), timeout, step=0.5)
    hourly_sweep()
    time.sleep(3)  # a duplicate, were there one, has time to arrive


def report(case, people, inbox, *, sent_before=None, log_path=None, expect_unconfirmed=None):
    """Count per recipient for today, print the case's line, and assert: nobody doubled, a loss
    only where the digest is marked sent but unconfirmed, one digest row per person."""
    counts = inbox.per_recipient()
    per_person = {p.email: counts[p.email] for p in people}
    lost = sorted(e for e, n in per_person.items() if n == 0)
    doubled = sorted(e for e, n in per_person.items() if n > 1)
    unconfirmed = set(
        Digest.objects.filter(sent_at__isnull=False, confirmed_at__isnull=True).values_list(
            "recipient__email", flat=True
        )
    )
    unsent = Digest.objects.filter(sent_at__isnull=True).count()
    rows = Digest.objects.count()
    before = f"{sent_before}/{len(people)}" if sent_before is not None else "-"
    say(
        f"FAULT {case}: sent before fault {before}; lost {len(lost)}, doubled {len(doubled)}, "
        f"marked-unconfirmed {len(unconfirmed)} (of which lost {len(set(lost) & unconfirmed)}); "
        f"digest rows {rows}/{len(people)}, unsent {unsent}"
    )
    tail = log_path.read_text()[-4000:] if log_path else ""
    assert not doubled, (doubled, tail)
    assert set(lost) <= unconfirmed, (lost, unconfirmed, tail)
    assert unsent == 0, tail
    assert rows == len(people)
    assert Digest.objects.values("recipient_id", "day").distinct().count() == len(people)
    if expect_unconfirmed is not None:
        assert len(unconfirmed) == expect_unconfirmed, (unconfirmed, tail)
    return {"lost": lost, "doubled": doubled, "unconfirmed": unconfirmed}


# --- a private Redis (never the shared one) ------------------------------------------------------


class PrivateRedis:
    """A redis-server of the test's own, on a free port, with its own directory; persistent
    (append-only file, fsync always) or not (nothing saved: a restart starts empty)."""

    def __init__(self, directory, *, persistent: bool):
        if not shutil.which("redis-server"):
            pytest.fail("redis-server is needed for the Redis fault case (apt-get install redis-server).")
        self.directory, self.persistent = directory, persistent
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None
        directory.mkdir(parents=True, exist_ok=True)

    def start(self):
        persistence = ["--appendonly", "yes", "--appendfsync", "always"] if self.persistent else ["--appendonly", "no"]
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.directory)]
            + ["--save", "", "--daemonize", "no", "--logfile", str(self.directory / "redis.log")]
            + persistence,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        if not wait_until(self._up, 10, step=0.1):
            pytest.fail("private redis-server did not start: " + (self.directory / "redis.log").read_text()[-2000:])

    def _up(self):
        import socket

        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
            return True
        except OSError:
            return False

    def crash(self):
        """kill -9: whatever was not on disk is gone."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


@contextmanager
def broker(url):
    """This process's Celery publishes to `url` (the private Redis) for the block. (Celery reads
    CELERY_BROKER_WRITE_URL from the environment before its configuration.)"""
    from config.celery import app

    def reset():  # the pools are looked up again by URL (kombu.pools keeps one per URL)
        app._pool = None
        app.amqp._producer_pool = None

    previous = os.environ.get("CELERY_BROKER_WRITE_URL")
    reset()
    os.environ["CELERY_BROKER_WRITE_URL"] = url
    try:
        assert app.conf.broker_write_url == url
        yield
    finally:
        reset()
        if previous is None:
            del os.environ["CELERY_BROKER_WRITE_URL"]
        else:
            os.environ["CELERY_BROKER_WRITE_URL"] = previous
