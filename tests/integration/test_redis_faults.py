"""Fault case 2, the broker dies in the middle of the digest sweep (kill -9 of a redis-server of
the test's own, never the shared one) and comes back, with persistence (append-only file) or
without (it comes back empty: every queued send and chunk is gone). The worker reconnects by
itself; the next hourly sweep queues again the digests not sent and makes the missing ones."""

import random
import time

import pytest

from notifications.tasks import sweep_digests

from .conftest import start_worker, stop_worker, worker_env
from .faults import (
    CLAIM_SECONDS,
    PrivateRedis,
    broker,
    confirmed,
    recover,
    repeats,
    report,
    seed_people,
    wait_until,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PEOPLE = 30


@pytest.mark.parametrize("persistent", [True, False], ids=["appendonly", "no-persistence"])
@repeats()
def test_redis_killed_mid_sweep_and_restarted(persistent, repeat, transactional_db, smtp_sink, tmp_path):
    rng = random.Random()
    people = seed_people(PEOPLE)
    redis = PrivateRedis(tmp_path / "redis", persistent=persistent)
    redis.start()
    env = worker_env(redis.url, smtp_sink, tmp_path, DIGEST_CHUNK="5", EMAIL_CLAIM_SECONDS=str(CLAIM_SECONDS))
    log_path = tmp_path / "worker.log"
    k, down = rng.randint(0, PEOPLE // 2), rng.uniform(1, 4)
    worker = None
    try:
        worker = start_worker(env, log_path)
        with broker(redis.url):
            sweep_digests.delay()
            if k:
                wait_until(lambda: confirmed() >= k, 60, step=0.01)
            else:
                time.sleep(rng.uniform(0, 0.5))  # while the chunks are being made
            redis.crash()
            sent_before = confirmed()
            time.sleep(down)
            redis.start()
        with broker(redis.url):  # this process reconnects too
            recover(people)
        how = f"{'appendonly' if persistent else 'no persistence'}, down {down:.1f}s"
        report(f"2 redis-kill [{how}]", people, smtp_sink, sent_before=sent_before, log_path=log_path)
        assert "Connected to redis" in log_path.read_text().split("Connection to broker lost", 1)[-1]
    finally:
        if worker is not None:
            stop_worker(worker)
        redis.stop()
