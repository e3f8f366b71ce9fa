"""The staffing-quota report: approved, actual and pending headcount per unit and category,
own and rolled up over the subtree, scoped to what the user may see, and its xlsx download."""

import datetime
import html
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from records.models import Employee, ExportLog, SalaryHistory
from reports.quota import quota_level, quota_report
from tests.conftest import make_employee, make_user, setup_context
from units import selectors
from units.models import Role, StaffingQuota
from units.scope import active_grants
from workflows import changesets
from workflows.models import ChangeRequest
from workflows.services import Decision, decide_change_request, submit_change_request, submit_transfer

YEAR = timezone.localdate().year
CIVIL = Employee.EmploymentStatus.CIVIL_SERVANT
PUBLIC = Employee.EmploymentStatus.PUBLIC_EMPLOYEE
CONTRACT = Employee.EmploymentStatus.CONTRACT
CATEGORIES = (CIVIL, PUBLIC, CONTRACT)

# Quotas of YEAR (unit, category, approved); a quota of another year must not count.
QUOTAS = [
    ("cuc", CIVIL, 10),
    ("kv1", CIVIL, 3),
    ("kv1", CONTRACT, 2),
    ("kv2", CIVIL, 2),
    ("kv2", PUBLIC, 1),
    ("kho_bac", CIVIL, 5),
]


def new_hire(unit, officer, *, citizen_id, status):
    values = {
        "full_name": "Phạm Văn Mới",
        "date_of_birth": datetime.date(1995, 5, 5),
        "sex": Employee.Sex.MALE,
        "citizen_id": citizen_id,
        "employment_status": status,
        "managing_unit": unit,
    }
    salary = {
        "effective_date": datetime.date(2020, 1, 1),
        "rank_code": "01.003",
        "salary_step": 3,
        "salary_coefficient": Decimal("3.00"),
        "employee": "$employee",
    }
    return submit_change_request(
        kind=ChangeRequest.Kind.NEW_HIRE,
        unit=unit,
        submitted_by=officer,
        operations=[
            changesets.make_create(Employee, values, ref="employee"),
            changesets.make_create(SalaryHistory, salary),
        ],
        reason="Tiếp nhận theo kết quả thi tuyển",
        title="Tiếp nhận cán bộ mới",
    )


@pytest.fixture
def staffing(tree, people, loader):
    """Quotas, people and open requests in every unit of the tree, with known numbers."""
    t, p = tree, people
    with setup_context(loader):
        for unit, category, approved in QUOTAS:
            StaffingQuota.objects.create(unit=t[unit], year=YEAR, category=category, approved=approved)
        StaffingQuota.objects.create(unit=t["kv1"], year=YEAR - 1, category=CIVIL, approved=99)
    # CCCD digits 4–6 encode sex, century and year of birth: male, born 1985 (staff) or 1995 (new hires).
    staff_ids = iter(f"001085100{n:03d}" for n in range(1, 99))
    hire_ids = iter(f"001095200{n:03d}" for n in range(1, 99))
    staff = {}
    for unit, status, count in [
        ("cuc", CIVIL, 1),
        ("kv1", CIVIL, 2),
        ("kv1", CONTRACT, 1),
        ("kv2", CIVIL, 1),
        ("kv2", PUBLIC, 1),
        ("kho_bac", CIVIL, 1),
    ]:
        for n in range(count):
            staff[(unit, status, n)] = make_employee(
                t[unit], loader, citizen_id=next(staff_ids), full_name=f"Cán Bộ {unit} {n}", employment_status=status
            )
    approver_kb = make_user("lanhdao_kb", (t["kho_bac"], Role.APPROVER))

    # Open: a new civil servant for KV1, awaiting approval.
    new_hire(t["kv1"], p["canbo_kv1"], citizen_id=next(hire_ids), status=CIVIL)
    # Open: a new contract worker for KV2, returned for rework.
    returned = new_hire(t["kv2"], p["canbo_kv2"], citizen_id=next(hire_ids), status=CONTRACT)
    decide_change_request(
        change_request=returned, user=p["lanhdao_kv2"], decision=Decision.RETURN, comment="Bổ sung hồ sơ"
    )
    # Closed: a rejected new hire in KV1 adds nothing.
    rejected = new_hire(t["kv1"], p["canbo_kv1"], citizen_id=next(hire_ids), status=CIVIL)
    decide_change_request(
        change_request=rejected, user=p["lanhdao_kv1"], decision=Decision.REJECT, comment="Không đủ chỉ tiêu"
    )
    # Open: a KV1 civil servant moving to KV2 (inside the Cục: pending for KV2, not for the Cục).
    submit_transfer(
        employee=staff[("kv1", CIVIL, 0)], target_unit=t["kv2"], submitted_by=p["canbo_kv1"], reason="Điều động"
    )
    # Open: a treasury civil servant moving to KV1, approved by the treasury, awaiting KV1 (the
    # last level's approval would apply it at once).
    incoming = submit_transfer(
        employee=staff[("kho_bac", CIVIL, 0)], target_unit=t["kv1"], submitted_by=p["canbo_kb"], reason="Điều động"
    )
    decide_change_request(change_request=incoming, user=approver_kb, decision=Decision.APPROVE)
    assert incoming.status == ChangeRequest.Status.SUBMITTED and incoming.pending_unit == t["kv1"]
    # Outgoing from the Cục to the treasury: adds nothing inside the Cục.
    submit_transfer(
        employee=staff[("kv2", PUBLIC, 0)], target_unit=t["kho_bac"], submitted_by=p["canbo_kv2"], reason="Điều động"
    )
    return staff


