"""The flow's list pages page by cursor (workflows.list_pages on tracking.keyset): rel="next" and
rel="prev" links walk the queue and back, and a cursor that is not ours shows the first page
with the message every list gives."""

import re

import pytest
from django.urls import reverse

from workflows.list_pages import KeysetListMixin

from .test_queue_concurrency import _submit


def _page(client, query=""):
    response = client.get(reverse("changerequest:queue") + query)
    assert response.status_code == 200
    html = response.content.decode()
    found = re.findall(r'<a [^>]*rel="(next|prev)" href="([^"]+)"', html)
    links = {rel: href.replace("&amp;", "&") for rel, href in found}
    return [int(pk) for pk in re.findall(r'<tr data-row-id="(\d+)"', html)], links


def test_queue_pages_forward_and_back_newest_first(client, monkeypatch, people, employee_kv1):
    monkeypatch.setattr(KeysetListMixin, "paginate_by", 2)
    for n in range(5):
        _submit(employee_kv1, people["canbo_kv1"], n)
    client.force_login(people["lanhdao_kv1"])

    first, links = _page(client)
    assert "prev" not in links
    second, links = _page(client, links["next"])
    third, last_links = _page(client, links["next"])
    assert "next" not in last_links
    shown = first + second + third
    assert len(shown) == 5 and shown == sorted(shown, reverse=True)
    assert _page(client, links["prev"])[0] == first


def test_a_cursor_that_is_not_ours_shows_the_first_page_with_a_message(client, people, employee_kv1):
    _submit(employee_kv1, people["canbo_kv1"], 1)
    client.force_login(people["lanhdao_kv1"])
    assert _page(client, "?cursor=forged")[0] == _page(client)[0]
    forged = client.get(reverse("changerequest:queue") + "?cursor=forged").content.decode()
    assert "Liên kết trang không hợp lệ hoặc đã cũ; đang hiển thị trang đầu." in forged


def _tasks_of(*change_requests):
    from workflows.flows import ChangeRequestFlow

    from .conftest import open_task

    return [open_task(change_request, ChangeRequestFlow.approve).pk for change_request in change_requests]


def test_queue_sorts_by_waiting_since_either_way_and_pages_keep_the_order(
    client, monkeypatch, tree, people, employee_kv1, employee_kv2
):
    """An approver of two units: each unit's requests are an index range, merged by arrival;
    oldest first with ?_orderby=waiting_since, newest first by default; the next page keeps it."""
    from tests.conftest import make_user
    from units.models import Role

    monkeypatch.setattr(KeysetListMixin, "paginate_by", 2)
    requests = []
    for n in range(3):
        requests.append(_submit(employee_kv1, people["canbo_kv1"], n))
        requests.append(_submit(employee_kv2, people["canbo_kv2"], n))
    oldest_first = _tasks_of(*requests)
    client.force_login(make_user("lanhdao_hai_kv", (tree["kv1"], Role.APPROVER), (tree["kv2"], Role.APPROVER)))

    shown, query = [], "?_orderby=waiting_since"
    while query is not None:
        rows, links = _page(client, query)
        shown += rows
        query = links.get("next")
    assert shown == oldest_first

    shown, query = [], ""
    while query is not None:
        rows, links = _page(client, query)
        shown += rows
        query = links.get("next")
    assert shown == oldest_first[::-1]


def test_a_request_approved_up_a_level_waits_in_the_queue_since_that_approval(client, people, tree, employee_kv1):
    """pending_since moves with the request: after the first level's approval the receiving
    unit's approver sees it as waiting since that decision, with its age."""
    from django.utils import timezone

    from workflows import services

    transfer_request = services.submit_transfer(
        employee=employee_kv1, target_unit=tree["kv2"], submitted_by=people["canbo_kv1"], reason="Điều động"
    )
    services.decide_change_request(change_request=transfer_request, user=people["lanhdao_kv1"], decision="approve")
    transfer_request.refresh_from_db()
    decision = transfer_request.decisions.get()
    assert transfer_request.pending_since == decision.decided_at
    client.force_login(people["lanhdao_kv2"])
    html = client.get(reverse("changerequest:queue")).content.decode()
    assert _tasks_of(transfer_request)[0] in _page(client)[0]
    assert f"{timezone.localtime(decision.decided_at):%d/%m/%Y %H:%M} (0 phút)" in html


