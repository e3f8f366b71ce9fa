"""Fault case 6, the worker's database connection killed in the middle of the digest sweep
(pg_terminate_backend of the worker's backends, found by their application_name, from this
process) a few times at random moments. The task that was using it fails (a transaction in
flight is rolled back by PostgreSQL); Django opens a new connection for the next task; what the
failed task left (a row not made, a send not queued, a claim never released) is taken up by the
next hourly sweep, once such a claim is stale."""

import random
import time

import pytest
from django.db import connection

from notifications.tasks import sweep_digests

from .conftest import start_worker, stop_worker, worker_env
from .faults import CLAIM_SECONDS, confirmed, dangling_claims, recover, repeats, report, say, seed_people, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PEOPLE = 30
APP_NAME = "qlcb-fault-worker"


def terminate_worker_backends() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE application_name = %s AND datname = current_database()",
            [APP_NAME],
        )
        return cursor.fetchone()[0]


@repeats()
def test_worker_database_connection_killed_mid_sweep(repeat, transactional_db, redis_url, smtp_sink, tmp_path):
    rng = random.Random()
    people = seed_people(PEOPLE)
    env = worker_env(
        redis_url,
        smtp_sink,
        tmp_path,
        DIGEST_CHUNK="5",
        EMAIL_CLAIM_SECONDS=str(CLAIM_SECONDS),
        PGAPPNAME=APP_NAME,  # libpq names the worker's connections
    )
    log_path = tmp_path / "worker.log"
    worker = start_worker(env, log_path)
    try:
        k = rng.randint(0, PEOPLE // 2)
        sweep_digests.delay()
        wait_until(lambda: confirmed() >= k, 60, step=0.005)
        sent_before = confirmed()
        killed = 0
        for _ in range(rng.randint(2, 4)):
            killed += terminate_worker_backends()
            time.sleep(rng.uniform(0.02, 0.3))
        fault_at = time.monotonic()
        assert killed, "the worker had no database connection to kill"
        recover(people, since_fault=fault_at)
        failures = log_path.read_text().count("terminating connection due to administrator command")
        say(f"FAULT 6 db-kill: {killed} backends killed, {failures} task errors from it")
        report(f"6 db-kill [{killed} killed]", people, smtp_sink, sent_before=sent_before, log_path=log_path)
        assert dangling_claims() == 0
        assert worker.poll() is None  # the worker lived on
    finally:
        stop_worker(worker)
