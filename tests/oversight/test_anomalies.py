"""The inspectors' anomaly signals: each finds a planted case and not a normal one, within the
inspector's subtree only; the pages take the same number of queries whatever the rows."""

import datetime
import zoneinfo

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oversight.anomalies import SIGNALS, off_hours_q
from records.models import EmployeeAccount, ExportLog, ReadAlert
from records.services import link_employee_account
from tests.conftest import make_employee, make_user
from units.models import Role, RoleGrant
from units.services import grant_role, revoke_grant
from workflows.models import ApprovalDecision, ChangeRequest

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def at(year, month, day, hour, minute=0):
    """A local time (Asia/Ho_Chi_Minh)."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=HCM)


WEDNESDAY_10 = at(2026, 11, 18, 10)  # a working day, in working hours


def request_(unit, submitter, *, submitted_at=WEDNESDAY_10, employee=None, operations=(), kind="employee", **fields):
    # A request waiting for approval waits since it arrived (the constraint pending_since_iff_submitted).
    if fields.get("status", ChangeRequest.Status.SUBMITTED) == ChangeRequest.Status.SUBMITTED:
        fields.setdefault("pending_since", submitted_at)
    return ChangeRequest.objects.create(
        kind=kind,
        unit=unit,
        employee=employee,
        title="Yêu cầu kiểm thử",
        reason="Lý do",
        operations=list(operations),
        submitted_by=submitter,
        submitted_at=submitted_at,
        **fields,
    )


def approve(change_request, approver, decided_at):
    ApprovalDecision.objects.create(
        change_request=change_request,
        level=0,
        unit=change_request.unit,
        decision=ApprovalDecision.Decision.APPROVE,
        decided_by=approver,
        decided_at=decided_at,
    )
    ChangeRequest.objects.filter(pk=change_request.pk).update(
        status=ChangeRequest.Status.APPLIED,
        pending_since=None,
        decided_by=approver,
        decided_at=decided_at,
        applied_at=decided_at,
    )


SALARY_ROW = {"model": "records.salaryhistory", "action": "create", "values": {"salary_step": 4}}
ADDRESS = {"model": "records.employee", "action": "update", "pk": 1, "values": {"current_address": "Hà Nội"}}


def ids(signal, user):
    return set(SIGNALS[signal].rows(user).values_list("pk", flat=True))


@pytest.fixture
def thanhtra_kb(tree):
    return make_user("thanhtra_kb", (tree["kho_bac"], Role.INSPECTOR))


def test_reads_above_the_hourly_threshold_are_listed_for_the_readers_subtree(people, thanhtra_kb):
    hour = at(2026, 11, 18, 9)
    alert = ReadAlert.objects.create(
        user=people["canbo_kv1"], hour=hour, triggered_at=hour, read_count=250, threshold=200
    )
    assert ids("reads", people["thanhtra_cuc"]) == {alert.pk}
    assert ids("reads", thanhtra_kb) == set()
    cells = SIGNALS["reads"].cells(alert)
    assert "user=canbo_kv1" in cells[-1].url and "date_from=18%2F11%2F2026" in cells[-1].url


def test_exports_of_many_records_are_listed_and_small_ones_are_not(people, thanhtra_kb, settings):
    settings.ANOMALY_EXPORT_ROWS = 500
    big = ExportLog.objects.create(
        user=people["canbo_kv1"], kind=ExportLog.Kind.EMPLOYEE_LIST, description="Danh sách", row_count=600
    )
    ExportLog.objects.create(
        user=people["canbo_kv1"], kind=ExportLog.Kind.EMPLOYEE_LIST, description="Danh sách", row_count=20
    )
    ExportLog.objects.create(
        user=people["canbo_kb"], kind=ExportLog.Kind.EMPLOYEE_LIST, description="Danh sách", row_count=900
    )
    assert ids("exports", people["thanhtra_cuc"]) == {big.pk}
    assert big.pk not in ids("exports", thanhtra_kb)


def test_changes_outside_working_hours_or_on_days_off_are_listed(tree, people, thanhtra_kb, settings):
    settings.WORK_HOURS_START, settings.WORK_HOURS_END = 7, 18
    kv1, officer = tree["kv1"], people["canbo_kv1"]
    normal = request_(kv1, officer)
    late = request_(kv1, officer, submitted_at=at(2026, 11, 18, 22, 30))
    early = request_(kv1, officer, submitted_at=at(2026, 11, 18, 6, 59))
    saturday = request_(kv1, officer, submitted_at=at(2026, 11, 21, 10))
    holiday = request_(kv1, officer, submitted_at=at(2026, 11, 24, 10))  # Ngày Văn hoá Việt Nam
    approved_at_night = request_(kv1, officer)
    approve(approved_at_night, people["lanhdao_kv1"], at(2026, 11, 19, 21))
    approved_in_hours = request_(kv1, officer)
    approve(approved_in_hours, people["lanhdao_kv1"], at(2026, 11, 18, 17, 59))
    elsewhere = request_(tree["kho_bac"], people["canbo_kb"], submitted_at=at(2026, 11, 18, 23))

    found = ids("after-hours", people["thanhtra_cuc"])
    assert found == {late.pk, early.pk, saturday.pk, holiday.pk, approved_at_night.pk}
    assert normal.pk not in found and approved_in_hours.pk not in found
    assert ids("after-hours", thanhtra_kb) == {elsewhere.pk}


def test_a_declared_working_saturday_is_a_working_day(tree, people, loader):
    """The calendar's own answer counts: 10/01/2026 (a Saturday) was worked (migration 0002)."""
    saturday_worked = request_(tree["kv1"], people["canbo_kv1"], submitted_at=at(2026, 1, 10, 10))
    friday_off = request_(tree["kv1"], people["canbo_kv1"], submitted_at=at(2026, 1, 2, 10))
    found = ids("after-hours", people["thanhtra_cuc"])
    assert saturday_worked.pk not in found
    assert friday_off.pk in found


