"""Fault case 3, two beats by mistake: the hourly sweep delivered twice at the same moment to two
workers, and a third run here at once. The sweeps find the same people without a digest and
fan out the same chunks; the unique (recipient, day) key makes each row once and its send is
queued only by the chunk that made it; a send queued twice goes out once (the claim)."""

import os
import subprocess
import sys
import threading

import pytest
from django.db import connection

from notifications import services
from notifications.tasks import sweep_digests

from .conftest import ROOT, start_worker, stop_worker, worker_env
from .faults import CLAIM_SECONDS, recover, repeats, report, say, seed_people, settled, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PEOPLE = 40


@repeats()
def test_two_beats_sweeping_at_once_make_one_digest_each(repeat, transactional_db, redis_url, smtp_sink, tmp_path):
    people = seed_people(PEOPLE)
    env = worker_env(redis_url, smtp_sink, tmp_path, DIGEST_CHUNK="4", EMAIL_CLAIM_SECONDS=str(CLAIM_SECONDS))
    log_path = tmp_path / "worker.log"
    workers = [start_worker(env, log_path, hostname=f"faults{n}@%h") for n in (1, 2)]
    try:
        go = threading.Barrier(2)

        def beat_here():
            go.wait()
            try:
                services.sweep_digests()
            finally:
                connection.close()

        here = threading.Thread(target=beat_here)
        here.start()
        go.wait()
        sweep_digests.delay()  # beat one
        sweep_digests.delay()  # beat two
        here.join(timeout=60)
        wait_until(lambda: settled(people), 60, step=0.2)
        recover(people)
        log = log_path.read_text()
        sweeps = log.count("Task notifications.tasks.sweep_digests[") // 2  # received, succeeded
        chunks = log.count("Task notifications.tasks.create_digests[") // 2
        say(f"FAULT 3 two-beats: {sweeps} sweeps in the workers + 1 here, {chunks} chunks run")
        report("3 two-beats", people, smtp_sink, log_path=log_path, expect_unconfirmed=0)
        assert chunks > PEOPLE // 4  # the sweeps did overlap: some chunks were made twice
    finally:
        for worker in workers:
            stop_worker(worker)


@pytest.mark.skipif(
    os.environ.get("FAULT_REAL_BEATS") != "1",
    reason="two real `celery beat` processes wait for the next minute: bench/faults.sh runs it",
)
def test_two_beat_processes_make_one_digest_each(transactional_db, redis_url, smtp_sink, tmp_path):
    """The same with two real `celery beat` processes, the sweep due every minute."""
    people = seed_people(PEOPLE)
    env = worker_env(
        redis_url,
        smtp_sink,
        tmp_path,
        DIGEST_CHUNK="4",
        EMAIL_CLAIM_SECONDS=str(CLAIM_SECONDS),
        REMINDER_SWEEP_CRON="* * * * *",
    )
    log_path = tmp_path / "worker.log"
    workers = [start_worker(env, log_path, hostname=f"faults{n}@%h") for n in (1, 2)]
    beat_log = open(tmp_path / "beat.log", "a")
    beats = [
        subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "beat", "-l", "INFO", f"--schedule={tmp_path}/beat{n}"],
            cwd=ROOT,
            env=env,
            stdout=beat_log,
            stderr=subprocess.STDOUT,
        )
        for n in (1, 2)
    ]
    try:
        sent = lambda: (tmp_path / "beat.log").read_text().count("Sending due task sweep-digests")  # noqa: E731
        assert wait_until(lambda: sent() >= 2, 90, step=0.5), (tmp_path / "beat.log").read_text()[-3000:]
        for beat in beats:
            beat.terminate()
        wait_until(lambda: settled(people), 60, step=0.2)
        recover(people)
        say(f"FAULT 3 two-beat-processes: the sweep sent {sent()} times by two beats")
        report("3 two-beat-processes", people, smtp_sink, log_path=log_path, expect_unconfirmed=0)
    finally:
        for beat in beats:
            beat.kill() if beat.poll() is None else None
            beat.wait(timeout=10)
        beat_log.close()
        for worker in workers:
            stop_worker(worker)
