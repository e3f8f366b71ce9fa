"""The staffing-quota report at a past day (?at=dd/mm/yyyy): quotas, people and open requests as
they were then, read from their history; the page and its xlsx, the export logged."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from records.models import SUBRECORD_MODELS, Employee, ExportLog
from tests.conftest import make_employee, setup_context
from tests.oversight.test_asof import backdate, day
from tests.reports.test_quota_report import new_hire
from units.models import StaffingQuota
from workflows.models import ChangeRequest

CIVIL = Employee.EmploymentStatus.CIVIL_SERVANT
YEAR = timezone.localdate().year


@pytest.fixture
def grown(tree, people, loader):
    """KV1 ten days ago: a quota of 3 civil servants and one of them; today the quota is 5, a
    second one has arrived and a third is proposed (an open new-hire request)."""
    kv1 = tree["kv1"]
    with setup_context(loader):
        quota = StaffingQuota.objects.create(unit=kv1, year=YEAR, category=CIVIL, approved=3)
    make_employee(kv1, loader, citizen_id="001085100001", full_name="Nguyễn Văn Một")
    backdate(10, StaffingQuota, Employee, *SUBRECORD_MODELS, ChangeRequest)
    with setup_context(loader):
        quota.approved = 5
        quota.save()
    make_employee(kv1, loader, citizen_id="001085100002", full_name="Trần Văn Hai")
    new_hire(kv1, people["canbo_kv1"], citizen_id="001095100003", status=CIVIL)
    return kv1


def civil_of(rows, unit):
    row = next(r for r in rows if r.unit.pk == unit.pk)
    return row.own[CIVIL]


def test_the_quota_report_at_a_past_day(client_for, people, tree, grown):
    client = client_for(people["xem_cuc"])
    now = client.get(reverse("units:quota-report"), {"parent": tree["cuc"].pk})
    assert civil_of(now.context["rows"], grown) == {"approved": 5, "actual": 2, "pending": 1}
    past = client.get(reverse("units:quota-report"), {"parent": tree["cuc"].pk, "at": day(5)})
    assert past.status_code == 200
    assert civil_of(past.context["rows"], grown) == {"approved": 3, "actual": 1, "pending": 0}
    assert f"Số liệu tại ngày {day(5)}" in past.content.decode()
    assert f"at={day(5)}" in past.content.decode()  # the level links and the xlsx keep the day


def test_the_quota_report_xlsx_at_a_past_day_is_logged(client_for, people, tree, grown):
    client = client_for(people["xem_cuc"])
    response = client.get(reverse("units:quota-report-xlsx"), {"unit": grown.pk, "at": day(5)})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0][0] == f"Báo cáo biên chế {grown.name} năm {YEAR}, tại ngày {day(5)}"
    civil = next(r for r in rows[2:] if r[2] == str(StaffingQuota.Category(CIVIL).label))
    assert civil[3:6] == (3, 1, 0)
    assert ExportLog.objects.get().parameters == {"unit": grown.pk, "year": YEAR, "at": day(5)}


def test_a_bad_or_future_day_is_a_bad_request(client_for, people, tree):
    client = client_for(people["xem_cuc"])
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    for at in ("32/01/2026", tomorrow):
        assert client.get(reverse("units:quota-report"), {"at": at}).status_code == 400
