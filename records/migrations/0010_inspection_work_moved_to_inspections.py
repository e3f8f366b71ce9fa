"""Inspection work moved to the inspections app (issue 8): the six models leave this app's
state only. Their tables stay and are taken over by inspections/0001 (which then renames them),
so no row is lost."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('records', '0009_history_reason_text'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='historicalfollowupaction',
                    name='approved_by',
                ),
                migrations.RemoveField(
                    model_name='historicalfollowupaction',
                    name='approved_for',
                ),
                migrations.RemoveField(
                    model_name='historicalfollowupaction',
                    name='change_request',
                ),
                migrations.RemoveField(
                    model_name='historicalfollowupaction',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalfollowupaction',
                    name='inspection',
                ),
                migrations.RemoveField(
                    model_name='historicalfollowupaction',
                    name='proposed_by',
                ),
                migrations.RemoveField(
                    model_name='historicalinspection',
                    name='approved_by',
                ),
                migrations.RemoveField(
                    model_name='historicalinspection',
                    name='approved_for',
                ),
                migrations.RemoveField(
                    model_name='historicalinspection',
                    name='change_request',
                ),
                migrations.RemoveField(
                    model_name='historicalinspection',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalinspection',
                    name='inspected_unit',
                ),
                migrations.RemoveField(
                    model_name='historicalinspection',
                    name='plan',
                ),
                migrations.RemoveField(
                    model_name='historicalinspection',
                    name='proposed_by',
                ),
                migrations.RemoveField(
                    model_name='historicalinspectionplan',
                    name='approved_by',
                ),
                migrations.RemoveField(
                    model_name='historicalinspectionplan',
                    name='approved_for',
                ),
                migrations.RemoveField(
                    model_name='historicalinspectionplan',
                    name='change_request',
                ),
                migrations.RemoveField(
                    model_name='historicalinspectionplan',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalinspectionplan',
                    name='proposed_by',
                ),
                migrations.RemoveField(
                    model_name='historicalinspectionplan',
                    name='unit',
                ),
                migrations.RemoveField(
                    model_name='inspection',
                    name='inspected_unit',
                ),
                migrations.RemoveField(
                    model_name='inspection',
                    name='plan',
                ),
                migrations.RemoveField(
                    model_name='inspectionplan',
                    name='unit',
                ),
                migrations.DeleteModel(
                    name='FollowUpAction',
                ),
                migrations.DeleteModel(
                    name='HistoricalFollowUpAction',
                ),
                migrations.DeleteModel(
                    name='HistoricalInspection',
                ),
                migrations.DeleteModel(
                    name='HistoricalInspectionPlan',
                ),
                migrations.DeleteModel(
                    name='Inspection',
                ),
                migrations.DeleteModel(
                    name='InspectionPlan',
                ),
            ],
        ),
    ]
