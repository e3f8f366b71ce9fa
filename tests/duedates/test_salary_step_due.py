"""The salary row a file's page offers asks the due engine when the next step is due
(duedates.selectors.salary_step_due): the stored item while it matches the step on file, else a
computation for that one person. The holding period has one source, the engine's rule rows."""

import datetime

import pytest

from duedates.models import DueItem, HoldingPeriod
from duedates.selectors import salary_step_due
from duedates.services import refresh_due_items
from tracking.context import ChangeContext, tracked_change

pytestmark = pytest.mark.django_db


@pytest.fixture
def stepped(employee_kv1, loader):
    with tracked_change(ChangeContext(reason="Dữ liệu kiểm thử", approved_by=loader)):
        employee_kv1.salary_effective_date = datetime.date(2019, 1, 1)
        employee_kv1.save()


def test_without_a_stored_item_the_date_is_computed_from_the_rule_rows(employee_kv1, stepped):
    assert (employee_kv1.rank_code, employee_kv1.salary_step) == ("01.003", 3)
    assert employee_kv1.salary_effective_date == datetime.date(2019, 1, 1)
    assert salary_step_due(employee_kv1) == datetime.date(2022, 1, 1)  # A1: 36 months to the day
    # A changed rule row (saved, as the administration page saves it) changes the date: no copy
    # of the holding period elsewhere (the rows kept in the cache are renewed by the save).
    for row in HoldingPeriod.objects.filter(salary_class="A1"):
        row.months = 48
        row.save()
    assert salary_step_due(employee_kv1) == datetime.date(2023, 1, 1)


def test_the_stored_item_is_used_while_it_was_computed_from_the_step_on_file(employee_kv1, stepped):
    refresh_due_items(employee_ids=[employee_kv1.pk])
    item = DueItem.objects.get(employee=employee_kv1, kind=DueItem.Kind.SALARY_STEP)
    assert item.due_date == datetime.date(2022, 1, 1)
    # A stored row is what the page reads (no recomputation) ...
    DueItem.objects.filter(pk=item.pk).update(due_date=datetime.date(2022, 7, 1))
    assert salary_step_due(employee_kv1) == datetime.date(2022, 7, 1)
    # ... unless it belongs to another step than the file's (a raise approved since the refresh).
    DueItem.objects.filter(pk=item.pk).update(inputs={**item.inputs, "step": 2})
    assert salary_step_due(employee_kv1) == datetime.date(2022, 1, 1)