def test_a_withdrawn_request_leaves_pending_since_empty(people, employee_kv1):
    from workflows import services

    change_request = _submit(employee_kv1, people["canbo_kv1"], 1)
    assert change_request.pending_since == change_request.submitted_at
    services.withdraw_change_request(change_request=change_request, user=people["canbo_kv1"])
    change_request.refresh_from_db()
    assert change_request.pending_since is None


# --- by person: Vietnamese order (given name, then middle and family name) ----------------------

# Plain text order would be Hoàng < Lê < Nguyễn < Phạm < Trần (family names first, "Đ" after "z");
# by given name: An < Ánh (tone after letters) < Dung < Duy < Đức (đ after every d).
BY_PERSON = ["Hoàng Văn An", "Phạm Thị Ánh", "Trần Thị Dung", "Lê Văn Duy", "Nguyễn Văn Đức"]


def _people_requests(tree, people, loader):
    """A request about each person of BY_PERSON (alternately in kv1 and kv2, submitted in another
    order than the names'), and one about a unit (no person): {name or None: request}."""
    from tests.conftest import make_employee
    from units.models import Unit
    from workflows import changesets, services
    from workflows.models import ChangeRequest

    requests = {}
    for n, name in enumerate(reversed(BY_PERSON)):
        unit, officer = (tree["kv1"], people["canbo_kv1"]) if n % 2 else (tree["kv2"], people["canbo_kv2"])
        employee = make_employee(unit, loader, citizen_id=f"0010850007{n:02d}", full_name=name)
        requests[name] = _submit(employee, officer, n)
    unit = Unit.objects.get(pk=tree["kv1"].pk)
    requests[None] = services.submit_change_request(
        kind=ChangeRequest.Kind.UNIT,
        unit=unit,
        submitted_by=people["canbo_kv1"],
        operations=[changesets.make_update(unit, {"address": "Số 1 Đường Láng"})],
        reason="Đổi địa chỉ",
        title="Địa chỉ mới",
        subject_model="units.unit",
        subject_pk=unit.pk,
    )
    return requests


def _walk(client, url, query):
    shown = []
    while query is not None:
        response = client.get(url + query)
        assert response.status_code == 200
        html = response.content.decode()
        shown += [int(pk) for pk in re.findall(r'<tr data-row-id="(\d+)"', html)]
        found = re.search(r'<a [^>]*rel="next" href="([^"]+)"', html)
        query = found and found.group(1).replace("&amp;", "&")
    return shown


@pytest.mark.parametrize("order", ["employee_name", "-employee_name"])
def test_queue_sorts_by_person_in_vietnamese_order_across_units_and_pages(
    client, monkeypatch, tree, people, loader, order
):
    """An approver of two units: each unit's requests sorted by person, merged; the order is kept
    by every page's links; a request about no one after every person; no task twice or missed."""
    from tests.conftest import make_user
    from units.models import Role

    monkeypatch.setattr(KeysetListMixin, "paginate_by", 2)
    requests = _people_requests(tree, people, loader)
    expected = _tasks_of(*(requests[name] for name in [*BY_PERSON, None]))
    if order.startswith("-"):
        expected.reverse()
    client.force_login(make_user("lanhdao_hai_kv", (tree["kv1"], Role.APPROVER), (tree["kv2"], Role.APPROVER)))
    assert _walk(client, reverse("changerequest:queue"), f"?_orderby={order}") == expected
    first = client.get(reverse("changerequest:queue") + f"?_orderby={order}").content.decode()
    # The header of the column sorted by shows it (viewflow's indicator), and "Chờ từ" is sortable too.
    direction = "desc" if order.startswith("-") else "asc"
    assert re.search(rf'vf-list__table-header--sort-{direction}"[^>]*data-list-sort-column="employee_name"', first)
    assert 'data-list-sort-column="waiting_since"' in first


