"""Indexes of the inspectors' anomaly signals (oversight.anomalies): requests newest first, those
about a person by a given proposer, and, on PostgreSQL, the delay between a request's submission
and its decision (an expression index; SQLite, for tests and the demo, goes without)."""

from django.conf import settings
from django.db import migrations, models


DELAY_INDEX = "cr_decision_delay_idx"


def create_delay_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {DELAY_INDEX} ON workflows_changerequest ((decided_at - submitted_at))"
        )


def drop_delay_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {DELAY_INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ('workflows', '0016_timeline_touched_and_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(create_delay_index, drop_delay_index, elidable=False),
        migrations.AddIndex(
            model_name='changerequest',
            index=models.Index(fields=['employee', 'submitted_by'], name='cr_employee_submitter_idx'),
        ),
    ]
