"""The inspection tables take this app's names (inspections_*); rows, keys and history stay."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('inspections', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelTable(
            name='followupaction',
            table=None,
        ),
        migrations.AlterModelTable(
            name='historicalfollowupaction',
            table=None,
        ),
        migrations.AlterModelTable(
            name='historicalinspection',
            table=None,
        ),
        migrations.AlterModelTable(
            name='historicalinspectionplan',
            table=None,
        ),
        migrations.AlterModelTable(
            name='inspection',
            table=None,
        ),
        migrations.AlterModelTable(
            name='inspectionplan',
            table=None,
        ),
    ]
