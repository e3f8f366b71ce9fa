"""The read-access log: every read of a person's file and every export is logged (who, whose,
when, from where); inspectors browse it within their subtree; an account reading more than
READ_ALERT_PER_HOUR records in an hour sets off one email to its unit administrators."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from notifications.services import queue_pending_read_alerts
from notifications.tasks import send_read_alert
from records.models import AccessLog, ExportLog, ReadAlert
from tests.conftest import PASSWORD, make_employee, make_user, rewriting_history, setup_context
from tests.workflows.conftest import propose
from units.models import Role, StaffingQuota

FILE_PAGES = [
    ("records:employee-detail", AccessLog.Kind.VIEW),
    ("records:employee-history", AccessLog.Kind.HISTORY),
    ("records:employee-form-2c", AccessLog.Kind.FORM_2C),
    ("records:employee-propose", AccessLog.Kind.PROPOSE),
]


@pytest.fixture
def staff(tree, loader, employee_kv1, employee_kv2):
    """An, Cường, Dũng and Hải in KV1, Bình in KV2, Giang at the treasury."""

    def person(unit, number, name):
        return make_employee(tree[unit], loader, citizen_id=f"0010850000{number:02d}", full_name=name)

    return {
        "an": employee_kv1,
        "binh": employee_kv2,
        "cuong": person("kv1", 3, "Lê Văn Cường"),
        "dung": person("kv1", 4, "Phạm Văn Dũng"),
        "hai": person("kv1", 5, "Hoàng Văn Hải"),
        "giang": person("kho_bac", 6, "Đỗ Văn Giang"),
    }


@pytest.fixture
def admins(tree):
    """Unit administrators of KV1 and of Cục Thuế; none anywhere else."""
    return {
        "kv1": make_user("quantri_kv1", (tree["kv1"], Role.UNIT_ADMIN)),
        "cuc": make_user("quantri_cuc", (tree["cuc"], Role.UNIT_ADMIN)),
    }


def read(client, employee, name="records:employee-detail", **extra):
    response = client.get(reverse(name, args=[employee.pk]), **extra)
    assert response.status_code == 200, response
    return response


# --- writing the log ---------------------------------------------------------------------------


@pytest.mark.parametrize("name, kind", FILE_PAGES)
def test_each_read_of_a_file_writes_one_row_with_who_whose_and_where(client, people, employee_kv1, name, kind):
    client.force_login(people["canbo_kv1"])
    read(client, employee_kv1, name, REMOTE_ADDR="192.0.2.44")
    entry = AccessLog.objects.get()
    assert entry.kind == kind
    assert entry.user == people["canbo_kv1"]
    assert entry.employee_id == employee_kv1.pk and entry.employee_name == "Nguyễn Văn An"
    assert entry.ip_address == "192.0.2.44"
    assert entry.path == reverse(name, args=[employee_kv1.pk])
    assert timezone.now() - entry.at < datetime.timedelta(minutes=1)
    assert entry.row_count == 1 and entry.reads_in_hour == 1


def test_form_2c_row_points_at_its_export_log(client, people, employee_kv1):
    client.force_login(people["canbo_kv1"])
    read(client, employee_kv1, "records:employee-form-2c")
    entry = AccessLog.objects.get()
    assert entry.export == ExportLog.objects.get(kind=ExportLog.Kind.FORM_2C)


def test_behind_the_proxy_the_logged_address_is_the_client_not_the_proxy(client, settings, people, employee_kv1):
    settings.TRUSTED_PROXY_COUNT = 1
    client.force_login(people["canbo_kv1"])
    read(client, employee_kv1, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert AccessLog.objects.get().ip_address == "203.0.113.9"


def test_a_file_out_of_scope_is_not_found_and_not_logged(client, people, employee_kv2):
    client.force_login(people["canbo_kv1"])
    for name, _kind in FILE_PAGES:
        assert client.get(reverse(name, args=[employee_kv2.pk])).status_code == 404
    assert not AccessLog.objects.exists()


def test_a_submitted_proposal_is_not_a_second_read(client, people, employee_kv1):
    client.force_login(people["canbo_kv1"])
    response = propose(client, employee_kv1, foreign_language="Tiếng Anh B2")  # the page, then the form
    assert response.status_code == 302
    assert list(AccessLog.objects.values_list("kind", flat=True)) == [AccessLog.Kind.PROPOSE]


def test_the_list_export_is_one_row_counting_its_records(client, people, staff, export_list):
    client.force_login(people["xem_cuc"])
    response = export_list()
    assert response.status_code == 200
    b"".join(response.streaming_content)
    entry = AccessLog.objects.get()
    export = ExportLog.objects.get()
    assert entry.kind == AccessLog.Kind.EXPORT and entry.export == export
    assert entry.employee is None and entry.user == people["xem_cuc"]
    assert entry.row_count == export.row_count == 5  # An, Cường, Dũng, Hải, Bình
    assert entry.reads_in_hour == 5
    assert entry.path == reverse("records:export-download", args=[export.parameters["job"]])


def test_the_quota_export_is_logged_but_reads_no_ones_record(client, tree, people, loader):
    with setup_context(loader):
        StaffingQuota.objects.create(
            unit=tree["kv1"], year=2026, category=StaffingQuota.Category.choices[0][0], approved=5
        )
    client.force_login(people["xem_cuc"])
    response = client.get(reverse("units:quota-report-xlsx"), {"unit": tree["cuc"].pk, "year": 2026})
    assert response.status_code == 200
    entry = AccessLog.objects.get()
    assert entry.kind == AccessLog.Kind.EXPORT and entry.export.kind == ExportLog.Kind.QUOTA_REPORT
    assert entry.export.row_count > 0 and entry.row_count == 0


def test_reads_in_hour_counts_distinct_files_and_exported_rows(client, people, staff, export_list):
    client.force_login(people["canbo_kv1"])
    read(client, staff["an"])
    read(client, staff["an"], "records:employee-history")
    read(client, staff["cuong"])
    b"".join(export_list().streaming_content)  # 4 KV1 rows
    read(client, staff["an"])
    assert list(AccessLog.objects.order_by("pk").values_list("reads_in_hour", flat=True)) == [1, 1, 2, 6, 6]


def test_reads_older_than_an_hour_are_not_counted(client, people, staff):
    client.force_login(people["canbo_kv1"])
    read(client, staff["an"])
    with rewriting_history():
        AccessLog.objects.update(at=timezone.now() - datetime.timedelta(minutes=61))
    read(client, staff["cuong"])
    assert AccessLog.objects.latest("at").reads_in_hour == 1


# --- browsing the log --------------------------------------------------------------------------


@pytest.fixture
def reads(client, people, staff, export_list):
    """KV1's officer reads An, KV2's reads Bình, the treasury's reads Giang; KV1's officer and
    the treasury's each export their list."""
    for username, person in (("canbo_kv1", "an"), ("canbo_kv2", "binh"), ("canbo_kb", "giang")):
        client.force_login(people[username])
        read(client, staff[person])
    for username in ("canbo_kv1", "canbo_kb"):
        client.force_login(people[username])
        b"".join(export_list().streaming_content)
    client.logout()


