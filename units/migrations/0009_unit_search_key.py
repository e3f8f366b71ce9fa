"""Unit.search_key (tracking.vietnamese.search_key of the name), filled for existing units, for
the search box (home.search): a unit found by its name typed with or without diacritics. On
PostgreSQL a trigram index serves the `LIKE '%word%'` of a word inside the name; on SQLite the
plain column is scanned (units are thousands, not hundreds of thousands). The history table
does not get it (units.models.Unit.history: derived, and sealed history rows must keep their
content)."""

from django.db import migrations, models

from tracking import vietnamese
from tracking.operations import postgresql_only

BATCH = 2000


def fill_keys(apps, schema_editor):
    """A derived column only, so a plain bulk update of it."""
    Unit = apps.get_model("units", "Unit")
    batch = []
    for unit in Unit.objects.only("id", "name").order_by("id").iterator(chunk_size=BATCH):
        unit.search_key = vietnamese.search_key(unit.name)[:255]
        batch.append(unit)
        if len(batch) == BATCH:
            Unit.objects.bulk_update(batch, ["search_key"])
            batch = []
    Unit.objects.bulk_update(batch, ["search_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0008_unit_level_path_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="unit",
            name="search_key",
            field=models.CharField(
                blank=True, default="", editable=False, max_length=255, verbose_name="khoá tìm kiếm"
            ),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        postgresql_only("CREATE EXTENSION IF NOT EXISTS pg_trgm"),
        postgresql_only(
            "CREATE INDEX unit_search_key_trgm ON units_unit USING gin (search_key gin_trgm_ops)",
            "DROP INDEX IF EXISTS unit_search_key_trgm",
        ),
    ]
