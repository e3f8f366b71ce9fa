"""The transfers a unit receives, newest first (target_unit, submitted_at, id), transfers only:
with cr_timeline_unit_idx, the timeline of a few units is one index range per unit and per
side of a transfer (oversight.timeline.few_units, tracking.keyset.paginate_union)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0020_timeline_scope_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="changerequest",
            index=models.Index(
                condition=models.Q(target_unit__isnull=False),
                fields=["target_unit", "submitted_at", "id"],
                name="cr_timeline_target_idx",
            ),
        ),
    ]
