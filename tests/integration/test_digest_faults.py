"""kill -9 of the worker in the middle of the digest sweep (real Redis, PostgreSQL, SMTP sink):
after a restart and the next sweep, every recipient has exactly one digest for the day."""

import os
import signal
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from notifications import services
from notifications.models import Digest, Kind
from notifications.tasks import sweep_digests
from tests.conftest import make_user

from .conftest import start_worker, stop_worker, worker_env

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PEOPLE = 40
CLAIM_SECONDS = 60  # the shortest claim the settings allow: how long the dead sender's row waits


def test_worker_killed_mid_sweep_then_restarted_every_digest_once(transactional_db, redis_url, smtp_sink, tmp_path):
    people = [make_user(f"nguoi_{n:03d}") for n in range(PEOPLE)]
    with transaction.atomic():
        for person in people:
            services.notify([person], kind=Kind.APPLIED, dedupe_key="su-kien", params={"id": 1, "title": "Nâng bậc"})
    env = worker_env(redis_url, smtp_sink, tmp_path, DIGEST_CHUNK="5", EMAIL_CLAIM_SECONDS=str(CLAIM_SECONDS))
    log_path = tmp_path / "worker.log"
    worker = start_worker(env, log_path)
    try:
        sweep_digests.delay()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and Digest.objects.filter(confirmed_at__isnull=False).count() < 3:
            time.sleep(0.02)
        os.kill(worker.pid, signal.SIGKILL)  # mid-sweep: some digests sent, others not made yet
        worker.wait(timeout=10)
        worker.log_file.close()
        sent_before = Digest.objects.filter(confirmed_at__isnull=False).count()
        assert 0 < sent_before < PEOPLE, "the kill did not land mid-sweep; worker log:\n" + log_path.read_text()[-3000:]

        worker = start_worker(env, log_path)
        time.sleep(CLAIM_SECONDS + 1)  # the dead sender's claim goes stale
        # The next hourly sweep (its `now` past the 5-minute quiet time of a row queued at commit),
        # with the workers' claim life: under the default one, the dead sender's row would not
        # be stale yet and would wait for a later sweep.
        with override_settings(EMAIL_CLAIM_SECONDS=CLAIM_SECONDS):
            services.sweep_digests(now=timezone.now() + timedelta(minutes=6))
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and Digest.objects.filter(sent_at__isnull=True).exists():
            time.sleep(0.5)
        time.sleep(3)  # a duplicate, were there one, has time to arrive
        counts = Counter(rcpt for m in smtp_sink.messages for rcpt in m.rcpt_tos)
        per_person = {p.email: counts[p.email] for p in people}
        lost = [e for e, n in per_person.items() if n == 0]
        doubled = [e for e, n in per_person.items() if n > 1]
        unconfirmed = list(
            Digest.objects.filter(sent_at__isnull=False, confirmed_at__isnull=True).values_list(
                "recipient__email", flat=True
            )
        )
        print(
            f"kill -9 after {sent_before}/{PEOPLE} sent; lost {len(lost)}, doubled {len(doubled)}, "
            f"marked-unconfirmed {len(unconfirmed)}"
        )
        # A loss is allowed only for the residual case (marked, not confirmed: README), and reported.
        assert not doubled, doubled
        assert set(lost) <= set(unconfirmed), (lost, unconfirmed, log_path.read_text()[-3000:])
        assert Digest.objects.count() == PEOPLE
    finally:
        stop_worker(worker) if worker.poll() is None else None