# What the scenario above leaves pending, counted by hand: (unit, category) -> own pending.
PENDING_OWN = {("kv1", CIVIL): 2, ("kv2", CIVIL): 1, ("kv2", CONTRACT): 1}
# For the Cục's subtree, the KV1 → KV2 transfer stays inside and does not count.
PENDING_CUC_SUBTREE = {CIVIL: 2, PUBLIC: 0, CONTRACT: 1}


def approved(units, category):
    return sum(
        q.approved
        for q in StaffingQuota.objects.filter(year=YEAR, category=category)
        if q.unit.pk in {u.pk for u in units}
    )


def actual(units, category):
    return Employee.objects.filter(managing_unit__in=units, employment_status=category).count()


def expected_rows(tree):
    t = tree
    subtrees = {"cuc": [t["cuc"], t["kv1"], t["kv2"]], "kv1": [t["kv1"]], "kv2": [t["kv2"]]}
    expected = {}
    for name, members in subtrees.items():
        for category in CATEGORIES:
            own_pending = PENDING_OWN.get((name, category), 0)
            expected[(t[name].code, category)] = {
                "own": {
                    "approved": approved([t[name]], category),
                    "actual": actual([t[name]], category),
                    "pending": own_pending,
                },
                "subtree": {
                    "approved": approved(members, category),
                    "actual": actual(members, category),
                    "pending": PENDING_CUC_SUBTREE[category] if name == "cuc" else own_pending,
                },
            }
    return expected


def as_table(rows):
    return {
        (row.unit.code, c["category"]): {"own": c["own"], "subtree": c["subtree"]}
        for row in rows
        for c in row.categories
    }


def test_quota_categories_are_the_employment_statuses():
    assert set(StaffingQuota.Category.values) == set(Employee.EmploymentStatus.values)


def test_report_counts_own_and_subtree_numbers(tree, staffing):
    rows = quota_report(unit=tree["cuc"], year=YEAR)
    assert [r.unit.code for r in rows] == ["BTC.CT", "BTC.CT.KV1", "BTC.CT.KV2"]
    assert [r.depth for r in rows] == [0, 1, 1]
    table = as_table(rows)
    assert table == expected_rows(tree)
    # Spot checks against the scenario, so a shared mistake in the helpers cannot hide.
    assert table[("BTC.CT", CIVIL)]["subtree"] == {"approved": 15, "actual": 4, "pending": 2}
    assert table[("BTC.CT.KV1", CIVIL)]["own"] == {"approved": 3, "actual": 2, "pending": 2}
    assert table[("BTC.CT.KV2", PUBLIC)]["own"] == {"approved": 1, "actual": 1, "pending": 0}


def test_report_for_the_whole_ministry_counts_the_internal_transfer_once(tree, staffing):
    rows = {r.unit.code: r for r in quota_report(unit=tree["ministry"], year=YEAR)}
    ministry = rows["BTC"].subtree
    # Both transfers into KV1/KV2 start inside the ministry; only the two open new hires add.
    assert ministry[CIVIL] == {"approved": 20, "actual": 5, "pending": 1}
    assert ministry[CONTRACT]["pending"] == 1
    assert rows["BTC.KB"].own[PUBLIC] == {"approved": 0, "actual": 0, "pending": 1}


