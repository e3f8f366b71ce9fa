"""The load_demo command builds the demo tree, quotas, positions, complete personnel files,
inspection work, accounts and approval policy version 2, idempotently, every write attributed
to the admin."""

import io
import itertools
import re
from collections import Counter
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from accounts.models import DemoAccount
from accounts.selectors import is_demo_account
from demo import reference
from demo.accounts import ACCOUNTS, DEMO_PASSWORD
from demo.organisation import UNDER_QUOTA
from demo.people import SalaryScales, build_people
from demo.people.ranks import LEADERS, holding_months
from demo.policy import POLICY_NOTE
from demo.reference import DEMO_REASON, EVALUATION_YEARS, GRANT_REASON, INSPECTION_YEARS, QUOTA_YEARS
from inspections.models import FollowUpAction, Inspection, InspectionPlan
from records.models import (
    SUBRECORD_MODELS,
    Commendation,
    Discipline,
    Employee,
    Evaluation,
    FamilyMember,
    SalaryHistory,
    SalaryRank,
    Training,
    WorkHistory,
)
from records.models.salary import check_salary
from units.models import Position, Role, RoleGrant, StaffingQuota, Unit
from units.permissions import can_manage_policy
from workflows.models import ApprovalPolicy, PolicyRule
from workflows.policy import current_policy, resolve_levels, save_policy

EXPECTED_PARENTS = {
    "BTC": None,
    "BTC.TCCB": "BTC",
    "BTC.CT": "BTC",
    "BTC.CT.KV1": "BTC.CT",
    "BTC.CT.KV2": "BTC.CT",
    "BTC.CT.TCCB": "BTC.CT",
    "BTC.KBNN": "BTC",
    "BTC.KBNN.KV1": "BTC.KBNN",
}
TRACKED_MODELS = (
    Unit,
    StaffingQuota,
    Position,
    Employee,
    *SUBRECORD_MODELS,
    InspectionPlan,
    Inspection,
    FollowUpAction,
)


@pytest.fixture(autouse=True)
def demo_mode(settings):
    settings.DEMO_MODE = True


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load(n=40):
    out = io.StringIO()
    call_command("load_demo", employees=n, stdout=out)
    return out.getvalue()


def as_admin(reason):
    from tracking.context import ChangeContext, tracked_change

    return tracked_change(ChangeContext(reason=reason, approved_by=get_user_model().objects.get(username="admin")))


@pytest.fixture
def full_demo(db):
    """The default data set, for checks that need the whole of it (quotas, rare records)."""
    load(200)


@pytest.mark.django_db
def test_refuses_to_run_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo", employees=1, stdout=io.StringIO())
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_refuses_to_write_data_dated_after_today(monkeypatch):
    monkeypatch.setattr(reference, "REFERENCE_DATE", date.today() + timedelta(days=30))
    with pytest.raises(CommandError):
        call_command("load_demo", employees=1, stdout=io.StringIO())
    assert not get_user_model().objects.exists()


# --- units ------------------------------------------------------------------------------
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
def test_every_unit_has_an_address_a_founding_decision_and_a_start_date():
    load()
    for unit in Unit.objects.all():
        assert unit.address and unit.founding_decision_number, unit.code
        assert unit.founding_decision_date <= unit.active_from <= date.today(), unit.code
        assert unit.active_to is None
        unit.full_clean()


@pytest.mark.django_db
def test_fills_missing_details_of_a_unit_from_an_older_demo_and_keeps_edited_ones():
    load(0)
    admin = get_user_model().objects.get(username="admin")
    from tracking.context import ChangeContext, tracked_change

    unit = Unit.objects.get(code="BTC.CT.KV1")
    with tracked_change(ChangeContext(reason="Sửa tay", approved_by=admin)):
        unit.address, unit.founding_decision_number = "", "99/QĐ-SỬA"
        unit.save()
    output = load(0)
    unit.refresh_from_db()
    assert unit.address == "187 Giảng Võ, Hà Nội"
    assert unit.founding_decision_number == "99/QĐ-SỬA"
    assert "bổ sung thông tin (details filled): 1" in output


