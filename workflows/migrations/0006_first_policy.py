"""Version 1 of the approval policy: every category approved by the managing unit's leader,
as the walking skeleton did. Administrators add levels in the UI, as new versions."""

from django.db import migrations

CATEGORIES = ["personal", "salary", "position", "reward_discipline", "training", "hire", "transfer", "unit", "inspection"]


def create_policy(apps, schema_editor):
    ApprovalPolicy = apps.get_model("workflows", "ApprovalPolicy")
    PolicyRule = apps.get_model("workflows", "PolicyRule")
    if ApprovalPolicy.objects.exists():
        return
    policy = ApprovalPolicy.objects.create(version=1, note="Phiên bản ban đầu: lãnh đạo đơn vị quản lý phê duyệt.")
    for category in CATEGORIES:
        PolicyRule.objects.create(policy=policy, category=category, unit_kind="", levels=["unit_leader"])


class Migration(migrations.Migration):
    dependencies = [("workflows", "0005_approval_policy")]

    operations = [migrations.RunPython(create_policy, migrations.RunPython.noop)]
