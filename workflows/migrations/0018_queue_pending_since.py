"""ChangeRequest.pending_since: when the request reached the level it waits at, and the
queue's index (pending unit, newest arrival first) over the requests waiting for a decision.

Open requests get it from their latest decision since they were (re)submitted (an approval that
moved them up a level), else from their (re)submission."""

from django.conf import settings
from django.db import migrations, models


FILL = """
UPDATE workflows_changerequest SET pending_since = COALESCE(
    (SELECT MAX(d.decided_at) FROM workflows_approvaldecision d
     WHERE d.change_request_id = workflows_changerequest.id
       AND d.decided_at >= workflows_changerequest.submitted_at),
    submitted_at)
WHERE status = 'submitted'
"""


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0022_employment_contract_and_probation"),
        ("units", "0008_unit_level_path_index"),
        ("viewflow", "0015_task_scheduled"),
        ("workflows", "0017_anomaly_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="changerequest",
            name="pending_since",
            field=models.DateTimeField(blank=True, null=True, verbose_name="chờ phê duyệt từ"),
        ),
        migrations.AddField(
            model_name="historicalchangerequest",
            name="pending_since",
            field=models.DateTimeField(blank=True, null=True, verbose_name="chờ phê duyệt từ"),
        ),
        migrations.RunSQL(FILL, reverse_sql=migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="changerequest",
            index=models.Index(
                condition=models.Q(("status", "submitted")),
                fields=["pending_unit", "-pending_since", "-id"],
                name="change_request_queue",
            ),
        ),
        migrations.AddConstraint(
            model_name="changerequest",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("pending_since__isnull", False), ("status", "submitted")),
                    models.Q(models.Q(("status", "submitted"), _negated=True), ("pending_since__isnull", True)),
                    _connector="OR",
                ),
                name="pending_since_iff_submitted",
            ),
        ),
    ]
