"""The profile's salary in force becomes that of the latest salary-history row (issue 8, defect 3).

Before, a request could change the profile's rank, step or coefficient without a salary-history
row, so some profiles may be ahead of their history. Such an approved change is kept: it becomes
a salary-history row (dated at the profile's effective date when that is after the latest row,
else the day the profile took those values), and the profile takes that row's date. A profile
that agrees with its latest row except for the date takes the row's date. People without any
salary-history row are left as they are. Every write gets a history row saying why.
"""

import datetime

from django.db import migrations
from django.utils import timezone

REASON = "Đồng bộ lương hiện hưởng với diễn biến lương (cập nhật dữ liệu khi lương hiện hưởng lấy từ diễn biến lương)"
SALARY = ("rank_code", "salary_step", "salary_coefficient")


def _historical(apps, model, obj, history_type):
    """The simple_history row a tracked save would have written."""
    Historical = apps.get_model("records", f"Historical{model.__name__}")
    row = Historical(
        history_date=timezone.now(), history_type=history_type, history_change_reason=REASON,
    )
    for field in model._meta.concrete_fields:
        setattr(row, field.attname, getattr(obj, field.attname))
    row.save()


def _day_profile_took(apps, employee) -> datetime.date | None:
    """The day the profile last took its current rank, step and coefficient, from its history."""
    HistoricalEmployee = apps.get_model("records", "HistoricalEmployee")
    current = tuple(getattr(employee, name) for name in SALARY)
    since = None
    for row in HistoricalEmployee.objects.filter(id=employee.pk).order_by("-history_date", "-history_id"):
        if tuple(getattr(row, name) for name in SALARY) != current:
            break
        since = row.history_date
    return timezone.localdate(since) if since else None


def salary_from_history(apps, schema_editor):
    Employee = apps.get_model("records", "Employee")
    SalaryHistory = apps.get_model("records", "SalaryHistory")
    for employee in Employee.objects.filter(salary_history__isnull=False).distinct().order_by("pk"):
        latest = SalaryHistory.objects.filter(employee_id=employee.pk).order_by("-effective_date", "-pk").first()
        if tuple(getattr(employee, name) for name in SALARY) != tuple(getattr(latest, name) for name in SALARY):
            day = employee.salary_effective_date
            if day is None or day <= latest.effective_date:
                day = _day_profile_took(apps, employee)
            if day is None or day <= latest.effective_date:
                day = latest.effective_date + datetime.timedelta(days=1)
            latest = SalaryHistory.objects.create(
                employee_id=employee.pk, effective_date=day, decision_number="",
                **{name: getattr(employee, name) for name in SALARY},
            )
            _historical(apps, SalaryHistory, latest, "+")
        if employee.salary_effective_date != latest.effective_date:
            employee.salary_effective_date = latest.effective_date
            Employee.objects.filter(pk=employee.pk).update(salary_effective_date=latest.effective_date)
            _historical(apps, Employee, employee, "~")


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0010_inspection_work_moved_to_inspections"),
    ]

    operations = [
        migrations.RunPython(salary_from_history, migrations.RunPython.noop),
    ]