def test_report_takes_a_fixed_number_of_queries(tree, staffing, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        quota_report(unit=tree["ministry"], year=YEAR)


def test_page_defaults_to_top_visible_unit_and_this_year(client, tree, people, staffing):
    client.force_login(people["xem_cuc"])
    response = client.get(reverse("units:quota-report"))
    assert response.status_code == 200
    assert response.context["unit"] == tree["cuc"] and response.context["year"] == YEAR
    assert as_table(response.context["rows"]) == expected_rows(tree)
    assert "Báo cáo biên chế Cục Thuế năm" in response.content.decode()


def test_page_for_another_year_counts_that_years_quota(client, tree, people, staffing):
    client.force_login(people["canbo_kv1"])
    response = client.get(reverse("units:quota-report"), {"parent": tree["kv1"].pk, "year": YEAR - 1})
    assert response.status_code == 200
    (row,) = response.context["rows"]
    assert row.own[CIVIL]["approved"] == 99 and row.own[CONTRACT]["approved"] == 0


@pytest.mark.parametrize(
    "user, unit",
    [("canbo_kv1", "cuc"), ("canbo_kv1", "kv2"), ("canbo_kb", "kv1"), ("xem_cuc", "ministry"), ("nobody", "kv1")],
)
def test_unit_outside_scope_is_not_found(client, tree, people, staffing, user, unit):
    client.force_login(people[user])
    for name, parameter in (("units:quota-report", "parent"), ("units:quota-report-xlsx", "unit")):
        assert client.get(reverse(name), {parameter: tree[unit].pk}).status_code == 404
    assert not ExportLog.objects.exists()


def test_bad_year_is_a_bad_request(client, tree, people):
    client.force_login(people["xem_cuc"])
    assert client.get(reverse("units:quota-report"), {"year": "năm nay"}).status_code == 400


def test_user_without_grants_is_refused(client, people):
    client.force_login(people["nobody"])
    assert client.get(reverse("units:quota-report")).status_code == 403


def test_xlsx_has_the_same_numbers_and_is_logged(client, tree, people, staffing):
    client.force_login(people["xem_cuc"])
    response = client.get(reverse("units:quota-report-xlsx"), {"unit": tree["cuc"].pk, "year": YEAR})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == f"Báo cáo biên chế Cục Thuế năm {YEAR}"
    assert rows[1][:4] == ("Mã đơn vị", "Tên đơn vị", "Loại biên chế", "Được giao (đơn vị)")
    labels = {str(label): value for value, label in StaffingQuota.Category.choices}
    got = {
        (code, labels[label]): {
            "own": dict(zip(("approved", "actual", "pending"), numbers[:3], strict=True)),
            "subtree": dict(zip(("approved", "actual", "pending"), numbers[3:], strict=True)),
        }
        for code, _name, label, *numbers in rows[2:]
    }
    assert got == expected_rows(tree)
    log = ExportLog.objects.get()
    assert log.user == people["xem_cuc"] and log.kind == ExportLog.Kind.QUOTA_REPORT
    assert log.row_count == 9 == len(rows) - 2
    assert log.parameters == {"unit": tree["cuc"].pk, "year": YEAR}
    assert log.ip_address == "127.0.0.1"


def test_viewing_the_page_is_not_logged_as_an_export(client, tree, people, staffing):
    client.force_login(people["xem_cuc"])
    assert client.get(reverse("units:quota-report")).status_code == 200
    assert not ExportLog.objects.exists()


def test_unit_page_and_menu_link_to_the_report(client, tree, people):
    client.force_login(people["canbo_kv1"])
    page = client.get(reverse("units:unit-detail", args=[tree["kv1"].pk])).content.decode()
    assert f"{reverse('units:quota-report')}?parent={tree['kv1'].pk}" in page


# --- one level at a time (the page): the roll-up grouped in SQL, scoped, expandable ----------


def test_each_level_rolls_up_to_the_same_numbers_as_the_whole_subtree(tree, staffing):
    """Every unit's own and subtree figures on its level equal the whole-subtree report's, and a
    subtree's totals are the sum of its units' own figures (approved, actual)."""
    full = {r.unit.code: r for r in quota_report(unit=tree["ministry"], year=YEAR)}
    user = make_user("xem_bo", (tree["ministry"], Role.VIEWER))
    for parent, children in (("ministry", ["cuc", "kho_bac"]), ("cuc", ["kv1", "kv2"])):
        total, rows = quota_level(user=user, parent=tree[parent], children=[tree[c] for c in children], year=YEAR)
        for row in (total, *rows):
            assert (row.own, row.subtree) == (full[row.unit.code].own, full[row.unit.code].subtree), row.unit.code
    for category in CATEGORIES:
        for measure in ("approved", "actual"):
            units_own = sum(r.own[category][measure] for r in full.values())
            assert full["BTC"].subtree[category][measure] == units_own
    assert full["BTC"].subtree[CIVIL]["actual"] == 5  # by hand: 1 + 2 + 1 + 1


def test_units_the_user_may_not_see_are_not_counted(tree, people, staffing):
    """Asked for the Cục by someone who sees only KV1, the roll-up counts KV1's people alone."""
    total, (kv1, kv2) = quota_level(
        user=people["canbo_kv1"], parent=tree["cuc"], children=[tree["kv1"], tree["kv2"]], year=YEAR
    )
    assert total.subtree[CIVIL]["actual"] == kv1.subtree[CIVIL]["actual"] == 2
    assert total.own[CIVIL]["approved"] == 0 and kv2.subtree[PUBLIC]["actual"] == 0


def test_level_takes_a_fixed_number_of_queries(tree, staffing, django_assert_max_num_queries):
    user = make_user("xem_bo", (tree["ministry"], Role.VIEWER))
    active_grants(user)  # read once per request, before the report
    with django_assert_max_num_queries(3):
        quota_level(user=user, parent=tree["ministry"], children=[tree["cuc"], tree["kho_bac"]], year=YEAR)


def test_page_shows_one_level_and_links_to_the_next(client, tree, staffing):
    client.force_login(make_user("xem_bo", (tree["ministry"], Role.VIEWER)))
    response = client.get(reverse("units:quota-report"), {"year": YEAR})
    assert [r.unit.code for r in response.context["rows"]] == ["BTC", "BTC.CT", "BTC.KB"]
    html = response.content.decode()
    assert f'href="?parent={tree["cuc"].pk}&amp;year={YEAR}"' in html  # the Cục has children
    assert f'href="?parent={tree["kho_bac"].pk}&amp;' not in html  # the treasury has none
    deeper = client.get(reverse("units:quota-report"), {"parent": tree["cuc"].pk, "year": YEAR})
    assert [r.unit.code for r in deeper.context["rows"]] == ["BTC.CT", "BTC.CT.KV1", "BTC.CT.KV2"]
    assert [a.code for a in deeper.context["ancestors"]] == ["BTC"]
    assert as_table(deeper.context["rows"]) == expected_rows(tree)


def test_a_level_with_many_children_pages_by_keyset_keeping_the_year(client, tree, staffing, monkeypatch):
    monkeypatch.setattr(selectors, "CHILDREN_PER_PAGE", 1)
    client.force_login(make_user("xem_bo", (tree["ministry"], Role.VIEWER)))
    first = client.get(reverse("units:quota-report"), {"parent": tree["cuc"].pk, "year": YEAR})
    assert [r.unit.code for r in first.context["rows"]] == ["BTC.CT", "BTC.CT.KV1"]
    link = re.search(r'<a [^>]*rel="next" href="\?([^"]*)"', first.content.decode()).group(1)
    second = client.get(reverse("units:quota-report") + "?" + html.unescape(link))
    assert second.context["year"] == YEAR
    assert [r.unit.code for r in second.context["rows"]] == ["BTC.CT", "BTC.CT.KV2"]  # the Cục's totals, again
    assert as_table(second.context["rows"][:1]) == as_table(first.context["rows"][:1])
    forged = client.get(reverse("units:quota-report"), {"parent": tree["cuc"].pk, "cursor": "không"})
    assert [r.unit.code for r in forged.context["rows"]] == ["BTC.CT", "BTC.CT.KV1"]
    assert "Liên kết trang không hợp lệ" in forged.content.decode()


def test_a_user_with_two_top_units_is_offered_both(client, tree, staffing):
    client.force_login(make_user("hai_noi", (tree["kho_bac"], Role.VIEWER), (tree["kv1"], Role.VIEWER)))
    response = client.get(reverse("units:quota-report"))
    assert response.context["unit"] == tree["kv1"]  # the first in tree order
    assert f'href="?parent={tree["kho_bac"].pk}&amp;year={YEAR}"' in response.content.decode()
    assert client.get(reverse("units:quota-report"), {"parent": tree["cuc"].pk}).status_code == 404
