"""The world the matrix runs in: the tree of rules.py, one user per role, and in every
position an employee, inspection work, change requests in every state of the flow (made
through the real services and the real task pages), import batches, a delegation and a
finished export.

Built once per test module; every request the matrix makes is rolled back afterwards, so
what one request does cannot change the answer to the next."""

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from viewflow.workflow.status import STATUS

from campaigns import services as campaign_services
from campaigns.models import CampaignEscalation
from inspections.models import FollowUpAction, Inspection, InspectionPlan
from records.export_jobs import running
from records.export_jobs import services as export_services
from records.export_jobs.employees import EMPLOYEE_LIST
from records.models import (
    AccessLog,
    Commendation,
    Discipline,
    Employee,
    EmploymentContract,
    Evaluation,
    ExportJob,
    ExportLog,
    FamilyMember,
    NonCountedPeriod,
    Probation,
    ReadAlert,
    RetirementDecision,
    SalaryHistory,
    SalaryTable,
    Training,
    WorkHistory,
)
from tests.conftest import make_employee, make_user, setup_context
from tests.workflows.conftest import decide, open_task, task_url
from units.models import Position, Role, RoleGrant, StaffingQuota, Unit
from workdays.models import DeclaredDay
from workflows import changesets, imports, policy, services
from workflows.flows import ChangeRequestFlow
from workflows.models import ChangeRequest, ChangeRequestTask, DueTask, Escalation, EscalationRung

from .rules import POSITIONS, ROLES

# Position → (code, name, kind, parent position)
TREE = {
    "parent": ("MX", "Bộ Tài chính", Unit.Kind.MINISTRY, None),
    "own": ("MX.CT", "Cục Thuế", Unit.Kind.AGENCY, "parent"),
    "child": ("MX.CT.KV1", "Chi cục Thuế khu vực I", Unit.Kind.SUB_AGENCY, "own"),
    "sibling": ("MX.KB", "Kho bạc Nhà nước", Unit.Kind.AGENCY, "parent"),
    "other_branch": ("MX.KB.KV1", "Kho bạc Nhà nước khu vực I", Unit.Kind.SUB_AGENCY, "sibling"),
}

# The states a change request is left in, in every position, and which flow nodes then have
# a task: together they give every node of ChangeRequestFlow a task in every position.
REQUEST_STATES = ("applied", "rejected", "returned", "withdrawn", "submitted", "assigned", "import")


@dataclass
class Scenario:
    loader: object
    units: dict  # position → Unit
    users: dict  # role name → User (None for anonymous)
    officers: dict  # position → the officer who proposes there
    approvers: dict  # position → the approver who decides there
    colleagues: dict  # position → a viewer of the unit, the delegate of its approver
    employees: dict = field(default_factory=dict)
    plans: dict = field(default_factory=dict)
    inspections: dict = field(default_factory=dict)
    follow_ups: dict = field(default_factory=dict)
    requests: dict = field(default_factory=dict)  # position → {state: ChangeRequest}
    invalid_batches: dict = field(default_factory=dict)  # position → ImportBatch with errors
    import_batches: dict = field(default_factory=dict)  # position → approved ImportBatch
    delegations: dict = field(default_factory=dict)
    export_jobs: dict = field(default_factory=dict)  # position → its officer's finished export
    campaigns: dict = field(default_factory=dict)  # position → a review campaign of its unit and subtree
    campaign_items: dict = field(default_factory=dict)  # position → its person's item in that campaign
    due_tasks: dict = field(default_factory=dict)  # position → an open salary-step draft of its employee
    grants: dict = field(default_factory=dict)  # position → the officer's RoleGrant
    admin_objects: dict = field(default_factory=dict)  # model label → one row
    policy: object = None
    cookies: dict = field(default_factory=dict)  # role name → session cookies

    def task(self, position, node: str, state: str) -> ChangeRequestTask:
        """The latest task of `node` in the request left in `state` at `position`."""
        change_request = self.requests[position][state]
        task = (
            ChangeRequestTask.objects.filter(process=change_request.process, flow_task=getattr(ChangeRequestFlow, node))
            .order_by("-pk")
            .first()
        )
        assert task is not None, f"no {node} task in the {state} request of {position}"
        return task


def _unit(parent, code, name, kind):
    fields = {"code": code, "name": name, "kind": kind}
    if parent is None:
        return Unit.objects.add_root(fields)
    return Unit.objects.add_child(Unit.objects.get(pk=parent.pk), fields)


def _born(n):
    return datetime.date(1980 + n % 20, 1 + n % 12, 1 + n % 28)