@pytest.mark.django_db
def test_the_ministry_and_the_tax_agency_each_have_a_flagged_personnel_department():
    load()
    flagged = {unit.code: unit for unit in Unit.objects.filter(is_personnel_department=True)}
    assert set(flagged) == {"BTC.TCCB", "BTC.CT.TCCB"}
    office = flagged["BTC.CT.TCCB"]
    assert (office.name, office.kind) == ("Phòng Tổ chức cán bộ Cục Thuế", Unit.Kind.DEPARTMENT)
    assert not Employee.objects.filter(managing_unit=office).exists()
    assert Position.objects.filter(unit=office, is_leadership=True).exists()


@pytest.mark.django_db
def test_flags_the_personnel_department_of_an_older_demo_unless_the_parent_has_another():
    load(0)
    with as_admin("Sửa tay"):
        for code in ("BTC.TCCB", "BTC.CT.TCCB"):
            unit = Unit.objects.get(code=code)
            unit.is_personnel_department = False
            unit.save()
        other = Unit.objects.get(code="BTC.CT.KV1")  # the Cục's personnel work moved elsewhere
        other.is_personnel_department = True
        other.save()
    output = load(0)
    assert Unit.objects.get(code="BTC.TCCB").is_personnel_department
    assert not Unit.objects.get(code="BTC.CT.TCCB").is_personnel_department
    assert "bổ sung thông tin (details filled): 1" in output


@pytest.mark.django_db
def test_each_unit_has_positions_with_leadership_flagged():
    load()
    positions = {(p.unit.code, p.name): p for p in Position.objects.select_related("unit")}
    for unit_code, name, _rank in LEADERS:
        assert positions[(unit_code, name)].is_leadership, (unit_code, name)
    assert not positions[("BTC.CT.KV1", "Chuyên viên")].is_leadership
    assert {code for code, _name in positions} == set(EXPECTED_PARENTS)
    assert all(p.posts >= 1 for p in positions.values())


def test_every_unit_with_staff_is_within_its_posts_and_quota_but_one(full_demo):
    holders = Counter(Employee.objects.exclude(position=None).values_list("position", flat=True))
    for position in Position.objects.all():
        assert holders[position.pk] <= position.posts, position
    headcount = Counter(Employee.objects.values_list("managing_unit__code", "employment_status"))
    quotas = {(q.unit.code, q.year, q.category): q.approved for q in StaffingQuota.objects.select_related("unit")}
    for (unit_code, category), actual in headcount.items():
        current = quotas[(unit_code, QUOTA_YEARS[1], category)]
        previous = quotas[(unit_code, QUOTA_YEARS[0], category)]
        assert previous >= current, (unit_code, category)
        if (unit_code, category) in UNDER_QUOTA:
            assert current < actual
        else:
            assert actual < current <= actual + 5, (unit_code, category, actual, current)
    assert {year for _u, year, _c in quotas} == set(QUOTA_YEARS)


# --- employees --------------------------------------------------------------------------
@pytest.mark.django_db
def test_creates_the_requested_number_of_employees():
    load(40)
    assert Employee.objects.count() == 40


@pytest.mark.django_db
def test_every_employee_passes_full_clean():
    load()
    for employee in Employee.objects.all():
        employee.full_clean()
        assert employee.place_of_birth and employee.home_town and employee.current_address
        assert employee.citizen_id_issue_date and employee.recruitment_date and employee.salary_effective_date
        assert employee.qualification and employee.foreign_language and employee.it_skill


@pytest.mark.django_db
def test_leaders_hold_the_leadership_position_of_their_own_unit():
    load(len(LEADERS) + 24)
    employees = list(Employee.objects.select_related("position", "managing_unit").order_by("pk"))
    for employee, (unit_code, name, _rank) in zip(employees, LEADERS, strict=False):  # leaders come first
        assert (employee.managing_unit.code, employee.position.name) == (unit_code, name)
        assert employee.position.is_leadership and employee.position_allowance > 0
    for employee in employees:
        if employee.position:
            assert employee.position.unit_id == employee.managing_unit_id
    staff = employees[len(LEADERS) :]
    assert any(e.position and e.position.name == "Chuyên viên" for e in staff)
    assert all(e.position_allowance == 0 for e in staff)