def log_page(client, **params):
    response = client.get(reverse("records:access-log"), params)
    assert response.status_code == 200
    return response.context["page"], response.content.decode()


def test_inspector_sees_reads_and_exports_of_their_subtree_only(client, people, reads):
    client.force_login(people["thanhtra_cuc"])
    page, html = log_page(client)
    seen = {(e.user.username, e.kind, e.employee_name) for e in page}
    assert seen == {
        ("canbo_kv1", AccessLog.Kind.VIEW, "Nguyễn Văn An"),
        ("canbo_kv2", AccessLog.Kind.VIEW, "Trần Thị Bình"),
        ("canbo_kv1", AccessLog.Kind.EXPORT, ""),
    }
    assert "Đỗ Văn Giang" not in html and "canbo_kb" not in html
    assert "Danh sách cán bộ: mọi đơn vị được xem" in html  # the export's description


def test_entries_are_newest_first(client, people, reads):
    client.force_login(people["thanhtra_cuc"])
    page, _html = log_page(client)
    times = [e.at for e in page]
    assert times == sorted(times, reverse=True)


def test_superuser_sees_everything(client, people, reads):
    admin = get_user_model().objects.create_superuser("root", "root@example.test", PASSWORD)
    client.force_login(admin)
    page, _html = log_page(client)
    assert len(page) == AccessLog.objects.count() == 5 and not page.has_next