@pytest.mark.parametrize("order", ["employee_name", "-employee_name", "waiting_since", "-waiting_since"])
def test_inbox_sorts_by_person_or_by_waiting_since_and_pages_keep_the_order(
    client, monkeypatch, tree, people, loader, order
):
    """The approver takes every task of their queue: the inbox lists them by person (Vietnamese
    order) or by when each began waiting, page after page."""
    from tests.conftest import make_user
    from units.models import Role

    from .conftest import open_task, task_url

    monkeypatch.setattr(KeysetListMixin, "paginate_by", 2)
    requests = _people_requests(tree, people, loader)
    client.force_login(make_user("lanhdao_hai_kv", (tree["kv1"], Role.APPROVER), (tree["kv2"], Role.APPROVER)))
    from workflows.flows import ChangeRequestFlow

    tasks = {}
    for name, change_request in requests.items():
        task = open_task(change_request, ChangeRequestFlow.approve)
        assert client.post(task_url(task, "assign")).status_code == 302
        tasks[name] = task
    if order.lstrip("-") == "employee_name":
        expected = [tasks[name].pk for name in [*BY_PERSON, None]]
    else:
        expected = [task.pk for task in sorted(tasks.values(), key=lambda t: (t.created, t.pk))]
    if order.startswith("-"):
        expected.reverse()
    assert _walk(client, reverse("changerequest:inbox"), f"?_orderby={order}") == expected
    default = _walk(client, reverse("changerequest:inbox"), "")
    assert default == sorted(default, reverse=True)  # newest first, as before


def _walk_back(client, url, query):
    """The pages from the last one back to the first, by the rel="prev" links: the rows in order."""
    while True:  # forward to the last page
        html = client.get(url + query).content.decode()
        found = re.search(r'<a [^>]*rel="next" href="([^"]+)"', html)
        if not found:
            break
        query = found.group(1).replace("&amp;", "&")
    shown = []
    while True:
        shown = [int(pk) for pk in re.findall(r'<tr data-row-id="(\d+)"', html)] + shown
        found = re.search(r'<a [^>]*rel="prev" href="([^"]+)"', html)
        if not found:
            return shown
        html = client.get(url + found.group(1).replace("&amp;", "&")).content.decode()


def _columns_world(tree, people, loader):
    """_people_requests with names whose Vietnamese order is neither their byte order nor the
    order of their ids: kv1 "Chi cục Thuế Bình Thạnh" after kv2 "Chi cục Thuế Ân Thi" (Â after
    A, before B; "Â" is above "B" in bytes); kv1's officer Nguyễn Văn Bảo after kv2's Trần Thị
    Ánh (by given name); the second request about a person one level up."""
    from django.contrib.auth import get_user_model

    from tests.conftest import setup_context
    from units.models import Unit
    from workflows.models import ChangeRequest

    with setup_context(loader):
        for unit, name in ((tree["kv1"], "Chi cục Thuế Bình Thạnh"), (tree["kv2"], "Chi cục Thuế Ân Thi")):
            unit = Unit.objects.get(pk=unit.pk)
            unit.name = name
            unit.save()
    users = get_user_model().objects
    users.filter(pk=people["canbo_kv1"].pk).update(last_name="Nguyễn Văn", first_name="Bảo")
    users.filter(pk=people["canbo_kv2"].pk).update(last_name="Trần Thị", first_name="Ánh")
    requests = _people_requests(tree, people, loader)
    ChangeRequest.objects.filter(pk=requests[BY_PERSON[1]].pk).update(current_level=1)
    return {name: ChangeRequest.objects.get(pk=r.pk) for name, r in requests.items()}