def _cccd(n):
    """A CCCD that encodes sex and birth year as a real one does (the importer checks)."""
    return f"001{0 if n % 2 else 1}{_born(n).year % 100:02d}{n:06d}"


def _import_file(n, *, broken=False) -> SimpleUploadedFile:
    row = {
        "citizen_id": _cccd(n),
        "full_name": f"Người nhập số {n}",
        "date_of_birth": _born(n),
        "sex": "Nam" if n % 2 else "Nữ",
        "rank_code": "01.003",
        "salary_step": 3,
        "salary_coefficient": Decimal("3.00"),
        "employment_status": "Công chức",
    }
    if broken:
        row["date_of_birth"] = "không phải ngày"
    buffer = io.BytesIO()
    imports.build_workbook(rows={Employee: [row]}).save(buffer)
    return SimpleUploadedFile(f"nhap-{n}{'-loi' if broken else ''}.xlsx", buffer.getvalue())


def _propose(unit, officer, employee_pk, text):
    employee = Employee.objects.get(pk=employee_pk)
    return services.submit_change_request(
        kind=ChangeRequest.Kind.EMPLOYEE,
        unit=unit,
        submitted_by=officer,
        operations=[changesets.make_update(employee, {"main_duties": text})],
        reason=f"Ma trận URL: {text}",
        title=str(employee),
        employee=employee,
        subject_model="records.employee",
        subject_pk=employee.pk,
    )


def _expect(response, status, what):
    assert response.status_code == status, f"{what}: {response.status_code} {response.content.decode()[:500]}"


