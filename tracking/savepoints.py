"""A block whose writes are always undone: a savepoint rolled back at its end, and not released
(Django's atomic releases a savepoint after rolling back to it: one statement more, for a
savepoint the transaction's end discards anyway)."""

from contextlib import contextmanager

from django.db import Error, transaction


class _RolledBackSavepoint(transaction.Atomic):
    """An atomic block inside another, rolled back to its savepoint however it ends. It is one of
    the connection's atomic blocks and its savepoint one of its savepoints while open, as any
    atomic block's: what is noted as held by the innermost block, and the on_commit callbacks
    registered inside, end with it."""

    def __init__(self, using):
        super().__init__(using, savepoint=True, durable=False)

    def __exit__(self, exc_type, exc_value, traceback):
        connection = transaction.get_connection(self.using)
        connection.atomic_blocks.pop()
        sid = connection.savepoint_ids.pop()
        if connection.closed_in_transaction:
            return  # the database rolls back by itself; the outermost block ends it
        # no savepoint (the transaction had failed before the block): the caller's rolls back
        connection.needs_rollback = sid is None
        if sid is not None:
            try:
                connection.savepoint_rollback(sid)
            except Error:
                connection.needs_rollback = True
                raise


@contextmanager
def rolled_back(using=None):
    """Run the block and undo what it wrote, whether it ends normally or raises: inside a
    transaction, SAVEPOINT … ROLLBACK TO SAVEPOINT (no RELEASE); outside one, a transaction
    rolled back."""
    if transaction.get_connection(using).in_atomic_block:
        with _RolledBackSavepoint(using):
            yield
        return
    with transaction.atomic(using):
        try:
            yield
        finally:
            transaction.set_rollback(True, using)
