"""`python -m tests.integration.fault_worker -A config worker …`: a Celery worker that kills
itself with SIGKILL (no handler runs, as with kill -9 from outside) at the n-th passage through
a named point of the send (notifications.delivery.checkpoint), FAULT_KILL_AT="point:n"."""

import os
import signal
import sys

from celery.signals import worker_ready


@worker_ready.connect
def _arm(**kwargs):
    from notifications import delivery

    point, _, nth = os.environ["FAULT_KILL_AT"].partition(":")
    passages = {"count": 0}

    def checkpoint(name):
        if name == point:
            passages["count"] += 1
            if passages["count"] == int(nth or 1):
                print(f"fault_worker: SIGKILL at {point} #{passages['count']}", flush=True)
                os.kill(os.getpid(), signal.SIGKILL)

    delivery.checkpoint = checkpoint


if __name__ == "__main__":
    from celery.__main__ import main

    sys.argv[0] = "celery"
    sys.exit(main())
