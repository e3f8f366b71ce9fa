"""The approver's queue in order of level (pending unit, level, id), requests waiting for a
decision only: like change_request_queue, one index range per approval unit, read either way
(workflows.list_pages.QUEUE_ORDERINGS "level" and "-level")."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0021_timeline_target_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="changerequest",
            index=models.Index(
                condition=models.Q(status="submitted"),
                fields=["pending_unit", "current_level", "id"],
                name="change_request_queue_level",
            ),
        ),
    ]