def test_changes_to_ones_own_file_are_listed(tree, people, loader, employee_kv1, employee_kv2, thanhtra_kb):
    officer, approver = people["canbo_kv1"], people["lanhdao_kv1"]
    link_employee_account(admin=loader, user=officer, employee=employee_kv1, reason="Tài khoản của chính cán bộ")
    boss = make_employee(tree["kv1"], loader, citizen_id="001085000009", full_name="Trần Văn Hùng")
    link_employee_account(admin=loader, user=approver, employee=boss, reason="Tài khoản của chính cán bộ")

    own = request_(tree["kv1"], officer, employee=employee_kv1, operations=[ADDRESS])
    someone_elses = request_(tree["kv2"], people["canbo_kv2"], employee=employee_kv2, operations=[ADDRESS])
    approved_own = request_(tree["kv1"], officer, employee=boss, operations=[ADDRESS])
    approve(approved_own, approver, WEDNESDAY_10 + datetime.timedelta(hours=1))
    other = make_employee(tree["kv1"], loader, citizen_id="001085000010")
    approved_other = request_(tree["kv1"], officer, employee=other)
    approve(approved_other, approver, WEDNESDAY_10 + datetime.timedelta(hours=1))

    found = ids("own-file", people["thanhtra_cuc"])
    assert found == {own.pk, approved_own.pk}
    assert someone_elses.pk not in found
    assert ids("own-file", thanhtra_kb) == set()


def test_an_account_link_keeps_who_set_it_in_its_history(people, loader, employee_kv1):
    link = link_employee_account(admin=loader, user=people["canbo_kv1"], employee=employee_kv1, reason="Quyết định 12")
    (row,) = EmployeeAccount.history.filter(id=link.pk)
    assert row.history_user == loader and row.reason == "Quyết định 12" and row.employee_id == employee_kv1.pk


def test_quick_approvals_of_sensitive_categories_are_listed(tree, people, thanhtra_kb, settings):
    settings.ANOMALY_QUICK_APPROVAL_MINUTES = 10
    settings.ANOMALY_SENSITIVE_CATEGORIES = ["salary", "transfer"]
    kv1, officer, approver = tree["kv1"], people["canbo_kv1"], people["lanhdao_kv1"]
    quick_salary = request_(kv1, officer, operations=[SALARY_ROW])
    approve(quick_salary, approver, WEDNESDAY_10 + datetime.timedelta(minutes=3))
    slow_salary = request_(kv1, officer, operations=[SALARY_ROW])
    approve(slow_salary, approver, WEDNESDAY_10 + datetime.timedelta(hours=2))
    quick_address = request_(kv1, officer, operations=[ADDRESS])
    approve(quick_address, approver, WEDNESDAY_10 + datetime.timedelta(minutes=3))
    quick_transfer = request_(kv1, officer, kind="transfer", target_unit=tree["kv2"])
    approve(quick_transfer, approver, WEDNESDAY_10 + datetime.timedelta(minutes=9))

    assert ids("quick-approvals", people["thanhtra_cuc"]) == {quick_salary.pk, quick_transfer.pk}
    assert ids("quick-approvals", thanhtra_kb) == set()


