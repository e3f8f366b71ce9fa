"""The one table of what every URL pattern must answer: EXPECTATIONS[key] is a list of Cases
(checker.py), each naming a rule of rules.py.

A new view gets one line here. Until it has one, tests/test_url_matrix.py fails and names it.
"""

from django.contrib.contenttypes.models import ContentType

from . import rules
from .checker import Case
from .rules import GLOBAL, POSITIONS, answers

GET, POST = "GET", "POST"
GET_POST = (GET, POST)
EVERYWHERE = POSITIONS
NOWHERE = (GLOBAL,)  # a URL about no unit's object: tried once per role


# --- how to reach an object in a position -----------------------------------------------------


def _pk(collection):
    return lambda s, position: {"pk": getattr(s, collection)[position].pk}


employee = _pk("employees")
unit = _pk("units")
plan = _pk("plans")
inspection = _pk("inspections")
import_batch = _pk("invalid_batches")  # a batch with errors, so its error report exists
delegation = _pk("delegations")
export_job = _pk("export_jobs")  # a finished export of the position's officer
campaign = _pk("campaigns")  # a campaign of the position's unit and its subtree
campaign_item = _pk("campaign_items")  # the item of the position's person in that campaign


def unit_as_parent(s, position):
    return {"parent_pk": s.units[position].pk}


def plan_as_parent(s, position):
    return {"parent_pk": s.plans[position].pk}


def unit_filter(s, position):
    return {"unit": s.units[position].pk}


def unit_expanded(s, position):
    """A page of the unit tree showing this unit's children (?parent=)."""
    return {"parent": s.units[position].pk}


def process(state):
    return lambda s, position: {"process_pk": s.requests[position][state].process_id}


def task(node, state):
    def params(s, position):
        found = s.task(position, node, state)
        return {"process_pk": found.process_id, "task_pk": found.pk}

    return params


def foreign_task_params(node, state):
    """A visible process ("own") with a task of another branch in the URL."""

    def params(s, position):
        return {"process_pk": s.requests["own"][state].process_id, "task_pk": s.task("other_branch", node, state).pk}

    return params


def bulk_body(node, state):
    return lambda s, position: {"pk": [s.task(position, node, state).pk], "_confirm": "1"}


def page(rule, params=None, *, positions=None, **options):
    """GET a page, in every position when it is about an object, else once."""
    if positions is None:
        positions = EVERYWHERE if (params or options.get("query")) else NOWHERE
    return Case(rule, (GET,), positions, params, **options)


def form(rule, params=None, *, positions=None, **options):
    """GET a form and POST it (empty unless `data` says otherwise)."""
    if positions is None:
        positions = EVERYWHERE if (params or options.get("query")) else NOWHERE
    return Case(rule, GET_POST, positions, params, **options)


# --- the site's own pages ----------------------------------------------------------------------