@pytest.mark.django_db
def test_salary_history_follows_the_salary_table_and_ends_at_the_current_salary():
    load()
    months = {code: holding_months(group) for code, group in SalaryRank.objects.values_list("rank_code", "scale_group")}
    converted = SalaryScales().first_table_date  # older salaries appear converted on this day
    for employee in Employee.objects.all():
        rows = list(employee.salary_history.order_by("effective_date"))
        assert rows, employee
        for row in rows:
            assert (
                check_salary(
                    rank_code=row.rank_code,
                    step=row.salary_step,
                    coefficient=row.salary_coefficient,
                    on=row.effective_date,
                )
                == {}
            )
        last = rows[-1]
        assert (last.rank_code, last.salary_step, last.salary_coefficient, last.effective_date) == (
            employee.rank_code,
            employee.salary_step,
            employee.salary_coefficient,
            employee.salary_effective_date,
        )
        for before, after in itertools.pairwise(rows):
            assert after.salary_coefficient > before.salary_coefficient
            if after.rank_code == before.rank_code and before.effective_date != converted:  # a regular step increase
                assert after.salary_step == before.salary_step + 1
                gap = (after.effective_date.year - before.effective_date.year) * 12 + (
                    after.effective_date.month - before.effective_date.month
                )
                assert gap == months[after.rank_code], employee


@pytest.mark.django_db
def test_work_history_is_consecutive_from_recruitment_and_ends_open():
    load()
    for employee in Employee.objects.all():
        rows = list(employee.work_history.order_by("start_date"))
        assert rows[0].start_date == employee.recruitment_date
        for before, after in itertools.pairwise(rows):
            assert before.end_date == after.start_date - timedelta(days=1)
        assert rows[-1].end_date is None
        assert rows[-1].organisation == employee.managing_unit.name
        if employee.position and employee.position.is_leadership:
            assert rows[-1].title == employee.position.name


@pytest.mark.django_db
def test_every_employee_has_trainings_evaluations_and_family():
    load()
    for employee in Employee.objects.all():
        assert 1 <= employee.trainings.count() <= 3
        assert 2 <= employee.family.count() <= 5
        years = set(employee.evaluations.values_list("year", flat=True))
        expected = {y for y in EVALUATION_YEARS if employee.recruitment_date <= date(y, 6, 30)}
        assert years == expected, employee
        degree = employee.trainings.order_by("start_date").first()
        assert degree.kind == Training.Kind.DEGREE and degree.end_date < employee.recruitment_date


def test_the_default_data_set_has_rows_of_every_kind(full_demo):
    for model in TRACKED_MODELS:
        assert model.objects.exists(), model.__name__
    for model in SUBRECORD_MODELS:
        for row in model.objects.all():
            row.full_clean()
    # Someone disciplined in a year is rated as not completing their tasks that year.
    for discipline in Discipline.objects.all():
        evaluation = Evaluation.objects.get(employee=discipline.employee, year=discipline.effective_from.year)
        assert evaluation.rating == Evaluation.Rating.FAILED
    assert Employee.objects.count() == 200


# --- inspection work --------------------------------------------------------------------
@pytest.mark.django_db
def test_inspection_plans_each_year_for_the_ministry_and_the_tax_agency():
    load(0)
    for planner in ("BTC", "BTC.CT"):
        for year in INSPECTION_YEARS:
            plan = InspectionPlan.objects.get(unit__code=planner, year=year)
            plan.full_clean()
            inspections = list(plan.inspections.select_related("inspected_unit"))
            assert 2 <= len(inspections) <= 3
            for inspection in inspections:
                inspection.full_clean()
                assert inspection.inspected_unit.path.startswith(plan.unit.path)
                assert inspection.inspected_unit != plan.unit
                assert inspection.scope and inspection.team and inspection.findings
    actions = list(FollowUpAction.objects.all())
    for action in actions:
        action.full_clean()
    assert any(a.is_overdue for a in actions)
    assert {a.status for a in actions} >= {
        FollowUpAction.Status.OPEN,
        FollowUpAction.Status.IN_PROGRESS,
        FollowUpAction.Status.DONE,
    }


# --- idempotency and attribution --------------------------------------------------------
def table_counts():
    counts = {
        "users": get_user_model().objects.count(),
        "grants": RoleGrant.objects.count(),
        "grant history": RoleGrant.history.count(),
        "policies": ApprovalPolicy.objects.count(),
        "policy rules": PolicyRule.objects.count(),
    }
    for model in TRACKED_MODELS:
        counts[model.__name__] = model.objects.count()
        counts[f"{model.__name__} history"] = model.history.count()
    return counts


@pytest.mark.django_db
def test_running_twice_adds_nothing():
    load(40)
    before = table_counts()
    output = load(40)
    assert table_counts() == before
    assert "Cán bộ mới (employees created): 0 / 40" in output
    assert "Phân quyền mới (grants created): 0 /" in output
    assert "giữ nguyên phiên bản 2" in output


