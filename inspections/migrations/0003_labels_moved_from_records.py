"""What names inspection work by its app label follows it from records to inspections: the
content types (so permissions and admin log entries stay attached) and the model labels that
change requests store in their operations and subject (so open requests still apply and old
ones still display), in the requests and in their history rows."""

from django.db import migrations

MODELS = (
    "inspectionplan",
    "inspection",
    "followupaction",
    "historicalinspectionplan",
    "historicalinspection",
    "historicalfollowupaction",
)
MOVED = ("inspectionplan", "inspection", "followupaction")  # the ones a change request may name


def _relabel_requests(apps, old_app, new_app):
    renamed = {f"{old_app}.{name}": f"{new_app}.{name}" for name in MOVED}
    for model_name in ("ChangeRequest", "HistoricalChangeRequest"):
        model = apps.get_model("workflows", model_name)
        pk_name = model._meta.pk.name
        for row in model.objects.only(pk_name, "operations", "subject_model").iterator():
            operations = [
                {**op, "model": renamed[op["model"]]} if isinstance(op, dict) and op.get("model") in renamed else op
                for op in row.operations or []
            ]
            subject = renamed.get(row.subject_model, row.subject_model)
            if operations != (row.operations or []) or subject != row.subject_model:
                model.objects.filter(pk=row.pk).update(operations=operations, subject_model=subject)


def _relabel_content_types(apps, old_app, new_app):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for name in MODELS:
        if not ContentType.objects.filter(app_label=new_app, model=name).exists():
            ContentType.objects.filter(app_label=old_app, model=name).update(app_label=new_app)


def forwards(apps, schema_editor):
    _relabel_content_types(apps, "records", "inspections")
    _relabel_requests(apps, "records", "inspections")


def backwards(apps, schema_editor):
    _relabel_content_types(apps, "inspections", "records")
    _relabel_requests(apps, "inspections", "records")


class Migration(migrations.Migration):

    dependencies = [
        ("inspections", "0002_tables_renamed"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("workflows", "0010_history_reason_text"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
