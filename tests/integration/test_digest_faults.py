"""Fault case 1, kill -9 of the worker in the middle of the digest sweep (real Redis,
PostgreSQL, SMTP sink): after a restart and the next sweep, every recipient has exactly one
digest for the day. Each repeat kills at a different moment: from outside after k digests were
confirmed (k random), or from inside at the n-th passage through a random point of the send."""

import os
import random
import signal
import time

import pytest

from notifications.models import Digest
from notifications.tasks import sweep_digests

from .conftest import start_worker, stop_worker, worker_env
from .faults import CLAIM_SECONDS, confirmed, recover, repeats, report, seed_people, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PEOPLE = 40
POINTS = ["claimed", "data_sent", "marking", "marked", "dot_sent"]


@repeats()
def test_worker_killed_mid_sweep_then_restarted_every_digest_once(
    repeat, transactional_db, redis_url, smtp_sink, tmp_path
):
    rng = random.Random()
    people = seed_people(PEOPLE)
    env = worker_env(redis_url, smtp_sink, tmp_path, DIGEST_CHUNK="5", EMAIL_CLAIM_SECONDS=str(CLAIM_SECONDS))
    log_path = tmp_path / "worker.log"
    if repeat % 2 == 0:
        k = rng.randint(1, PEOPLE - 10)
        how = f"kill -9 after {k} confirmed"
        worker = start_worker(env, log_path)
    else:
        # from the 2nd send on: the worker has confirmed at least one digest when it dies
        point, nth = rng.choice(POINTS), rng.randint(2, PEOPLE - 10)
        how = f"SIGKILL inside at {point} #{nth}"
        worker = start_worker({**env, "FAULT_KILL_AT": f"{point}:{nth}"}, log_path)
    try:
        sweep_digests.delay()
        if repeat % 2 == 0:
            wait_until(lambda: confirmed() >= k, 60, step=0.01)
            time.sleep(rng.uniform(0, 0.1))  # a send takes about 0.1 s: somewhere inside the next one
            os.kill(worker.pid, signal.SIGKILL)  # mid-sweep: some digests sent, others not made yet
        worker.wait(timeout=60)
        worker.log_file.close()
        fault_at = time.monotonic()
        sent_before = confirmed()
        assert 0 < sent_before < PEOPLE, "the kill did not land mid-sweep; worker log:\n" + log_path.read_text()[-3000:]

        worker = start_worker(env, log_path)  # restarted as it is, without a fault
        recover(people, since_fault=fault_at)
        result = report(f"1 kill-9 [{how}]", people, smtp_sink, sent_before=sent_before, log_path=log_path)
        if repeat % 2 == 1 and point == "marked":  # the residual case: marked, the dot never sent
            assert len(result["lost"]) == 1 and Digest.objects.filter(confirmed_at__isnull=True).count() == 1
    finally:
        stop_worker(worker) if worker.poll() is None else None