@pytest.mark.django_db
def test_a_larger_count_later_only_adds_the_missing_employees_and_their_files():
    load(40)
    first = set(Employee.objects.values_list("citizen_id", flat=True))
    work_before = set(WorkHistory.objects.values_list("pk", "employee_id"))
    load(50)
    assert Employee.objects.count() == 50
    assert first <= set(Employee.objects.values_list("citizen_id", flat=True))
    assert work_before < set(WorkHistory.objects.values_list("pk", "employee_id"))
    assert not Employee.objects.filter(work_history=None).exists()
    assert not Employee.objects.filter(salary_history=None).exists()


@pytest.mark.django_db
def test_adds_a_missing_kind_of_sub_record_without_touching_the_others():
    load(20)
    employee = Employee.objects.order_by("pk").first()
    admin = get_user_model().objects.get(username="admin")
    from tracking.context import ChangeContext, tracked_change

    with tracked_change(ChangeContext(reason="Xoá để thử", approved_by=admin)):
        for row in employee.family.all():
            row.delete()
    commendations = Commendation.objects.count()
    load(20)
    assert 2 <= employee.family.count() <= 5
    assert Commendation.objects.count() == commendations


def test_the_people_do_not_depend_on_how_many_are_asked_for(db):
    scales = SalaryScales()
    ten, thirty = build_people(10, scales), build_people(30, scales)
    assert [p.fields for p in ten] == [p.fields for p in thirty[:10]]
    assert [p.subrecords for p in ten] == [p.subrecords for p in thirty[:10]]


def test_every_history_row_names_the_admin_and_the_demo_reason(full_demo):
    admin = get_user_model().objects.get(username="admin")
    for model in TRACKED_MODELS:
        rows = list(model.history.all())
        assert rows, model.__name__
        for row in rows:
            assert row.history_change_reason == DEMO_REASON, model.__name__
            assert row.history_user_id == admin.pk, model.__name__
            assert row.approved_by_id == admin.pk, model.__name__
            assert row.proposed_by_id is None and row.change_request_id is None, model.__name__
    for employee in Employee.objects.all():
        assert employee.history.count() == 1
    for model in (SalaryHistory, FamilyMember):
        assert model.history.count() == model.objects.count()


@pytest.mark.django_db
def test_citizen_ids_are_unique_twelve_digit_strings():
    load()
    ids = list(Employee.objects.values_list("citizen_id", flat=True))
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"\d{12}", value) for value in ids)


# --- accounts ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_prints_the_demo_accounts_table():
    output = load()
    for username in (
        "admin",
        "canbo.kv1",
        "lanhdao.kbnn",
        "xem.bo",
        "thanhtra.cucthue",
        "tccb.cucthue",
        "quantri.bo",
        "quantri.cucthue",
    ):
        assert username in output
    assert DEMO_PASSWORD in output
    assert "chỉ dùng cho bản demo" in output


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
    output = load()
    user.refresh_from_db()
    assert not user.check_password(DEMO_PASSWORD)
    assert "(đã đổi / changed)" in output
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and not admin.role_grants.exists()


@pytest.mark.django_db
def test_personnel_office_approver_and_unit_admins_are_granted_by_the_admin_with_a_reason():
    load(0)
    admin = get_user_model().objects.get(username="admin")
    expected = {
        "tccb.cucthue": (Role.APPROVER, "BTC.CT.TCCB"),
        "quantri.bo": (Role.UNIT_ADMIN, "BTC"),
        "quantri.cucthue": (Role.UNIT_ADMIN, "BTC.CT"),
    }
    for username, (role, unit_code) in expected.items():
        grant = RoleGrant.objects.active().select_related("user", "unit").get(user__username=username)
        assert (grant.role, grant.unit.code) == (role, unit_code)
        assert (grant.granted_by, grant.reason) == (admin, GRANT_REASON)
        [created] = grant.history.all()
        assert (created.history_user, created.history_change_reason) == (admin, GRANT_REASON)
        assert is_demo_account(grant.user), username  # skips two-factor authentication in DEMO_MODE
    assert not RoleGrant.objects.exclude(granted_by=admin).exists()
    users = get_user_model().objects.in_bulk(expected, field_name="username")
    assert can_manage_policy(users["quantri.bo"]) and not can_manage_policy(users["quantri.cucthue"])