SITE = {
    # Accounts and language
    "login": [form(rules.public)],
    "logout": [form(rules.logout_post_only)],
    "password_change": [form(rules.any_signed_in_user)],
    "password_change_done": [page(rules.any_signed_in_user)],
    "password_reset": [form(rules.public)],
    "password_reset_done": [page(rules.public)],
    "password_reset_confirm": [
        page(
            rules.public,
            lambda s, p: {"uidb64": "MQ", "token": "not-a-token"},
            positions=NOWHERE,
            note="an invalid link: the page says so",
        )
    ],
    "password_reset_complete": [page(rules.public)],
    "otp-verify": [page(rules.otp_verify)],
    "otp-enrol": [page(rules.any_signed_in_user)],
    "set_language": [form(rules.public_redirect, data=lambda s, p: {"language": "vi", "next": "/"})],
    "index": [page(rules.public_redirect)],
    # The search box of the top bar (home.search_views): each group scoped by its own decision
    "search": [
        page(rules.any_signed_in_user),
        page(rules.any_signed_in_user, query=lambda s, p: {"q": "nguyen"}, positions=NOWHERE),
        page(rules.any_signed_in_user, query=lambda s, p: {"q": "cuc", "group": "units"}, positions=NOWHERE),
        page(rules.any_signed_in_user, query=lambda s, p: {"q": "#1", "group": "requests"}, positions=NOWHERE),
    ],
    # Each user's home page (home), where "/" lands: every signed-in user, grant or not.
    "home:index": [page(rules.any_signed_in_user)],
    # Records
    "records:index": [page(rules.any_signed_in_user)],
    "records:employee-list": [
        # a POST saves or deletes one of the user's own saved filters, then back to the list
        form(rules.any_signed_in_user),
        page(rules.any_signed_in_user, query=lambda s, p: {**unit_filter(s, p), "sex": "female", "sort": "-birth"}),
    ],
    "records:employee-detail": [page(rules.read, employee)],
    "records:employee-history": [page(rules.read, employee)],
    "records:employee-asof": [page(rules.read, employee)],
    "records:employee-compare": [page(rules.read, employee)],
    "records:employee-form-2c": [page(rules.read, employee)],
    "records:employee-export": [
        Case(rules.export_start, GET_POST, NOWHERE),
        Case(rules.export_start, (POST,), EVERYWHERE, data=unit_filter),
    ],
    "records:export-list": [page(rules.export_files)],
    "records:export-detail": [page(rules.own_export_job, export_job)],
    "records:export-status": [page(rules.own_export_job, export_job)],
    "records:export-download": [page(rules.own_export_job, export_job)],
    "records:employee-propose": [form(rules.write, employee)],
    "records:employee-transfer": [form(rules.write, employee)],
    "records:employee-new": [form(rules.write, unit_as_parent)],
    "records:import-list": [page(rules.any_signed_in_user)],
    "records:import-new": [form(rules.officer_anywhere)],
    "records:import-template": [page(rules.any_signed_in_user), page(rules.read, query=unit_filter)],
    "records:import-detail": [page(rules.read, import_batch)],
    "records:import-status": [page(rules.read, import_batch)],
    "records:import-errors": [page(rules.read, import_batch)],
    "records:access-log": [page(rules.inspectors_only)],
    # Organisation and inspection work
    "units:index": [page(rules.any_signed_in_user)],
    "units:unit-list": [page(rules.any_signed_in_user), page(rules.read, query=unit_expanded)],
    "units:unit-detail": [page(rules.read, unit)],
    "units:unit-history": [page(rules.read, unit)],
    "units:unit-asof": [page(rules.read, unit)],
    "units:unit-compare": [page(rules.read, unit)],
    "units:unit-propose": [form(rules.write, unit)],
    "units:unit-new": [form(rules.write, unit_as_parent)],  # a new unit under this one
    "units:quota-report": [page(rules.report), page(rules.report, query=unit_expanded)],
    "units:quota-report-xlsx": [page(rules.report), page(rules.report, query=unit_filter)],
    "inspections:index": [page(rules.any_signed_in_user)],
    "inspections:plan-list": [page(rules.any_signed_in_user)],
    "inspections:plan-new": [form(rules.write, unit_as_parent)],
    "inspections:plan-detail": [page(rules.read, plan)],
    "inspections:plan-history": [page(rules.read, plan)],
    "inspections:plan-propose": [form(rules.write, plan)],
    "inspections:inspection-new": [form(rules.write, plan_as_parent)],
    "inspections:inspection-propose": [form(rules.write, inspection)],
    # Role grants, administered below one's unit
    "units:grant-list": [page(rules.grant_admins)],
    "units:grant-new": [form(rules.grant_admins)],
    "units:grant-history": [page(rules.grant_admins)],
    "units:grant-revoke": [form(rules.grant_revoke, _pk("grants"))],
    # Approval policy and delegations
    "policy:index": [page(rules.grant_or_superuser)],
    "policy:version": [page(rules.grant_or_superuser, lambda s, p: {"pk": s.policy.pk}, positions=NOWHERE)],
    "policy:edit": [form(rules.ministry_admin_only)],
    "delegations:index": [form(rules.approvers_only)],
    "delegations:revoke": [form(rules.own_delegation_post, delegation)],
    # The due lists (duedates)
    "duedates:index": [page(rules.due_lists)],
    "duedates:due-list": [page(rules.due_lists)],
    "duedates:due-person": [page(rules.due_person, employee)],
    "duedates:due-export": [form(rules.due_export)],
    # The inspectors' timeline (oversight)
    "oversight:index": [page(rules.timeline_readers)],
    "oversight:timeline": [page(rules.timeline_readers)],
    "oversight:timeline-export": [form(rules.timeline_export)],
    "oversight:timeline-pdf": [form(rules.timeline_export)],
    "oversight:anomalies": [page(rules.inspectors_only)],
    "oversight:anomaly-signal": [page(rules.inspectors_only, lambda s, p: {"signal": "reads"}, positions=NOWHERE)],
    # Review campaigns
    "campaigns:index": [page(rules.grant_or_superuser)],
    "campaigns:start": [form(rules.grant_admins)],
    "campaigns:detail": [page(rules.campaign_read, campaign)],
    "campaigns:progress-xlsx": [page(rules.campaign_read, campaign)],
    "campaigns:close": [form(rules.campaign_close, campaign)],
    "campaigns:status": [page(rules.campaign_read, campaign)],
    "campaigns:retry": [form(rules.campaign_retry, campaign)],
    "campaigns:items-confirm": [form(rules.campaign_bulk_confirm, campaign)],
    "campaigns:items": [page(rules.officer_anywhere)],
    "campaigns:item-confirm": [form(rules.campaign_confirm, campaign_item)],
    # The notification centre: one's own notifications and preferences
    "notifications:index": [page(rules.any_signed_in_user)],
    "notifications:read": [form(rules.signed_in_post_only)],
    "notifications:settings": [form(rules.any_signed_in_user)],
    # The workflow app: lists and processes
    "changerequest:index": [page(rules.flow_list)],
    "changerequest:process_list": [page(rules.flow_list)],
    "changerequest:task_list": [page(rules.flow_list)],
    "changerequest:inbox": [page(rules.flow_list)],
    "changerequest:queue": [page(rules.flow_list)],
    "changerequest:archive": [page(rules.flow_list)],
    "changerequest:chart": [page(rules.flow_list)],
    "changerequest:process_detail": [page(rules.flow_read, process("submitted"))],
    "changerequest:process_chart": [page(rules.flow_read, process("submitted"))],
    "changerequest:process_cancel": [form(rules.flow_manage, process("submitted"))],
    "changerequest:withdraw": [form(rules.flow_withdraw, process("submitted"))],
    # A pre-filled draft or a deadline that a due item gives the officers (workflows.due_work)
    "changerequest:due-task": [form(rules.flow_due_task, _pk("due_tasks"))],
    "changerequest:tasks_assign": [
        page(rules.flow_bulk),
        Case(rules.flow_bulk, (POST,), EVERYWHERE, data=bulk_body("approve", "submitted")),
    ],
    "changerequest:tasks_unassign": [
        page(rules.flow_bulk),
        Case(rules.flow_bulk, (POST,), EVERYWHERE, data=bulk_body("approve", "assigned")),
    ],
}


