"""Inspection work taken over from the records app (records/0010 dropped it from that app's
state): the models are created in this app's state only, on the tables that already hold them
(records_*); 0002 renames the tables."""

import django.core.validators
import django.db.models.deletion
import records.models.employee
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('records', '0010_inspection_work_moved_to_inspections'),
        ('units', '0007_history_reason_text'),
        ('workflows', '0010_history_reason_text'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalInspectionPlan',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(2000)], verbose_name='năm')),
                        ('title', models.CharField(max_length=255, verbose_name='tên kế hoạch')),
                        ('decision_number', models.CharField(blank=True, max_length=64, verbose_name='số quyết định')),
                        ('decision_date', models.DateField(blank=True, null=True, validators=[records.models.employee.not_in_future], verbose_name='ngày quyết định')),
                        ('description', models.TextField(blank=True, verbose_name='nội dung')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.TextField(null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người phê duyệt')),
                        ('approved_for', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='phê duyệt thay cho')),
                        ('change_request', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='workflows.changerequest', verbose_name='yêu cầu thay đổi')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('proposed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người đề xuất')),
                        ('unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='units.unit', verbose_name='đơn vị lập kế hoạch')),
                    ],
                    options={
                        'verbose_name': 'historical kế hoạch kiểm tra',
                        'verbose_name_plural': 'historical kế hoạch kiểm tra',
                        'db_table': 'records_historicalinspectionplan',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Inspection',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('scope', models.TextField(verbose_name='phạm vi, nội dung kiểm tra')),
                        ('start_date', models.DateField(verbose_name='từ ngày')),
                        ('end_date', models.DateField(blank=True, null=True, verbose_name='đến ngày')),
                        ('team', models.TextField(help_text='Trưởng đoàn và thành viên, mỗi người một dòng.', verbose_name='đoàn kiểm tra')),
                        ('findings', models.TextField(blank=True, verbose_name='kết quả, phát hiện')),
                        ('conclusion_number', models.CharField(blank=True, max_length=64, verbose_name='số kết luận')),
                        ('conclusion_date', models.DateField(blank=True, null=True, validators=[records.models.employee.not_in_future], verbose_name='ngày kết luận')),
                        ('inspected_unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='inspections', to='units.unit', verbose_name='đơn vị được kiểm tra')),
                    ],
                    options={
                        'verbose_name': 'cuộc kiểm tra',
                        'verbose_name_plural': 'cuộc kiểm tra',
                        'db_table': 'records_inspection',
                        'ordering': ['-start_date', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalFollowUpAction',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('description', models.TextField(verbose_name='nội dung kiến nghị')),
                        ('deadline', models.DateField(verbose_name='hạn hoàn thành')),
                        ('status', models.CharField(choices=[('open', 'Chưa thực hiện'), ('in_progress', 'Đang thực hiện'), ('done', 'Đã hoàn thành'), ('cancelled', 'Huỷ bỏ')], default='open', max_length=16, verbose_name='trạng thái')),
                        ('completed_on', models.DateField(blank=True, null=True, validators=[records.models.employee.not_in_future], verbose_name='ngày hoàn thành')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.TextField(null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người phê duyệt')),
                        ('approved_for', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='phê duyệt thay cho')),
                        ('change_request', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='workflows.changerequest', verbose_name='yêu cầu thay đổi')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('proposed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người đề xuất')),
                        ('inspection', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='inspections.inspection', verbose_name='cuộc kiểm tra')),
                    ],
                    options={
                        'verbose_name': 'historical kiến nghị sau kiểm tra',
                        'verbose_name_plural': 'historical kiến nghị sau kiểm tra',
                        'db_table': 'records_historicalfollowupaction',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='FollowUpAction',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('description', models.TextField(verbose_name='nội dung kiến nghị')),
                        ('deadline', models.DateField(verbose_name='hạn hoàn thành')),
                        ('status', models.CharField(choices=[('open', 'Chưa thực hiện'), ('in_progress', 'Đang thực hiện'), ('done', 'Đã hoàn thành'), ('cancelled', 'Huỷ bỏ')], default='open', max_length=16, verbose_name='trạng thái')),
                        ('completed_on', models.DateField(blank=True, null=True, validators=[records.models.employee.not_in_future], verbose_name='ngày hoàn thành')),
                        ('inspection', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='follow_ups', to='inspections.inspection', verbose_name='cuộc kiểm tra')),
                    ],
                    options={
                        'verbose_name': 'kiến nghị sau kiểm tra',
                        'verbose_name_plural': 'kiến nghị sau kiểm tra',
                        'db_table': 'records_followupaction',
                        'ordering': ['deadline', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='InspectionPlan',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(2000)], verbose_name='năm')),
                        ('title', models.CharField(max_length=255, verbose_name='tên kế hoạch')),
                        ('decision_number', models.CharField(blank=True, max_length=64, verbose_name='số quyết định')),
                        ('decision_date', models.DateField(blank=True, null=True, validators=[records.models.employee.not_in_future], verbose_name='ngày quyết định')),
                        ('description', models.TextField(blank=True, verbose_name='nội dung')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='inspection_plans', to='units.unit', verbose_name='đơn vị lập kế hoạch')),
                    ],
                    options={
                        'verbose_name': 'kế hoạch kiểm tra',
                        'verbose_name_plural': 'kế hoạch kiểm tra',
                        'db_table': 'records_inspectionplan',
                        'ordering': ['-year', 'title'],
                    },
                ),
                migrations.AddField(
                    model_name='inspection',
                    name='plan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='inspections', to='inspections.inspectionplan', verbose_name='kế hoạch'),
                ),
                migrations.CreateModel(
                    name='HistoricalInspection',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('scope', models.TextField(verbose_name='phạm vi, nội dung kiểm tra')),
                        ('start_date', models.DateField(verbose_name='từ ngày')),
                        ('end_date', models.DateField(blank=True, null=True, verbose_name='đến ngày')),
                        ('team', models.TextField(help_text='Trưởng đoàn và thành viên, mỗi người một dòng.', verbose_name='đoàn kiểm tra')),
                        ('findings', models.TextField(blank=True, verbose_name='kết quả, phát hiện')),
                        ('conclusion_number', models.CharField(blank=True, max_length=64, verbose_name='số kết luận')),
                        ('conclusion_date', models.DateField(blank=True, null=True, validators=[records.models.employee.not_in_future], verbose_name='ngày kết luận')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.TextField(null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người phê duyệt')),
                        ('approved_for', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='phê duyệt thay cho')),
                        ('change_request', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='workflows.changerequest', verbose_name='yêu cầu thay đổi')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('inspected_unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='units.unit', verbose_name='đơn vị được kiểm tra')),
                        ('proposed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người đề xuất')),
                        ('plan', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='inspections.inspectionplan', verbose_name='kế hoạch')),
                    ],
                    options={
                        'verbose_name': 'historical cuộc kiểm tra',
                        'verbose_name_plural': 'historical cuộc kiểm tra',
                        'db_table': 'records_historicalinspection',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
            ],
        ),
    ]