@pytest.mark.django_db
def test_every_account_the_loader_makes_is_marked_as_a_demo_account():
    load(0)
    marked = set(DemoAccount.objects.values_list("user__username", flat=True))
    assert marked == {"admin", *(account[0] for account in ACCOUNTS)}


@pytest.mark.django_db
def test_an_account_of_the_same_name_made_by_someone_else_is_not_marked():
    """Only accounts the loader made (or an older loader, with its address) are demo accounts."""
    real = get_user_model().objects.create_user("lanhdao.kv1", "hung.tv@mof.gov.vn", "Một-mật-khẩu-khác-2026")
    older = get_user_model().objects.create_user("canbo.kv1", "canbo.kv1@demo.qlcb.local", "Một-mật-khẩu-khác-2026")
    load(0)
    assert not is_demo_account(real)
    assert is_demo_account(older)


@pytest.mark.django_db
def test_an_administrator_sees_the_demo_accounts_in_the_admin(client):
    load(0)
    client.force_login(get_user_model().objects.get(username="admin"))
    response = client.get(reverse("admin:accounts_demoaccount_changelist"))
    assert response.status_code == 200
    assert "quantri.bo" in response.content.decode()


@pytest.mark.django_db
def test_a_revoked_demo_grant_stays_revoked_and_an_older_one_gets_who_and_why():
    load(0)
    revoked = RoleGrant.objects.get(user__username="tccb.cucthue")
    revoked.revoked_at = timezone.now()
    revoked.save()
    older = RoleGrant.objects.get(user__username="canbo.kv1")
    older.granted_by, older.reason = None, ""  # as an older demo left it
    older.save()
    output = load(0)
    assert RoleGrant.objects.filter(user__username="tccb.cucthue").get().revoked_at is not None
    older.refresh_from_db()
    assert (older.granted_by.username, older.reason) == ("admin", GRANT_REASON)
    assert "Phân quyền mới (grants created): 0 /" in output


# --- approval policy --------------------------------------------------------------------
@pytest.mark.django_db
def test_policy_version_2_sends_salary_changes_of_a_chi_cuc_to_the_tax_agency_personnel_office():
    load(0)
    first, second = ApprovalPolicy.objects.get(version=1), current_policy()
    assert second.version == 2
    assert (second.created_by.username, second.note) == ("admin", POLICY_NOTE)
    rules = {(r.category, r.unit_kind): r.levels for r in second.rules.all()}
    assert rules.pop(("salary", "sub_agency")) == ["unit_leader", "parent_personnel"]
    assert rules == {(r.category, r.unit_kind): r.levels for r in first.rules.all()}
    units = {unit.code: unit for unit in Unit.objects.all()}
    levels = resolve_levels(policy=second, categories=["salary"], unit=units["BTC.CT.KV2"])
    assert [level["unit"] for level in levels] == [units["BTC.CT.KV2"].pk, units["BTC.CT.TCCB"].pk]
    levels = resolve_levels(policy=second, categories=["salary"], unit=units["BTC.KBNN.KV1"])
    assert [level["unit"] for level in levels] == [units["BTC.KBNN.KV1"].pk]


@pytest.mark.django_db
def test_keeps_a_later_policy_version_an_administrator_saved():
    admin = get_user_model().objects.create_superuser("chinhsach", password="Một-mật-khẩu-khác-2026")
    rules = [
        {"category": r.category, "unit_kind": r.unit_kind, "levels": r.levels} for r in current_policy().rules.all()
    ]
    save_policy(rules=rules, user=admin, note="Ban hành lại")
    output = load(0)
    assert current_policy().version == 2 and current_policy().note == "Ban hành lại"
    assert "giữ nguyên phiên bản 2" in output


@pytest.mark.django_db
def test_form_2c_of_a_demo_employee_is_an_a4_pdf_with_every_section(client):
    """The acceptance of issue #3: the 2C PDF of a demo person opens, fits A4, shows every section."""
    from tests.records.test_exports import HEADINGS, read_pdf

    load()
    officer = get_user_model().objects.get(username="canbo.kv1")
    employee = Employee.objects.filter(managing_unit__code="BTC.CT.KV1").order_by("pk").first()
    client.force_login(officer)
    text = read_pdf(client.get(reverse("records:employee-form-2c", args=[employee.pk])))
    for heading in HEADINGS:
        assert heading in text
    assert employee.full_name in text and employee.full_name.upper() in text
    assert "thông tin được bảo vệ" not in text
