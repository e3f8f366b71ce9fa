"""viewflow's own task pages (take, hand back, task detail) show the request before anyone acts
on it: the person, each change old → new and the reason, masked as the reader may see it
(issue 8, defect 5)."""

import pytest
from django.urls import reverse

from records.selectors import MASK
from workflows.flows import ChangeRequestFlow
from workflows.models import ChangeRequest

from .conftest import open_task, propose, task_url

OLD_ADDRESS = "12 Phố Huế, Hà Nội"
NEW_ADDRESS = "45 Lê Lợi, Hà Nội"
REASON = "Chuyển nơi ở theo đơn ngày 02/03"


@pytest.fixture
def address_change(client, people, employee_kv1, loader):
    """KV1's officer proposes a new current address (a protected field) for employee KV1."""
    from tests.conftest import setup_context

    with setup_context(loader):
        employee_kv1.current_address = OLD_ADDRESS
        employee_kv1.save()
    client.force_login(people["canbo_kv1"])
    assert propose(client, employee_kv1, current_address=NEW_ADDRESS, reason=REASON).status_code == 302
    client.logout()
    return ChangeRequest.objects.get()


def test_the_approver_sees_person_change_and_reason_before_taking_the_task(client, people, address_change):
    client.force_login(people["lanhdao_kv1"])
    task = open_task(address_change, ChangeRequestFlow.approve)
    response = client.get(task_url(task, "assign"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nguyễn Văn An" in page
    assert f'<td class="qlcb-old">{OLD_ADDRESS}</td><td class="qlcb-new">{NEW_ADDRESS}</td>' in page
    assert REASON in page
    assert "Lãnh đạo đơn vị quản lý" in page or "Chi cục Thuế khu vực I" in page  # the level it waits for


def test_the_salary_change_shows_old_and_new_on_the_take_page(client, people, submitted):
    client.force_login(people["lanhdao_kv1"])
    page = client.get(task_url(open_task(submitted, ChangeRequestFlow.approve), "assign")).content.decode()
    assert "Ngạch 01.003 bậc 4, hệ số 3,33" in page
    assert '<td class="qlcb-old">3</td><td class="qlcb-new">4</td>' in page


def test_who_may_not_see_protected_values_cannot_take_the_task_nor_read_them_there(client, people, address_change):
    task = open_task(address_change, ChangeRequestFlow.approve)
    for user in ("xem_cuc", "lanhdao_cuc", "lanhdao_kv2"):  # upper-unit viewer and approver, sibling approver
        client.force_login(people[user])
        response = client.get(task_url(task, "assign"))
        assert response.status_code in (403, 404), user
        page = response.content.decode()
        assert OLD_ADDRESS not in page and NEW_ADDRESS not in page, user


def test_the_task_detail_page_shows_the_request_masked_for_an_upper_unit_viewer(client, people, address_change):
    task = open_task(address_change, ChangeRequestFlow.approve)
    client.force_login(people["xem_cuc"])
    page = client.get(task_url(task, "detail")).content.decode()
    assert "Nguyễn Văn An" in page and REASON in page
    assert OLD_ADDRESS not in page and NEW_ADDRESS not in page and MASK in page

    client.force_login(people["lanhdao_kv1"])
    client.post(task_url(task, "assign"))
    page = client.get(task_url(task, "unassign")).content.decode()
    assert NEW_ADDRESS in page and REASON in page
    assert client.get(reverse("changerequest:process_detail", args=[address_change.process_id])).status_code == 200


def test_a_task_opened_from_the_queue_shows_the_request_and_the_take_button_only_to_who_may_take_it(
    client, people, address_change
):
    import re

    client.force_login(people["lanhdao_kv1"])
    queue = client.get(reverse("changerequest:queue")).content.decode()
    task = open_task(address_change, ChangeRequestFlow.approve)
    link = re.search(rf'<a href="([^"]+)">#{task.process_id}/{task.pk}</a>', queue)
    assert link, "the queue links the task"
    page = client.get(link.group(1), follow=True).content.decode()
    assert f'<td class="qlcb-old">{OLD_ADDRESS}</td><td class="qlcb-new">{NEW_ADDRESS}</td>' in page
    assert "Nhận việc" in page

    client.force_login(people["xem_cuc"])  # sees the request, may not take it
    page = client.get(task_url(task, "detail")).content.decode()
    assert "Nguyễn Văn An" in page and "Nhận việc" not in page


def test_a_task_posted_under_another_process_is_not_found_and_nothing_is_taken(client, people, employee_kv1):
    """A take or a decision posted with one visible process and the task of another: the task
    is read with the request, joined on that process (workflows.access), so it is not found."""
    client.force_login(people["canbo_kv1"])
    propose(client, employee_kv1, main_duties="Đội 1", reason=REASON)
    propose(client, employee_kv1, current_address=NEW_ADDRESS, reason=REASON)
    first, second = ChangeRequest.objects.order_by("pk")
    task = open_task(second, ChangeRequestFlow.approve)
    client.force_login(people["lanhdao_kv1"])
    for action in ("assign", "execute"):
        url = reverse(f"changerequest:approve:{action}", args=[first.process_id, task.pk])
        assert client.post(url, {"decision": "approve", "comment": ""}).status_code == 404
    task.refresh_from_db()
    assert (task.status, task.owner_id) == ("NEW", None)
    assert client.post(task_url(task, "assign")).status_code == 302  # its own process: taken
    task.refresh_from_db()
    assert task.owner == people["lanhdao_kv1"]


def _changes(page: str) -> list[str]:
    """The page's blocks of what the request changes (templates/workflows/diff_table.html)."""
    import re

    return re.findall(r'<div class="qlcb-op.*?</div>', page, flags=re.DOTALL)


def test_a_request_keeps_the_row_it_was_proposed_against_and_shows_it_as_its_version_would(
    client, people, address_change
):
    """The take and decision pages show old → new from the row kept in the request at submit
    (no read of the version); a request stored before rows were kept reads its version, and
    both read the same, masked or not."""
    from workflows.changesets import stored_row

    op = address_change.operations[0]
    version = address_change.employee.history.get(history_id=op["base"])
    assert op["old"] == stored_row(version.instance)
    assert op["old"]["current_address"] == OLD_ADDRESS

    task = open_task(address_change, ChangeRequestFlow.approve)
    pages = [("lanhdao_kv1", task_url(task, "assign")), ("xem_cuc", task_url(task, "detail"))]

    def shown():
        out = []
        for user, url in pages:
            client.force_login(people[user])
            out.append(_changes(client.get(url).content.decode()))
        return out

    kept = shown()
    assert f'<td class="qlcb-old">{OLD_ADDRESS}</td>' in kept[0][0]
    assert OLD_ADDRESS not in kept[1][0] and MASK in kept[1][0]
    ChangeRequest.objects.filter(pk=address_change.pk).update(operations=[{k: v for k, v in op.items() if k != "old"}])
    assert shown() == kept


def test_a_removed_row_and_a_changed_one_read_the_same_from_the_kept_row_as_from_their_version(employee_kv1, loader):
    import datetime

    from records.models import Employee, WorkHistory
    from tests.conftest import setup_context
    from workflows.changesets import describe_operations, make_delete, make_update

    with setup_context(loader):
        row = WorkHistory.objects.create(
            employee=employee_kv1,
            start_date=datetime.date(2010, 1, 1),
            end_date=datetime.date(2012, 12, 31),
            organisation="Chi cục Thuế khu vực I",
            title="Chuyên viên",
        )
    employee = Employee.objects.get(pk=employee_kv1.pk)
    operations = [
        make_update(employee, {"citizen_id": "001085009999", "date_of_birth": datetime.date(1985, 3, 15)}),
        make_update(WorkHistory.objects.get(pk=row.pk), {"title": "Phó Chi cục trưởng"}),
        make_delete(WorkHistory.objects.get(pk=row.pk)),
    ]
    assert all("old" in op for op in operations)
    unkept = [{k: v for k, v in op.items() if k != "old"} for op in operations]
    for masked in (False, True):
        kept = describe_operations(operations, masked=masked)
        assert kept == describe_operations(unkept, masked=masked)
        assert kept[0]["fields"], kept