# --- the workflow's nodes: one entry per node, one rule per action ------------------------------

_TASK_PAGES = {"index": rules.flow_task_index, "detail": rules.flow_read}
_MANAGE = {"undo": rules.flow_manage, "cancel": rules.flow_manage, "revive": rules.flow_manage}

# node → (the request state whose process holds the node's task, {action: rule or (rule, state)})
FLOW_NODES = {
    "submit": ("submitted", {**_TASK_PAGES, "undo": rules.flow_manage}),
    "approve": (
        "submitted",
        {
            **_TASK_PAGES,
            **_MANAGE,
            "assign": rules.flow_assign,  # the unassigned task of a submitted request
            "unassign": (rules.flow_unassign, "assigned"),  # the task its approver took
            "execute": (rules.flow_execute_approval, "assigned"),
        },
    ),
    "route_decision": ("applied", {**_TASK_PAGES, **_MANAGE}),
    "apply": ("applied", {**_TASK_PAGES, **_MANAGE}),
    "check_applied": ("applied", {**_TASK_PAGES, **_MANAGE}),
    "end": ("applied", {**_TASK_PAGES, "undo": rules.flow_manage, "revive": rules.flow_manage}),
    "rework": (
        "returned",
        {
            **_TASK_PAGES,
            **_MANAGE,
            "assign": rules.flow_no_assign,
            "unassign": rules.flow_unassign_rework,
            "execute": rules.flow_execute_rework,
        },
    ),
    "route_resubmission": ("withdrawn", {**_TASK_PAGES, **_MANAGE}),
    "withdrawn": ("withdrawn", {**_TASK_PAGES, "undo": rules.flow_manage, "revive": rules.flow_manage}),
    "rejected": ("rejected", {**_TASK_PAGES, "undo": rules.flow_manage, "revive": rules.flow_manage}),
    "queue_import": ("import", {**_TASK_PAGES, **_MANAGE}),
    "wait_import": ("import", {**_TASK_PAGES, **_MANAGE}),
}