@pytest.mark.parametrize("username", ["canbo_kv1", "lanhdao_kv1", "xem_cuc", "nobody"])
def test_anyone_but_an_inspector_is_refused(client, people, reads, username):
    client.force_login(people[username])
    assert client.get(reverse("records:access-log")).status_code == 403


def test_anonymous_visitor_is_sent_to_login(client, reads):
    response = client.get(reverse("records:access-log"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_menu_offers_the_log_to_inspectors_only(client, people, employee_kv1):
    url = reverse("records:access-log")
    client.force_login(people["thanhtra_cuc"])
    assert url in client.get(reverse("records:employee-list")).content.decode()
    client.force_login(people["canbo_kv1"])
    assert url not in client.get(reverse("records:employee-list")).content.decode()


def test_filters_by_account_person_and_dates(client, people, staff, reads):
    client.force_login(people["thanhtra_cuc"])
    page, _html = log_page(client, user="canbo_kv2")
    assert [e.employee_name for e in page] == ["Trần Thị Bình"]
    page, _html = log_page(client, employee="văn an")
    assert [e.user.username for e in page] == ["canbo_kv1"]
    page, _html = log_page(client, employee=staff["binh"].citizen_id)
    assert [e.employee_name for e in page] == ["Trần Thị Bình"]
    today = timezone.localdate()
    page, _html = log_page(client, date_from=today.isoformat(), date_to=today.isoformat())
    assert len(page) == 3
    page, _html = log_page(client, date_to=(today - datetime.timedelta(days=1)).isoformat())
    assert len(page) == 0


def test_bad_date_range_shows_an_error_and_nothing_else(client, people, reads):
    client.force_login(people["thanhtra_cuc"])
    today = timezone.localdate()
    page, html = log_page(client, date_from=today.isoformat(), date_to=(today - datetime.timedelta(days=2)).isoformat())
    assert len(page) == 0
    assert "“Đến ngày” phải sau hoặc bằng “Từ ngày”." in html


def test_log_is_paginated_and_keeps_the_filters(client, people, employee_kv1):
    client.force_login(people["canbo_kv1"])
    for _ in range(55):
        read(client, employee_kv1)
    client.force_login(people["thanhtra_cuc"])
    page, html = log_page(client, user="canbo_kv1")
    assert len(page) == 50 and page.has_next
    assert page.next_query.startswith("user=canbo_kv1&") and 'rel="next"' in html
    page, _html = log_page(client, **QueryDict(page.next_query).dict())
    assert len(page) == 5 and not page.has_next


# --- the read alert ----------------------------------------------------------------------------


def read_many(client, django_capture_on_commit_callbacks, people_to_read):
    with django_capture_on_commit_callbacks(execute=True):
        for person in people_to_read:
            read(client, person)


def test_reading_past_the_threshold_emails_the_unit_admin_once(
    client, settings, tree, loader, people, staff, admins, django_capture_on_commit_callbacks
):
    settings.READ_ALERT_PER_HOUR = 3
    client.force_login(people["canbo_kv1"])
    read_many(client, django_capture_on_commit_callbacks, [staff["an"], staff["cuong"], staff["dung"]])
    assert mail.outbox == []
    read_many(client, django_capture_on_commit_callbacks, [staff["hai"]])
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["quantri_kv1@example.test"]  # the nearest admin, not Cục Thuế's
    assert message.subject == "[QLCB] Cảnh báo: tài khoản canbo_kv1 đã đọc 4 hồ sơ trong 1 giờ"
    assert "đã đọc 4 hồ sơ cán bộ trong một giờ, vượt ngưỡng 3 hồ sơ mỗi giờ" in message.body
    assert "Hoàng Văn Hải" in message.body and "Nguyễn Văn An" in message.body
    assert f"{settings.SITE_URL}{reverse('records:access-log')}?user=canbo_kv1" in message.body
    html = message.alternatives[0][0]
    assert "Lê Văn Cường" in html
    alert = ReadAlert.objects.get()
    assert alert.user == people["canbo_kv1"] and alert.read_count == 4 and alert.sent_at is not None

    fifth = make_employee(tree["kv1"], loader, citizen_id="001085000031", full_name="Trịnh Văn Khánh")
    read_many(client, django_capture_on_commit_callbacks, [fifth, staff["an"]])
    assert AccessLog.objects.latest("pk").reads_in_hour == 5
    assert len(mail.outbox) == 1
    assert ReadAlert.objects.count() == 1


def test_reads_below_the_threshold_send_nothing(
    client, settings, people, staff, admins, django_capture_on_commit_callbacks
):
    settings.READ_ALERT_PER_HOUR = 3
    client.force_login(people["canbo_kv1"])
    read_many(client, django_capture_on_commit_callbacks, [staff["an"], staff["cuong"], staff["dung"]] * 3)
    assert mail.outbox == []
    assert not ReadAlert.objects.exists()


def test_exported_rows_count_towards_the_threshold(
    client, settings, people, staff, admins, export_list, django_capture_on_commit_callbacks
):
    settings.READ_ALERT_PER_HOUR = 3
    client.force_login(people["canbo_kv1"])
    with django_capture_on_commit_callbacks(execute=True):
        b"".join(export_list().streaming_content)  # 4 rows
    assert len(mail.outbox) == 1
    assert "Danh sách cán bộ: mọi đơn vị được xem" in mail.outbox[0].body


def test_without_an_admin_on_the_unit_the_nearest_ancestors_admin_is_told(
    client, settings, people, tree, loader, admins, django_capture_on_commit_callbacks
):
    settings.READ_ALERT_PER_HOUR = 1
    second = make_employee(tree["kv2"], loader, citizen_id="001085000021", full_name="Vũ Thị Lan")
    first = make_employee(tree["kv2"], loader, citizen_id="001085000022", full_name="Ngô Văn Minh")
    client.force_login(people["canbo_kv2"])
    read_many(client, django_capture_on_commit_callbacks, [first, second])
    assert [m.to for m in mail.outbox] == [["quantri_cuc@example.test"]]


def test_without_any_unit_admin_the_superusers_are_told(
    client, settings, people, staff, django_capture_on_commit_callbacks
):
    get_user_model().objects.create_superuser("root", "root@example.test", PASSWORD)
    settings.READ_ALERT_PER_HOUR = 1
    client.force_login(people["canbo_kv1"])
    read_many(client, django_capture_on_commit_callbacks, [staff["an"], staff["cuong"]])
    assert [m.to for m in mail.outbox] == [["root@example.test"]]


def test_alert_task_is_safe_to_run_twice(client, settings, people, staff, admins, django_capture_on_commit_callbacks):
    settings.READ_ALERT_PER_HOUR = 1
    client.force_login(people["canbo_kv1"])
    read_many(client, django_capture_on_commit_callbacks, [staff["an"], staff["cuong"]])
    assert len(mail.outbox) == 1
    assert send_read_alert(ReadAlert.objects.get().pk) is False
    assert len(mail.outbox) == 1


def test_sweep_sends_alerts_whose_email_did_not_go_out(client, settings, people, staff, admins):
    settings.READ_ALERT_PER_HOUR = 1
    client.force_login(people["canbo_kv1"])
    read(client, staff["an"])
    read(client, staff["cuong"])  # on-commit callbacks not run: as if the broker had been down
    alert = ReadAlert.objects.get()
    assert alert.sent_at is None and mail.outbox == []
    assert queue_pending_read_alerts(now=timezone.now()) == []  # too recent: its task may still run
    assert queue_pending_read_alerts(now=timezone.now() + datetime.timedelta(minutes=10)) == [alert.pk]
    assert len(mail.outbox) == 1
    assert queue_pending_read_alerts(now=timezone.now() + datetime.timedelta(minutes=10)) == []