# The expected key of each column, from the rows (independently of list_pages' expressions).
KIND_RANK = {"employee": 0, "unit": 1}  # "Thay đổi hồ sơ cán bộ" < "Thông tin đơn vị, …"
EXPECTED_KEYS = {
    "unit": lambda r: {"Chi cục Thuế Ân Thi": 0, "Chi cục Thuế Bình Thạnh": 1}[r.unit.name],
    "kind": lambda r: KIND_RANK[r.kind],
    "submitted_by": lambda r: {"canbo_kv2": 0, "canbo_kv1": 1}[r.submitted_by.username],
    "level": lambda r: r.current_level,
}


@pytest.mark.parametrize("order", [f"{sign}{column}" for column in EXPECTED_KEYS for sign in ("", "-")])
def test_queue_sorts_by_unit_kind_proposer_and_level_across_pages_both_ways(
    client, monkeypatch, tree, people, loader, order
):
    """An approver of two units (two index ranges merged): by the unit's name or the proposer's
    in Vietnamese order, by kind or by level, ties by request; the same rows walking back by the
    previous-page links; the header shows the direction."""
    from tests.conftest import make_user
    from units.models import Role

    monkeypatch.setattr(KeysetListMixin, "paginate_by", 2)
    requests = _columns_world(tree, people, loader)
    key = EXPECTED_KEYS[order.lstrip("-")]
    ordered = sorted(requests.values(), key=lambda r: (key(r), r.pk), reverse=order.startswith("-"))
    expected = _tasks_of(*ordered)
    client.force_login(make_user("lanhdao_hai_kv", (tree["kv1"], Role.APPROVER), (tree["kv2"], Role.APPROVER)))
    url = reverse("changerequest:queue")
    _assert_sorted_both_ways(client, url, order, expected)


@pytest.mark.parametrize("order", [f"{sign}{column}" for column in EXPECTED_KEYS for sign in ("", "-")])
def test_inbox_sorts_by_unit_kind_proposer_and_level_across_pages_both_ways(
    client, monkeypatch, tree, people, loader, order
):
    """The approver takes every task of their queue: the inbox in each column's order, ties by
    task, forwards and back."""
    from tests.conftest import make_user
    from units.models import Role
    from workflows.flows import ChangeRequestFlow

    from .conftest import open_task, task_url

    monkeypatch.setattr(KeysetListMixin, "paginate_by", 2)
    requests = _columns_world(tree, people, loader)
    client.force_login(make_user("lanhdao_hai_kv", (tree["kv1"], Role.APPROVER), (tree["kv2"], Role.APPROVER)))
    pairs = []
    for change_request in requests.values():
        task = open_task(change_request, ChangeRequestFlow.approve)
        assert client.post(task_url(task, "assign")).status_code == 302
        pairs.append((change_request, task))
    key = EXPECTED_KEYS[order.lstrip("-")]
    ordered = sorted(pairs, key=lambda pair: (key(pair[0]), pair[1].pk), reverse=order.startswith("-"))
    expected = [task.pk for _, task in ordered]
    url = reverse("changerequest:inbox")
    _assert_sorted_both_ways(client, url, order, expected)


def _assert_sorted_both_ways(client, url, order, expected):
    """The list at `url` in `order` is `expected` read forwards and back, and its header marks
    the column sorted that way."""
    assert _walk(client, url, f"?_orderby={order}") == expected
    assert _walk_back(client, url, f"?_orderby={order}") == expected
    first = client.get(url + f"?_orderby={order}").content.decode()
    direction = "desc" if order.startswith("-") else "asc"
    column = order.lstrip("-")
    assert re.search(rf'vf-list__table-header--sort-{direction}"[^>]*data-list-sort-column="{column}"', first)
