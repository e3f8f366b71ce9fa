"""Employee.sort_key and search_key (tracking.vietnamese), filled for existing people; the list's
indexes in Vietnamese order (the unit one replaces the managing unit's own); on PostgreSQL a
trigram index for the name search."""

import django.db.models.deletion
from django.db import migrations, models

import tracking.fields
from tracking import vietnamese
from tracking.operations import postgresql_only

BATCH = 2000


def fill_keys(apps, schema_editor):
    """Derived columns only (not in history), so a plain bulk update of the new columns."""
    Employee = apps.get_model("records", "Employee")
    rows = Employee.objects.only("id", "full_name").order_by("id")
    batch = []
    for employee in rows.iterator(chunk_size=BATCH):
        employee.sort_key = vietnamese.person_sort_key(employee.full_name)[:512]
        employee.search_key = vietnamese.search_key(employee.full_name)[:255]
        batch.append(employee)
        if len(batch) == BATCH:
            Employee.objects.bulk_update(batch, ["sort_key", "search_key"])
            batch = []
    Employee.objects.bulk_update(batch, ["sort_key", "search_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0013_employee_headcount_by_unit_index"),
        ("units", "0007_history_reason_text"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="employee",
            options={"ordering": ["sort_key", "id"], "verbose_name": "cán bộ", "verbose_name_plural": "cán bộ"},
        ),
        migrations.RemoveIndex(
            model_name="employee",
            name="records_emp_managin_9b1190_idx",
        ),
        migrations.AddField(
            model_name="employee",
            name="search_key",
            field=models.CharField(
                blank=True, default="", editable=False, max_length=255, verbose_name="khoá tìm kiếm"
            ),
        ),
        migrations.AddField(
            model_name="employee",
            name="sort_key",
            field=tracking.fields.SortKeyField(
                blank=True, default="", editable=False, max_length=512, verbose_name="khoá sắp xếp"
            ),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        # Versions written from now on carry the keys; older ones keep "" (nothing reads them).
        migrations.AddField(
            model_name="historicalemployee",
            name="search_key",
            field=models.CharField(
                blank=True, default="", editable=False, max_length=255, verbose_name="khoá tìm kiếm"
            ),
        ),
        migrations.AddField(
            model_name="historicalemployee",
            name="sort_key",
            field=tracking.fields.SortKeyField(
                blank=True, default="", editable=False, max_length=512, verbose_name="khoá sắp xếp"
            ),
        ),
        migrations.AddIndex(
            model_name="employee",
            index=models.Index(fields=["sort_key", "id"], name="employee_sort_key"),
        ),
        migrations.AddIndex(
            model_name="employee",
            index=models.Index(fields=["managing_unit", "sort_key", "id"], name="employee_unit_sort_key"),
        ),
        migrations.AlterField(  # the index above serves the unit lookups too
            model_name="employee",
            name="managing_unit",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="employees",
                to="units.unit",
                verbose_name="đơn vị quản lý",
            ),
        ),
        postgresql_only("CREATE EXTENSION IF NOT EXISTS pg_trgm"),
        postgresql_only(
            "CREATE INDEX employee_search_key_trgm ON records_employee USING gin (search_key gin_trgm_ops)",
            "DROP INDEX IF EXISTS employee_search_key_trgm",
        ),
    ]
