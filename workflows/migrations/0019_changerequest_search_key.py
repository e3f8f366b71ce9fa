"""ChangeRequest.search_key: the title without diacritics or case (tracking.vietnamese.search_key),
filled for existing requests, kept by ChangeRequest.save() (and derive_fields before a
bulk_create), for the search box (home.search): "dieu dong" finds "Điều động …". Not in the
history table (derived; sealed history rows must keep their content, tracking.ledger).

No trigram index: the search ORs the title with the person's name (a column of another table) and
takes the newest requests first, so PostgreSQL walks the timeline index (submitted_at, id) either
way; an index no query uses would only slow every write."""

from django.db import migrations, models

CHUNK = 2000


def fill_keys(apps, schema_editor):
    """A derived column only, so a plain bulk update of it, in chunks by primary key."""
    from workflows.models import title_search_key

    ChangeRequest = apps.get_model("workflows", "ChangeRequest")
    rows = ChangeRequest.objects.order_by("pk").only("pk", "title")
    last = 0
    while True:
        chunk = list(rows.filter(pk__gt=last)[:CHUNK])
        if not chunk:
            break
        for row in chunk:
            row.search_key = title_search_key(row.title)
        ChangeRequest.objects.bulk_update(chunk, ["search_key"])
        last = chunk[-1].pk


class Migration(migrations.Migration):
    # On merge: after workflows 0020 (0019 and 0020 were assigned to other branches).
    dependencies = [
        ("workflows", "0018_queue_pending_since"),
    ]

    operations = [
        migrations.AddField(
            model_name="changerequest",
            name="search_key",
            field=models.CharField(
                blank=True, default="", editable=False, max_length=255, verbose_name="khoá tìm kiếm"
            ),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
    ]
