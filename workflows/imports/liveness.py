"""Whether a worker is still at an import batch it took (validating or applying), so that the
batch of a worker that died is not left "in progress" for ever.

The worker holds a PostgreSQL session advisory lock on the batch while it works; the server
drops the lock with the connection when the worker dies (kill -9, lost host). A sweep that can
take the lock knows nobody is at the batch. A second delivery of the same task (acks_late
redelivers it) cannot take the lock while the first works, and leaves the batch alone.

Elsewhere (SQLite: the demo and the tests) there are no such locks. The demo runs one worker
with the solo pool, which runs the sweep between tasks, never beside one: a batch the sweep
finds in progress there was left by a worker that died.
"""

from contextlib import contextmanager

from django.db import DatabaseError, connection

NAMESPACE = 7301  # the advisory-lock class of import batches (any number no other lock uses)


def _locks() -> bool:
    return connection.vendor == "postgresql"


def _select(sql: str, batch_id: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(sql, [NAMESPACE, batch_id])
        return bool(cursor.fetchone()[0])


@contextmanager
def working_on(batch_id: int):
    """Hold the batch for the block; yields False when another worker holds it already."""
    if not _locks():
        yield True
        return
    if not _select("SELECT pg_try_advisory_lock(%s, %s)", batch_id):
        yield False
        return
    try:
        yield True
    finally:
        try:
            _select("SELECT pg_advisory_unlock(%s, %s)", batch_id)
        except DatabaseError:
            pass  # the connection is gone, and the lock with it


def nobody_working_on(batch_id: int) -> bool:
    """Inside a transaction: True if no worker holds the batch; the caller then holds it until
    its transaction ends, so no worker can start on it meanwhile."""
    if not _locks():
        return True
    return _select("SELECT pg_try_advisory_xact_lock(%s, %s)", batch_id)
