"""The approver's queue sorted by level (issue #12: the queue's columns sortable): one index range
per approval unit, as change_request_queue is for the order of arrival. The orders by a name
(person, unit, proposer, kind of change) read each unit's waiting requests and sort them, a set
bounded by that unit's queue: no index of another table's name serves them."""

from django.db import migrations, models


class Migration(migrations.Migration):
    # On merge: workflows 0021 was assigned to another branch; this one follows 0020 (and 0021).
    dependencies = [
        ("workflows", "0020_timeline_scope_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="changerequest",
            index=models.Index(
                condition=models.Q(("status", "submitted")),
                fields=["pending_unit", "current_level", "id"],
                name="change_request_queue_level",
            ),
        ),
    ]