def test_grants_revoked_soon_after_being_given_are_listed(tree, people, loader, thanhtra_kb, settings):
    settings.ANOMALY_SHORT_GRANT_HOURS = 24
    admin = make_user("quantri", (tree["ministry"], Role.UNIT_ADMIN))
    brief = grant_role(admin=admin, user=people["xem_cuc"], unit=tree["kv1"], role=Role.APPROVER, reason="Thử")
    revoke_grant(admin=admin, grant=brief, reason="Nhầm")
    lasting = grant_role(admin=admin, user=people["xem_cuc"], unit=tree["kv2"], role=Role.APPROVER, reason="Thử")
    RoleGrant.objects.filter(pk=lasting.pk).update(created_at=WEDNESDAY_10)
    lasting.refresh_from_db()
    revoke_grant(admin=admin, grant=lasting, reason="Hết nhiệm vụ")

    found = list(SIGNALS["short-grants"].rows(people["thanhtra_cuc"]))
    assert [grant.pk for grant in found] == [brief.pk]
    SIGNALS["short-grants"].prepare(found)
    assert found[0].revoked_by == admin
    assert ids("short-grants", thanhtra_kb) == set()


def test_only_inspectors_and_superusers_open_the_pages(client, people):
    for username in ("canbo_kv1", "lanhdao_kv1", "xem_cuc", "nobody"):
        client.force_login(people[username])
        assert client.get(reverse("oversight:anomalies")).status_code == 403
        assert client.get(reverse("oversight:anomaly-signal", args=["reads"])).status_code == 403
    client.force_login(people["thanhtra_cuc"])
    assert client.get(reverse("oversight:anomalies")).status_code == 200
    assert client.get(reverse("oversight:anomaly-signal", args=["nothing-such"])).status_code == 404


def _plant(tree, people, loader, n, start):
    """n cases of every signal in KV1, from `start` on."""
    officer, approver = people["canbo_kv1"], people["lanhdao_kv1"]
    admin = make_user(f"quantri{start}", (tree["ministry"], Role.UNIT_ADMIN))
    for i in range(start, start + n):
        hour = at(2026, 11, 18, 9) + datetime.timedelta(hours=i)
        ReadAlert.objects.create(user=officer, hour=hour, triggered_at=hour, read_count=300, threshold=200)
        ExportLog.objects.create(user=officer, kind=ExportLog.Kind.EMPLOYEE_LIST, description="D", row_count=900)
        person = make_employee(tree["kv1"], loader, citizen_id=f"0010850{i:05d}")
        late = request_(tree["kv1"], officer, submitted_at=at(2026, 11, 18, 23) - datetime.timedelta(days=i))
        change_request = request_(tree["kv1"], officer, employee=person, operations=[SALARY_ROW])
        approve(change_request, approver, WEDNESDAY_10 + datetime.timedelta(minutes=1))
        approve(late, approver, WEDNESDAY_10)
        grantee = make_user(f"duoccap{i}")
        link_employee_account(admin=loader, user=grantee, employee=person, reason="Tài khoản")
        own = request_(tree["kv1"], grantee, employee=person)
        approve(own, approver, WEDNESDAY_10 + datetime.timedelta(hours=3))
        grant = grant_role(admin=admin, user=grantee, unit=tree["kv1"], role=Role.VIEWER, reason="Thử")
        revoke_grant(admin=admin, grant=grant, reason="Nhầm")


def test_the_pages_take_the_same_queries_whatever_the_cases(client, tree, people, loader):
    client.force_login(people["thanhtra_cuc"])
    urls = [reverse("oversight:anomalies")] + [reverse("oversight:anomaly-signal", args=[s]) for s in SIGNALS]

    def counts():
        found = {}
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, url
            found[url] = len(queries)
        return found

    _plant(tree, people, loader, 2, 0)
    counts()  # the first request of a session reads the account and its grants once (config.user_cache)
    few = counts()
    page = client.get(reverse("oversight:anomaly-signal", args=["short-grants"])).content.decode()
    assert "duoccap0" in page and "quantri0" in page
    _plant(tree, people, loader, 8, 2)
    assert counts() == few
    overview = client.get(reverse("oversight:anomalies")).content.decode()
    assert overview.count(">10<") == 6  # ten cases of each signal


def test_an_inspector_of_another_unit_sees_no_case(client, tree, people, loader, thanhtra_kb):
    _plant(tree, people, loader, 2, 0)
    client.force_login(thanhtra_kb)
    overview = client.get(reverse("oversight:anomalies")).content.decode()
    assert overview.count(">0<") == 6
    for slug in SIGNALS:
        page = client.get(reverse("oversight:anomaly-signal", args=[slug])).content.decode()
        assert "Không có trường hợp nào" in page, slug


def test_a_sensitive_category_not_in_the_policy_stops_start_up(settings):
    settings.ANOMALY_SENSITIVE_CATEGORIES = ["salary", "luong"]
    with pytest.raises(SystemCheckError, match="'luong' is not a category"):
        call_command("check")


def test_off_hours_filter_treats_a_missing_time_as_in_hours(tree, people):
    """A request never decided has no decision time: it is not listed for that."""
    pending = request_(tree["kv1"], people["canbo_kv1"])
    assert not ChangeRequest.objects.filter(off_hours_q("decided_at", ([], []))).filter(pk=pending.pk).exists()