def _requests_for(position, unit, officer, approver, employee, n) -> dict:
    """One request in each state of REQUEST_STATES, driven through the real task pages."""
    client = Client()
    made = {}

    def decided(state, decision, comment=""):
        made[state] = _propose(unit, officer, employee.pk, f"{state} {position}")
        client.force_login(approver)
        _expect(decide(client, made[state], decision, comment), 302, f"{decision} {state} {position}")

    decided("applied", "approve")
    decided("rejected", "reject", "Không đủ căn cứ")
    decided("returned", "return", "Bổ sung căn cứ")
    decided("withdrawn", "return", "Bổ sung căn cứ")
    client.force_login(officer)
    rework = open_task(made["withdrawn"], ChangeRequestFlow.rework)
    _expect(client.post(task_url(rework, "execute"), {"_withdraw": "1"}), 302, f"withdraw {position}")

    made["submitted"] = _propose(unit, officer, employee.pk, f"submitted {position}")
    made["assigned"] = _propose(unit, officer, employee.pk, f"assigned {position}")
    client.force_login(approver)
    approval = open_task(made["assigned"], ChangeRequestFlow.approve)
    _expect(client.post(task_url(approval, "assign")), 302, f"assign {position}")

    batch = imports.create_import_batch(unit=unit, uploaded_by=officer, upload=_import_file(n), reason="Nhập thử")
    imports.validate_import_batch(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.change_request is not None, f"import of {position} not submitted: {batch.status} {batch.errors}"
    made["import"] = batch.change_request
    # Approved: the flow queues the apply task (on commit, which never comes) and waits.
    _expect(decide(client, made["import"], "approve"), 302, f"approve import {position}")
    for change_request in made.values():
        change_request.refresh_from_db()
    assert made["applied"].status == ChangeRequest.Status.APPLIED
    assert made["withdrawn"].status == ChangeRequest.Status.WITHDRAWN
    _record_former_gateways(made)
    return made, batch


def _record_former_gateways(made):
    """Processes recorded before the flow's gateways were folded into its steps have tasks of
    route_decision, check_applied and route_resubmission: their pages still open (the nodes stay
    in the flow, reached by no step now). Such a task, done, in the processes of those states."""
    for node, state in (
        (ChangeRequestFlow.route_decision, "applied"),
        (ChangeRequestFlow.check_applied, "applied"),
        (ChangeRequestFlow.route_resubmission, "withdrawn"),
    ):
        process = made[state].process
        previous = ChangeRequestTask.objects.filter(process=process).order_by("pk").first()
        task = ChangeRequestTask.objects.create(
            process=process,
            flow_task=node,
            flow_task_type=node.task_type,
            status=STATUS.DONE,
            started=timezone.now(),
            finished=timezone.now(),
            token=previous.token,
        )
        task.previous.add(previous)


def build_scenario() -> Scenario:
    User = get_user_model()
    loader = User.objects.create_user(username="matrix_loader", password="Matrix-loader-2026")
    units = {}
    with setup_context(loader):
        for position, (code, name, kind, parent) in TREE.items():
            units[position] = _unit(units.get(parent), code, name, kind)
    units = {position: Unit.objects.get(pk=unit.pk) for position, unit in units.items()}

    users = {}
    for who in ROLES:
        if not who.authenticated:
            users[who.name] = None
        elif who.superuser:
            users[who.name] = User.objects.create_superuser(username="matrix_superuser", password="Matrix-super-2026")
        elif who.role is None:
            users[who.name] = make_user(f"matrix_{who.name}")
        else:
            users[who.name] = make_user(f"matrix_{who.name}", (units[who.at], who.role))

    s = Scenario(
        loader=loader,
        units=units,
        users=users,
        # In "own" the role users act: the officer proposes, the approver decides.
        officers={"own": users["officer"]},
        approvers={"own": users["approver"]},
        colleagues={},
    )
    for position in POSITIONS:
        unit = units[position]
        if position != "own":
            s.officers[position] = make_user(f"canbo_{position}", (unit, Role.OFFICER))
            s.approvers[position] = make_user(f"lanhdao_{position}", (unit, Role.APPROVER))
        s.colleagues[position] = make_user(f"dongnghiep_{position}", (unit, Role.VIEWER))
        s.grants[position] = RoleGrant.objects.get(user=s.officers[position], unit=unit, role=Role.OFFICER)

    for n, position in enumerate(POSITIONS):
        unit = units[position]
        s.employees[position] = make_employee(
            unit, loader, citizen_id=f"0010850007{n:02d}", full_name=f"Cán bộ {TREE[position][1]}"
        )
        with setup_context(loader):
            plan = InspectionPlan.objects.create(unit=unit, year=2025, title=f"Kế hoạch kiểm tra {position}")
            inspection = Inspection.objects.create(
                plan=plan,
                inspected_unit=unit,
                scope="Công tác tổ chức cán bộ",
                start_date=datetime.date(2025, 3, 1),
                team="Trưởng đoàn",
            )
            follow_up = FollowUpAction.objects.create(
                inspection=inspection, description="Khắc phục", deadline=datetime.date(2025, 12, 31)
            )
        s.plans[position], s.inspections[position], s.follow_ups[position] = plan, inspection, follow_up
        s.due_tasks[position] = DueTask.objects.create(
            employee=s.employees[position],
            kind=DueTask.Kind.SALARY_STEP,
            due_date=datetime.date(2026, 3, 14),
            deadline=datetime.date(2026, 3, 14),
            values={"rank_code": "01.003", "salary_step": 4, "salary_coefficient": "3.33", "from_step": 3},
        )

    for n, position in enumerate(POSITIONS):
        unit = units[position]
        s.requests[position], s.import_batches[position] = _requests_for(
            position, unit, s.officers[position], s.approvers[position], s.employees[position], 100 + n
        )
        broken = imports.create_import_batch(
            unit=unit, uploaded_by=s.officers[position], upload=_import_file(200 + n, broken=True), reason="Tệp lỗi"
        )
        imports.validate_import_batch(batch_id=broken.pk)
        broken.refresh_from_db()
        assert broken.errors, f"the broken file of {position} was accepted: {broken.status}"
        s.invalid_batches[position] = broken
        today = timezone.localdate()
        s.delegations[position] = services.create_delegation(
            delegator=s.approvers[position],
            delegate=s.colleagues[position],
            valid_from=today,
            valid_to=today + datetime.timedelta(days=30),
            reason="Đi công tác",
        )

    _export_jobs(s)
    _campaigns(s)
    s.policy = policy.current_policy()
    _admin_objects(s)
    for who in ROLES:
        if who.authenticated:
            client = Client()
            client.force_login(users[who.name])
            s.cookies[who.name] = client.cookies
    return s


def _export_jobs(s: Scenario):
    """In every position, a finished export of the employee list by the unit's officer."""
    for position in POSITIONS:
        job = export_services.start_export(user=s.officers[position], kind=EMPLOYEE_LIST.key, data={})
        running.run_export_job(job_id=job.pk)  # its task is queued on a commit that never comes
        job.refresh_from_db()
        assert job.status == ExportJob.Status.DONE, job.error
        s.export_jobs[position] = job


def _campaigns(s: Scenario):
    """In every position, a running campaign of its unit and subtree, started by the superuser."""
    for position in POSITIONS:
        campaign = campaign_services.start_campaign(
            user=s.users["superuser"],
            title=f"Rà soát {position}",
            unit=s.units[position],
            include_subtree=True,
            deadline=timezone.localdate() + datetime.timedelta(days=30),
        )
        campaign_services.prepare_items(campaign.pk)  # its task is queued on a commit that never comes
        s.campaigns[position] = campaign
        s.campaign_items[position] = campaign.items.get(employee=s.employees[position])


def _with_history(row):
    """A rule row loaded by a data migration, saved once so that it has a history entry."""
    row._change_reason = "Ma trận URL"
    row.save()
    return row


def _admin_objects(s: Scenario):
    """One row of every model the admin shows (the "own" ones where the model has a unit)."""
    from axes.models import AccessAttempt, AccessFailureLog
    from axes.models import AccessLog as AxesAccessLog
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import DemoAccount
    from duedates.models import (
        BeyondLastStep,
        DueItem,
        EndNotice,
        HoldingPeriod,
        LeadTime,
        ProbationLength,
        RefreshRun,
        RetirementAge,
        RetirementOverrideLimit,
        StepExtension,
    )
    from notifications.models import Digest, Notification, NotificationSettings
    from records.services import link_employee_account

    RULE_MODELS = (
        RetirementAge,
        LeadTime,
        HoldingPeriod,
        StepExtension,
        BeyondLastStep,
        RetirementOverrideLimit,
        ProbationLength,
        EndNotice,
    )

    own, employee = s.units["own"], s.employees["own"]
    with setup_context(s.loader):
        rows = {
            "records.employmentcontract": EmploymentContract.objects.create(
                employee=employee,
                kind=EmploymentContract.Kind.FIXED_TERM,
                start_date=datetime.date(2020, 1, 2),
                end_date=datetime.date(2021, 1, 1),
            ),
            "records.probation": Probation.objects.create(
                employee=employee, kind=Probation.Kind.PROBATION, start_date=datetime.date(2019, 3, 1)
            ),
            "records.noncountedperiod": NonCountedPeriod.objects.create(
                employee=employee,
                kind=NonCountedPeriod.Kind.values[0],
                start_date=datetime.date(2020, 3, 2),
                end_date=datetime.date(2020, 4, 30),
            ),
            "records.retirementdecision": RetirementDecision.objects.create(
                employee=employee,
                kind=RetirementDecision.Kind.POSTPONEMENT,
                ground=RetirementDecision.Ground.SERIOUS_ILLNESS,
                months=3,
                legal_basis="Nghị định 170/2025/NĐ-CP, Điều 61 khoản 3 điểm b",
                decision_number="3/QĐ",
                decision_date=datetime.date(2025, 9, 1),
            ),
            "records.workhistory": WorkHistory.objects.create(
                employee=employee, start_date=datetime.date(2010, 9, 1), organisation="Cục Thuế", title="Chuyên viên"
            ),
            "records.salaryhistory": SalaryHistory.objects.create(
                employee=employee,
                effective_date=datetime.date(2019, 1, 1),
                rank_code="01.003",
                salary_step=3,
                salary_coefficient=Decimal("3.00"),
            ),
            "records.training": Training.objects.create(
                employee=employee,
                kind=Training.Kind.COURSE,
                name="Quản lý nhà nước",
                start_date=datetime.date(2015, 1, 1),
            ),
            "records.commendation": Commendation.objects.create(employee=employee, form="Giấy khen", year=2020),
            "records.discipline": Discipline.objects.create(
                employee=employee,
                form=Discipline.Form.REPRIMAND,
                reason="Chậm báo cáo",
                effective_from=datetime.date(2021, 1, 1),
            ),
            "records.evaluation": Evaluation.objects.create(
                employee=employee, year=2024, rating=Evaluation.Rating.GOOD
            ),
            "records.familymember": FamilyMember.objects.create(
                employee=employee, relation="Mẹ", full_name="Nguyễn Thị Mẹ", birth_year=1960
            ),
            "units.staffingquota": StaffingQuota.objects.create(
                unit=own, year=2025, category=StaffingQuota.Category.CIVIL_SERVANT, approved=10
            ),
            "units.position": Position.objects.create(unit=own, name="Chuyên viên", posts=3),
        }
    # A table of our own: the one the migrations load has no history row to open.
    salary_table = SalaryTable.objects.create(
        name="Bảng lương thử", source="Nghị định thử", effective_from=datetime.date(2099, 1, 1)
    )
    submitted = s.requests["own"]["submitted"]
    rows.update(
        {
            "auth.group": Group.objects.create(name="Nhóm thử"),
            "auth.user": s.users["officer"],
            "viewflow.process": submitted.process,
            "viewflow.task": s.task("own", "approve", "submitted"),
            "axes.accessattempt": AccessAttempt.objects.create(
                username="ghost",
                ip_address="10.0.0.9",
                user_agent="test",
                http_accept="*/*",
                path_info="/accounts/login/",
                get_data="",
                post_data="",
                failures_since_start=1,
            ),
            "axes.accesslog": AxesAccessLog.objects.create(
                username="ghost",
                ip_address="10.0.0.9",
                user_agent="test",
                http_accept="*/*",
                path_info="/accounts/login/",
            ),
            "axes.accessfailurelog": AccessFailureLog.objects.create(
                username="ghost",
                ip_address="10.0.0.9",
                user_agent="test",
                http_accept="*/*",
                path_info="/accounts/login/",
            ),
            # A device of an actor, not of a role user: a confirmed device changes what the
            # two-factor pages answer to its owner.
            "accounts.totpdevice": TOTPDevice.objects.create(user=s.approvers["parent"], name="TOTP", confirmed=True),
            "accounts.demoaccount": DemoAccount.objects.create(user=s.approvers["parent"]),
            "records.employee": employee,
            "inspections.inspectionplan": s.plans["own"],
            "inspections.inspection": s.inspections["own"],
            "inspections.followupaction": s.follow_ups["own"],
            "records.salarytable": salary_table,
            "records.accesslog": AccessLog.objects.create(
                user=s.users["viewer"],
                kind=AccessLog.Kind.VIEW,
                employee=employee,
                employee_name=employee.full_name,
                path=f"/records/employees/{employee.pk}/",
            ),
            "records.readalert": ReadAlert.objects.create(
                user=s.users["viewer"],
                hour=timezone.now().replace(minute=0, second=0, microsecond=0),
                triggered_at=timezone.now(),
                read_count=101,
                threshold=100,
            ),
            "records.exportlog": ExportLog.objects.create(
                user=s.users["viewer"], kind=ExportLog.Kind.EMPLOYEE_LIST, description="Danh sách", row_count=1
            ),
            "records.employeeaccount": link_employee_account(
                admin=s.users["superuser"], user=s.users["officer"], employee=employee, reason="Tài khoản thử"
            ),
            "units.unit": own,
            "units.rolegrant": s.grants["own"],
            "workflows.changerequest": submitted,
            "notifications.digest": Digest.objects.create(
                recipient=s.approvers["own"],
                day=timezone.localdate(),
                kind=Digest.Kind.values[0],
                change_request_ids=[submitted.pk],
            ),
            "workdays.declaredday": DeclaredDay.objects.create(
                date=datetime.date(2099, 1, 5), kind=DeclaredDay.Kind.OFF, note="Ngày nghỉ thử"
            ),
            "workflows.escalationrung": EscalationRung.objects.create(
                policy=policy.current_policy(),
                level=policy.Level.UNIT_LEADER,
                step=1,
                after_working_days=5,
                target=EscalationRung.Target.LEADER,
            ),
            "workflows.escalation": Escalation.objects.create(
                change_request=submitted,
                task=s.task("own", "approve", "submitted"),
                level=0,
                unit=submitted.pending_unit,
                step=1,
                target=EscalationRung.Target.LEADER,
                at=timezone.now(),
                reason="Chuyển cấp thử",
            ),
            "notifications.notification": Notification.objects.create(
                recipient=s.approvers["own"], kind="submitted", dedupe_key="url-matrix", params={"id": submitted.pk}
            ),
            "notifications.notificationsettings": NotificationSettings.objects.create(user=s.approvers["own"]),
            "duedates.dueitem": DueItem.objects.create(
                employee=employee,
                kind=DueItem.Kind.values[0],
                due_date=datetime.date(2045, 12, 31),
                rule_version="url-matrix",
                computed_at=timezone.now(),
            ),
            # An item with a history entry: the "own" person's item of the parent's campaign, confirmed.
            "campaigns.campaign": s.campaigns["own"],
            "campaigns.campaignitem": campaign_services.confirm_item(
                user=s.officers["own"], item=s.campaigns["parent"].items.get(employee=s.employees["own"])
            ),
            "campaigns.campaignescalation": CampaignEscalation.objects.create(
                campaign=s.campaigns["own"], unit=s.units["own"], open_items=1, at=timezone.now()
            ),
            "duedates.refreshrun": RefreshRun.objects.create(started_at=timezone.now(), rule_version="url-matrix"),
            # The verified rule rows are loaded by duedates' data migration.
            **{f"duedates.{model._meta.model_name}": _with_history(model.objects.first()) for model in RULE_MODELS},
        }
    )
    s.admin_objects = rows
