"""The load_demo command builds the demo tree, employees and accounts, idempotently."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from records.models import Employee
from units.management.commands.load_demo import DEMO_PASSWORD, DEMO_REASON
from units.models import Role, RoleGrant, Unit

EXPECTED_PARENTS = {
    "BTC": None,
    "BTC.TCCB": "BTC",
    "BTC.CT": "BTC",
    "BTC.CT.KV1": "BTC.CT",
    "BTC.CT.KV2": "BTC.CT",
    "BTC.KBNN": "BTC",
    "BTC.KBNN.KV1": "BTC.KBNN",
}


@pytest.fixture(autouse=True)
def demo_mode(settings):
    settings.DEMO_MODE = True


@pytest.mark.django_db
def test_refuses_to_run_outside_demo_mode(settings):
    from django.core.management.base import CommandError

    settings.DEMO_MODE = False
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo", employees=1, stdout=io.StringIO())
    assert not get_user_model().objects.exists()


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load(n=40):
    out = io.StringIO()
    call_command("load_demo", employees=n, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_builds_the_unit_tree_with_the_right_parents():
    load()
    units = {unit.code: unit for unit in Unit.objects.all()}
    assert set(units) == set(EXPECTED_PARENTS)
    for code, parent_code in EXPECTED_PARENTS.items():
        parent = Unit.objects.get_parent(units[code])
        assert (parent.code if parent else None) == parent_code, code
    assert units["BTC"].kind == Unit.Kind.MINISTRY
    assert units["BTC.CT.KV1"].kind == Unit.Kind.SUB_AGENCY
    assert units["BTC.KBNN.KV1"].kind == Unit.Kind.BRANCH
    assert Unit.objects.find_problems() == ([], [], [], [], [])


@pytest.mark.django_db
def test_creates_the_requested_number_of_employees():
    load(40)
    assert Employee.objects.count() == 40


@pytest.mark.django_db
def test_prints_the_demo_accounts_table():
    output = load()
    for username in ("admin", "canbo.kv1", "lanhdao.kbnn", "xem.bo", "thanhtra.cucthue"):
        assert username in output
    assert DEMO_PASSWORD in output
    assert "chỉ dùng cho bản demo" in output


def table_counts():
    return (
        Unit.objects.count(),
        get_user_model().objects.count(),
        RoleGrant.objects.count(),
        Employee.objects.count(),
        Employee.history.count(),
    )


@pytest.mark.django_db
def test_running_twice_adds_nothing():
    load(40)
    before = table_counts()
    load(40)
    assert table_counts() == before


@pytest.mark.django_db
def test_a_larger_count_later_only_adds_the_missing_employees():
    load(40)
    first = set(Employee.objects.values_list("citizen_id", flat=True))
    load(50)
    assert Employee.objects.count() == 50
    assert first <= set(Employee.objects.values_list("citizen_id", flat=True))


@pytest.mark.django_db
def test_every_employee_has_one_history_row_with_the_demo_reason():
    load()
    admin = get_user_model().objects.get(username="admin")
    for employee in Employee.objects.all():
        rows = list(employee.history.all())
        assert len(rows) == 1
        assert rows[0].history_change_reason == DEMO_REASON
        assert rows[0].approved_by_id == admin.pk
        assert rows[0].proposed_by_id is None


@pytest.mark.django_db
def test_citizen_ids_are_unique_twelve_digit_strings():
    load()
    ids = list(Employee.objects.values_list("citizen_id", flat=True))
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"\d{12}", value) for value in ids)


@pytest.mark.django_db
def test_officer_of_kv1_has_exactly_one_officer_grant_on_that_unit():
    load()
    load()
    grants = RoleGrant.objects.filter(user__username="canbo.kv1")
    assert grants.count() == 1
    grant = grants.get()
    assert grant.role == Role.OFFICER
    assert grant.unit.code == "BTC.CT.KV1"


@pytest.mark.django_db
def test_password_is_set_only_when_the_account_is_created():
    load()
    user = get_user_model().objects.get(username="canbo.kv1")
    assert user.check_password(DEMO_PASSWORD)
    user.set_password("Một-mật-khẩu-khác-2026")
    user.save()
    load()
    user.refresh_from_db()
    assert not user.check_password(DEMO_PASSWORD)
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and not admin.role_grants.exists()
