"""The timeline's walk over (submitted_at, id) carries the request's two units (INCLUDE, on
PostgreSQL): an inspector's scope (managing unit or receiving unit among the scope's units,
workflows.permissions.timeline_q) is checked from the index alone, without fetching the rows of
requests outside it. Replaces cr_timeline_idx (the same keys); the new index is built first."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0019_changerequest_search_key"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="changerequest",
            index=models.Index(
                fields=["submitted_at", "id"], include=("unit", "target_unit"), name="cr_timeline_scope_idx"
            ),
        ),
        migrations.RemoveIndex(
            model_name="changerequest",
            name="cr_timeline_idx",
        ),
    ]
