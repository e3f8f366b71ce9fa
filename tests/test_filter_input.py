"""Issue 8, defect 7: a NUL (or another control character) in a query, a form field, a cookie
or the path answers a Vietnamese 400, never a 500 (PostgreSQL refuses NUL in a string). The
suite runs on SQLite and on PostgreSQL (.ci/run), so this file runs on both."""

import pytest
from django.urls import reverse

from tests.conftest import make_user
from units.models import Role
from workflows.models import ChangeRequest

# Every page that reads a filter, a search or a page number from its query string, with the
# parameters it reads.
FILTERED_PAGES = [
    ("records:employee-list", {}, ("q", "unit", "rank", "position", "status", "sex", "age", "party", "sort", "cursor")),
    ("records:employee-export", {}, ("q", "unit", "rank", "position", "sort", "columns")),
    ("search", {}, ("q", "group", "cursor")),
    ("records:import-list", {}, ("page",)),
    ("records:import-new", {}, ("unit",)),
    ("records:import-template", {}, ("unit",)),
    ("records:access-log", {}, ("user", "employee", "date_from", "date_to", "page")),
    ("units:unit-list", {}, ("q", "cursor", "parent")),
    ("units:quota-report", {}, ("parent", "cursor", "year")),
    ("units:quota-report-xlsx", {}, ("unit", "year")),
    ("duedates:due-list", {}, ("q", "kind", "unit", "due_from", "due_to", "as_of", "cursor")),
    ("units:grant-list", {}, ("q", "page")),
    ("units:grant-history", {}, ("page",)),
    ("changerequest:process_list", {}, ("q", "page", "status", "_orderby")),
    ("changerequest:task_list", {}, ("q", "page", "_orderby")),
    ("changerequest:inbox", {}, ("q", "page")),
    ("changerequest:queue", {}, ("q", "page")),
    ("changerequest:archive", {}, ("q", "page")),
    ("policy:index", {}, ("page",)),
    ("delegations:index", {}, ("page",)),
    ("admin:records_employee_changelist", {}, ("q", "p", "o")),
    ("admin:units_rolegrant_changelist", {}, ("q",)),
]
CASES = [(name, param) for name, _kwargs, params in FILTERED_PAGES for param in params]


@pytest.fixture
def everyone(tree, employee_kv1):
    """A superuser who holds every role on the ministry: every page lets them in, so without
    the guard each query would really run."""
    user = make_user(
        "quantri",
        *(
            (tree["ministry"], role)
            for role in (Role.VIEWER, Role.INSPECTOR, Role.UNIT_ADMIN, Role.OFFICER, Role.APPROVER)
        ),
    )
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def refused(response, what="ký tự điều khiển"):
    body = response.content.decode()
    return response.status_code == 400 and "Yêu cầu không hợp lệ" in body and what in body


@pytest.mark.parametrize("value", ["\x00", "a\x00b", "Nguyễn\x1b"])
@pytest.mark.parametrize(("name", "param"), CASES)
def test_a_control_character_in_a_filter_is_a_vietnamese_400(client, everyone, name, param, value):
    client.force_login(everyone)
    response = client.get(reverse(name), {param: value})
    assert refused(response), (response.status_code, response.content.decode()[:500])
    assert "U+0000" in response.content.decode() or "U+001B" in response.content.decode()


@pytest.mark.parametrize("name", sorted({name for name, _kwargs, _params in FILTERED_PAGES}))
def test_a_control_character_in_a_parameter_name_is_refused_too(client, everyone, name):
    client.force_login(everyone)
    assert refused(client.get(reverse(name) + "?q%00=1"))


def test_ordinary_searches_still_work(client, everyone, employee_kv1):
    client.force_login(everyone)
    response = client.get(reverse("records:employee-list"), {"q": "Nguyễn\tVăn An"})
    assert response.status_code == 200
    response = client.get(reverse("records:employee-list"), {"q": "An"})
    assert response.status_code == 200 and "Nguyễn Văn An" in response.content.decode()


def test_a_nul_in_a_posted_form_is_a_vietnamese_400(client, people, employee_kv1):
    client.force_login(people["canbo_kv1"])
    url = reverse("records:employee-propose", args=[employee_kv1.pk])
    response = client.post(url, {"reason": "Lý do\x00", "root-full_name": "Nguyễn Văn An"})
    assert refused(response)
    assert "“reason”" in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_a_nul_in_a_cookie_or_the_path_is_a_vietnamese_400(client, people):
    client.force_login(people["xem_cuc"])
    client.cookies["sessionid"] = "abcdefgh\x00ijk"
    assert refused(client.get(reverse("records:employee-list")))
    client.cookies.pop("sessionid")
    assert refused(client.get("/records/employees/%00/"))


def test_a_nul_in_the_login_form_is_a_vietnamese_400(client, people):
    response = client.post(reverse("login"), {"username": "canbo_kv1\x00", "password": "x"})
    assert refused(response)