def _flow_node_expectations():
    table = {}
    for node, (state, actions) in FLOW_NODES.items():
        for action, rule in actions.items():
            rule, where = rule if isinstance(rule, tuple) else (rule, state)
            reading = action in ("index", "detail")
            table[f"changerequest:{node}:{action}"] = [
                (page if reading else form)(rule, task(node, where)),
                Case(
                    rules.foreign_task(rule),
                    (GET,) if reading else (POST,),
                    (rules.FOREIGN_TASK,),
                    foreign_task_params(node, where),
                ),
            ]
    return table


# --- the Django admin -------------------------------------------------------------------------

A = answers
SUPERUSER_OK = rules.admin(rules.OK)
# model label → what the superuser may do there. "history": django-simple-history's page of
# one historical version. The project's records are read-only in the admin (README).
READ_ONLY = {"add": False, "change": False, "delete": False}
WRITABLE = {"add": True, "change": True, "delete": True}
ADMIN_MODELS = {
    "auth.group": WRITABLE,
    "auth.user": {**WRITABLE, "extra": ("password_change",)},
    "viewflow.process": {"add": False, "change": True, "delete": True},
    "viewflow.task": {"add": False, "change": True, "delete": True},
    "axes.accessattempt": {"add": False, "change": True, "delete": True},  # deleting one lifts a lockout
    "axes.accesslog": {"add": False, "change": True, "delete": True},
    "axes.accessfailurelog": {"add": False, "change": True, "delete": True},
    # A lost phone: delete the device. django_otp's admin names its extra views after its own
    # model, which accounts.models.TOTPDevice (a proxy, for a Vietnamese name) lists.
    "accounts.totpdevice": {**WRITABLE, "extra": ("config", "qrcode"), "extra_prefix": "admin:otp_totp_totpdevice"},
    "accounts.demoaccount": WRITABLE,  # an administrator marks or unmarks a demo account
    "records.employee": {**READ_ONLY, "history": True},
    "records.workhistory": {**READ_ONLY, "history": True},
    "records.salaryhistory": {**READ_ONLY, "history": True},
    "records.training": {**READ_ONLY, "history": True},
    "records.commendation": {**READ_ONLY, "history": True},
    "records.discipline": {**READ_ONLY, "history": True},
    "records.evaluation": {**READ_ONLY, "history": True},
    "records.familymember": {**READ_ONLY, "history": True},
    "inspections.inspectionplan": {**READ_ONLY, "history": True},
    "inspections.inspection": {**READ_ONLY, "history": True},
    "inspections.followupaction": {**READ_ONLY, "history": True},
    "records.salarytable": {**WRITABLE, "history": True},  # reference data kept by administrators
    "records.exportlog": READ_ONLY,  # logs are evidence: nobody edits or deletes them
    "records.accesslog": READ_ONLY,
    "records.readalert": READ_ONLY,
    "records.employeeaccount": {**WRITABLE, "history": True},  # an administrator links an account to its person
    "units.unit": {**READ_ONLY, "history": True},
    "units.staffingquota": {**READ_ONLY, "history": True},
    "units.position": {**READ_ONLY, "history": True},
    "units.rolegrant": {**READ_ONLY, "history": True},  # granted and revoked on /units/grants/, with a reason
    "workflows.changerequest": {**READ_ONLY, "history": True},
    "notifications.digest": {"add": False, "change": True, "delete": True},
    "workdays.declaredday": WRITABLE,  # days off and make-up working days an administrator declares
    "workflows.escalationrung": WRITABLE,  # the escalation ladders of the approval policy
    "workflows.escalation": READ_ONLY,  # written by the sweep only
    "notifications.notification": {"add": False, "change": False, "delete": True},
    "notifications.notificationsettings": WRITABLE,
    "records.noncountedperiod": {**READ_ONLY, "history": True},
    "records.retirementdecision": {**READ_ONLY, "history": True},
    "records.employmentcontract": {**READ_ONLY, "history": True},
    "records.probation": {**READ_ONLY, "history": True},
    # The due engine's rules: rows with sources, kept by superusers (duedates.admin.RuleAdmin).
    "duedates.retirementage": {**WRITABLE, "history": True},
    "duedates.leadtime": {**WRITABLE, "history": True},
    "duedates.holdingperiod": {**WRITABLE, "history": True},
    "duedates.stepextension": {**WRITABLE, "history": True},
    "duedates.beyondlaststep": {**WRITABLE, "history": True},
    "duedates.retirementoverridelimit": {**WRITABLE, "history": True},
    "duedates.probationlength": {**WRITABLE, "history": True},
    "duedates.endnotice": {**WRITABLE, "history": True},
    "duedates.dueitem": READ_ONLY,  # computed by the refresh only
    # Review campaigns: started, confirmed and closed on their pages (campaigns.permissions).
    "campaigns.campaign": {**READ_ONLY, "history": True},
    "campaigns.campaignitem": {**READ_ONLY, "history": True},
    "campaigns.campaignescalation": READ_ONLY,
    "duedates.refreshrun": READ_ONLY,
}


