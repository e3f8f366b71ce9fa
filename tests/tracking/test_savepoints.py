"""tracking.savepoints.rolled_back: what the block writes is undone however it ends, with a
savepoint rolled back and not released, and the transaction around it goes on."""

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from tracking.savepoints import rolled_back


def _statements(queries):
    return [q["sql"].split(" ")[0] + (" TO" if q["sql"].startswith("ROLLBACK TO") else "") for q in queries]


# Serialized like the transactional tests after them: a plain one's flush re-creates the content
# types under other ids, and theirs, restored, then collide (test_cycle_queries).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_inside_a_transaction_the_savepoint_is_rolled_back_not_released():
    told = []
    with transaction.atomic():
        Group.objects.create(name="kept")
        with CaptureQueriesContext(connection) as queries, rolled_back():
            Group.objects.create(name="undone")
            transaction.on_commit(lambda: told.append("undone"))
        transaction.on_commit(lambda: told.append("kept"))
        assert not Group.objects.filter(name="undone").exists()
    statements = _statements(queries.captured_queries)
    assert statements[0] == "SAVEPOINT" and statements[-1] == "ROLLBACK TO", statements
    assert "RELEASE" not in statements
    assert list(Group.objects.values_list("name", flat=True)) == ["kept"]
    assert told == ["kept"]  # what the rolled-back block registered is not run


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_error_inside_is_undone_and_raised_and_the_transaction_goes_on():
    Group.objects.create(name="taken")
    with transaction.atomic():
        with pytest.raises(ValueError), rolled_back():
            Group.objects.create(name="undone")
            # an error without a savepoint of its own (a set of one operation) marks the
            # transaction for rollback; the block's savepoint undoes it
            with pytest.raises(IntegrityError), transaction.atomic(savepoint=False):
                Group.objects.create(name="taken")
            raise ValueError
        assert not connection.needs_rollback
        Group.objects.create(name="after")
    assert sorted(Group.objects.values_list("name", flat=True)) == ["after", "taken"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_a_transaction_rolled_back():
    with rolled_back():
        Group.objects.create(name="undone")
    assert not Group.objects.exists()
    assert not connection.in_atomic_block
