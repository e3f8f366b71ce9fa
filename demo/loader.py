"""Loads the demo data set: the Ministry of Finance unit tree (addresses, founding decisions,
staffing quotas, positions, personnel departments), ~200 employees with a complete personnel
file (form 2C and every sub-record), two years of inspection work, one demo account per role
plus a superuser, and version 2 of the approval policy (a second level for the Chi cục's
salary changes), and one running review campaign (demo/campaigns.py).

Idempotent: units are found by code, positions by unit and name, quotas by unit, year and
category, employees by CCCD, plans by unit, year and title, inspections by plan and unit,
follow-ups by inspection and text, grants by user, unit and role; an employee's sub-records of
one kind are added only while the employee has none of that kind; the policy is added only
while version 1 is the newest. Everything comes from fixed seeds and a fixed reference
date, and person i does not depend on --employees, so a larger N later only adds people.
All tracked rows are written in one tracked change naming the demo admin and the demo reason,
so every history row says who and why; grants and the policy name the admin too. Addresses and
decision numbers are illustrative.
"""

from collections import Counter
from dataclasses import dataclass

from django.core.management.base import OutputWrapper
from django.db import transaction

from records.models import SUBRECORD_MODELS, Employee
from records.models.salary import salary_index_held
from records.services import load_initial_employees
from tracking.context import ChangeContext, tracked_change
from tracking.models import bulk_create_tracked
from workflows.models import ApprovalPolicy

from .accounts import ACCOUNTS, ensure_grants, ensure_users
from .campaigns import ensure_campaign
from .due_work import ensure_due_work
from .inspection_work import ensure_inspection_work
from .organisation import UNITS, ensure_positions, ensure_quotas, ensure_units, quota_rows
from .people import SalaryScales, build_people
from .policy import ensure_policy
from .reference import DEFAULT_EMPLOYEES, DEMO_REASON


@dataclass
class Loaded:
    """What a run found and added: counts by kind, the admin, the units by code, the usernames
    created now, and the policy version created now (None when kept)."""

    counts: Counter
    admin: object
    units: dict
    created_users: set
    policy: ApprovalPolicy | None


def load_demo_data(*, employees: int, stderr: OutputWrapper) -> Loaded:
    """Adds whatever part of the demo data set the database lacks, in one transaction."""
    counts = Counter()
    with transaction.atomic():
        admin, created_users = ensure_users(stderr=stderr)
        counts["users"] = len(created_users)
        context = ChangeContext(reason=DEMO_REASON, approved_by=admin)
        with tracked_change(context), salary_index_held():
            units = ensure_units(counts)
            counts["grants"] = ensure_grants(admin, units)
            policy = ensure_policy(admin, stderr=stderr)
            positions = ensure_positions(units, counts)
            people = build_people(max(employees, DEFAULT_EMPLOYEES), SalaryScales())
            ensure_quotas(units, quota_rows(people[:DEFAULT_EMPLOYEES]), counts)
            people = people[:employees]
            created = load_initial_employees(
                rows=[
                    {
                        **p.fields,
                        "managing_unit": units[p.unit_code],
                        "position": positions.get((p.unit_code, p.position_name)),
                    }
                    for p in people
                ],
                context=context,
            )
            counts["employees"] = len(created)
            _ensure_subrecords(people, counts)
            ensure_inspection_work(units, counts)
        ensure_campaign(units, counts)  # not a tracked write: the campaign's own services
    ensure_due_work(counts)  # after the commit: the refresh writes in its own transactions
    return Loaded(counts=counts, admin=admin, units=units, created_users=created_users, policy=policy)


def _ensure_subrecords(people, counts):
    """Adds each kind of sub-record to the demo employees that have none of that kind yet."""
    employees = {e.citizen_id: e for e in Employee.objects.filter(citizen_id__in=[p.citizen_id for p in people])}
    ids = [e.pk for e in employees.values()]
    for model in SUBRECORD_MODELS:
        having = set(model.objects.filter(employee_id__in=ids).values_list("employee_id", flat=True).distinct())
        objs = [
            model(employee=employees[p.citizen_id], **row)
            for p in people
            if employees[p.citizen_id].pk not in having
            for row in p.subrecords[model]
        ]
        bulk_create_tracked(model, objs)
        counts[model.__name__] = len(objs)


def summary(loaded: Loaded, *, employees: int) -> list[str]:
    """The lines the command prints about what it added."""
    counts, policy = loaded.counts, loaded.policy
    lines = [
        f"Đơn vị mới (units created): {counts['units']} / {len(UNITS)}; "
        f"bổ sung thông tin (details filled): {counts['units_filled']}",
        f"Tài khoản mới (users created): {counts['users']} / {len(ACCOUNTS) + 1}",
        f"Phân quyền mới (grants created): {counts['grants']} / {len(ACCOUNTS)}",
    ]
    if policy is not None:
        lines.append(
            f"Chính sách phê duyệt (approval policy): tạo phiên bản {policy.version} (version {policy.version} created)"
        )
    else:
        latest = ApprovalPolicy.objects.order_by("-version").first()
        version = latest.version if latest else "—"
        lines.append(f"Chính sách phê duyệt (approval policy): giữ nguyên phiên bản {version} (version {version} kept)")
    lines += [
        f"Chức vụ mới (positions created): {counts['positions']}",
        f"Chỉ tiêu biên chế mới (staffing quotas created): {counts['quotas']}",
        f"Cán bộ mới (employees created): {counts['employees']} / {employees}",
        *(
            f"  {model._meta.verbose_name_plural.capitalize()} ({model.__name__}): {counts[model.__name__]}"
            for model in SUBRECORD_MODELS
        ),
        f"Công tác kiểm tra (inspection work): {counts['plans']} kế hoạch, {counts['inspections']} cuộc kiểm tra, "
        f"{counts['follow_ups']} kiến nghị mới (plans, inspections, follow-ups created)",
        f"Đợt rà soát hồ sơ mới (review campaigns started): {counts['campaigns']}",
        f"Việc đến hạn (due items): tính lại cho {counts['due_items_recomputed']} cán bộ (people recomputed)",
        f"Việc đến hạn mới của cán bộ tổ chức (due drafts and deadline tasks created): {counts['due_tasks']}",
        "",
    ]
    return lines