def _admin_object(label):
    return lambda s, position: s.admin_objects[label]


def _admin_model_expectations():
    table = {}
    for label, can in ADMIN_MODELS.items():
        app, model = label.split(".")
        prefix = f"admin:{app}_{model}"
        obj = _admin_object(label)

        def pk(s, p, obj=obj):
            return {"object_id": obj(s, p).pk}

        def allowed(flag):
            return rules.admin(rules.OK if flag else rules.DENIED)

        table[f"{prefix}_changelist"] = [page(SUPERUSER_OK, positions=NOWHERE)]
        table[f"{prefix}_add"] = [form(allowed(can["add"]), positions=NOWHERE)]
        table[f"{prefix}_change"] = [
            form(rules.admin(rules.OK, post=A(200, 302) if can["change"] else rules.DENIED), pk, positions=NOWHERE)
        ]
        table[f"{prefix}_delete"] = [form(allowed(can["delete"]), pk, positions=NOWHERE)]
        table[f"{prefix}_history"] = [page(SUPERUSER_OK, pk, positions=NOWHERE)]
        # The bare object URL only redirects to its change page.
        table[f"admin/{app}/{model}/<path:object_id>/"] = [
            page(
                rules.admin(rules.REDIRECT),
                lambda s, p, obj=obj, app=app, model=model: f"/admin/{app}/{model}/{obj(s, p).pk}/",
                positions=NOWHERE,
            )
        ]
        if can.get("history"):

            def version(s, p, obj=obj):
                row = obj(s, p)
                return (row.pk, row.history.order_by("history_id").first().history_id)

            # Viewing an old version is reading; posting it back would revert the row outside
            # a change request, so for a read-only model the POST must be refused.
            table[f"{prefix}_simple_history"] = [
                form(
                    rules.admin(rules.OK, post=A(200, 302) if can["change"] else rules.DENIED),
                    version,
                    positions=NOWHERE,
                )
            ]
        for extra in can.get("extra", ()):
            key = f"{can.get('extra_prefix', prefix)}_{extra}"
            if extra == "password_change":
                table[key] = [form(SUPERUSER_OK, lambda s, p, obj=obj: {"id": obj(s, p).pk}, positions=NOWHERE)]
            else:
                table[key] = [page(SUPERUSER_OK, lambda s, p, obj=obj: {"pk": obj(s, p).pk}, positions=NOWHERE)]
    return table


def _view_on_site(s, position):
    from units.models import Unit

    return {"content_type_id": ContentType.objects.get_for_model(Unit).pk, "object_id": s.units["own"].pk}


ADMIN = {
    "admin:index": [page(SUPERUSER_OK)],
    "admin:login": [page(rules.admin_login_page)],
    "admin:logout": [form(rules.admin_logout)],
    "admin:password_change": [form(SUPERUSER_OK)],
    "admin:password_change_done": [page(SUPERUSER_OK)],
    "admin:jsi18n": [page(SUPERUSER_OK)],
    # Django answers any query whose target admin (units.unit) has search_fields.
    "admin:autocomplete": [
        page(
            SUPERUSER_OK,
            query=lambda s, p: {"app_label": "units", "model_name": "rolegrant", "field_name": "unit"},
            positions=NOWHERE,
        )
    ],
    "admin:app_list": [page(SUPERUSER_OK, lambda s, p: {"app_label": "records"}, positions=NOWHERE)],
    "admin:view_on_site": [
        page(rules.admin(rules.NOT_FOUND), _view_on_site, positions=NOWHERE, note="no model has get_absolute_url")
    ],
    "admin/(?P<url>.*)$": [page(rules.admin(rules.NOT_FOUND), lambda s, p: "/admin/no-such-page/", positions=NOWHERE)],
    **_admin_model_expectations(),
}

EXPECTATIONS = {**SITE, **_flow_node_expectations(), **ADMIN}
