"""Fault cases 4 and 5, the mail server failing under a real worker (Redis, PostgreSQL):

4. it refuses connections for a while (stopped, then started again on its port): the sends are
   retried with backoff (EMAIL_RETRY_BACKOFF, short here) and deliver once it is back;
5. it drops the connection in the middle of DATA (before the final dot: it discards the message,
   which must be sent again) or right after the dot without a reply (kept or lost by the server:
   nobody knows; the digest is marked sent but unconfirmed, not sent again, and reported)."""

import random
import time

import pytest
from django.db.models import Sum

from notifications.models import Digest
from notifications.tasks import sweep_digests

from .conftest import start_worker, stop_worker, worker_env
from .faults import CLAIM_SECONDS, confirmed, recover, repeats, report, say, seed_people, settled, wait_until
from .smtp_servers import DroppingServer

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PEOPLE = 30
# Retries after a delay drawn in [0, min(2**retry, 5)] s, 8 times: a few seconds of outage is
# outlasted by far (the chance that 8 draws add up to under 3 s is about 1 in 10,000).
FAST_RETRY = {"EMAIL_RETRY_BACKOFF": "1", "EMAIL_RETRY_BACKOFF_MAX": "5"}


def _env(redis_url, server, tmp_path):
    return worker_env(
        redis_url, server, tmp_path, DIGEST_CHUNK="5", EMAIL_CLAIM_SECONDS=str(CLAIM_SECONDS), **FAST_RETRY
    )


@repeats()
def test_smtp_refusing_connections_for_a_while(repeat, transactional_db, redis_url, smtp_sink, tmp_path):
    rng = random.Random()
    people = seed_people(PEOPLE)
    log_path = tmp_path / "worker.log"
    worker = start_worker(_env(redis_url, smtp_sink, tmp_path), log_path)
    try:
        k, down = rng.randint(0, PEOPLE // 3), rng.uniform(1.5, 3)
        if k == 0:
            smtp_sink.stop()
        sweep_digests.delay()
        if k:
            wait_until(lambda: confirmed() >= k, 60, step=0.01)
            smtp_sink.stop()  # the port refuses connections now
        sent_before = confirmed()
        time.sleep(down)
        assert not settled(people)  # the sends queued meanwhile are waiting for the server
        smtp_sink.start()
        # No sweep yet: the retries with backoff deliver by themselves.
        by_retries = wait_until(lambda: settled(people), 60, step=0.2)
        attempts = Digest.objects.aggregate(n=Sum("attempts"))["n"]
        say(f"FAULT 4 smtp refusing {down:.1f}s: delivered by retries alone {by_retries}, attempts {attempts}")
        recover(people)
        report(f"4 smtp-refusing [down {down:.1f}s after {k}]", people, smtp_sink, sent_before=sent_before)
        assert by_retries, log_path.read_text()[-4000:]
        assert attempts > PEOPLE  # some sends were refused and retried
    finally:
        stop_worker(worker)


# mode: what the server does to the first `drops` messages; how many digests end marked sent but
# unconfirmed (a drop before the dot is noticed and sent again; after it, nobody knows).
MODES = {"in_data": 0, "after_dot_kept": None, "after_dot_lost": None}


@pytest.mark.parametrize("mode", list(MODES))
@repeats()
def test_smtp_dropping_the_connection_in_data(mode, repeat, transactional_db, redis_url, tmp_path):
    drops = random.Random().randint(1, 6)
    server = DroppingServer(mode, drops)
    server.start()
    people = seed_people(PEOPLE)
    log_path = tmp_path / "worker.log"
    worker = start_worker(_env(redis_url, server, tmp_path), log_path)
    try:
        sweep_digests.delay()
        wait_until(lambda: settled(people), 60, step=0.2)
        recover(people)
        expected = drops if MODES[mode] is None else MODES[mode]
        result = report(
            f"5 smtp-drop {mode} x{drops}",
            people,
            server,
            log_path=log_path,
            expect_unconfirmed=expected,
        )
        assert len(result["lost"]) == (drops if mode == "after_dot_lost" else 0)
    finally:
        stop_worker(worker)
        server.stop()
