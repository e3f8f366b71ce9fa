"""Issue 8, part 3: a change request's statuses and transitions are declared once
(workflows.lifecycle), and no other code assigns its status."""

import ast
from pathlib import Path

import pytest
from viewflow.fsm import TransitionNotAllowed

from workflows.lifecycle import ChangeRequestLifecycle
from workflows.models import ChangeRequest

S = ChangeRequest.Status
ROOT = Path(__file__).resolve().parents[2]
APPS = ("config", "notifications", "records", "units", "workflows", "duedates", "campaigns", "inspections")
# Other models' statuses, assigned where their own rules live (an import batch's progress).
# import batches, export jobs, officers' due tasks and review campaigns (their items being made)
# have statuses of their own
OTHER_STATUS_HOLDERS = {"batch", "job", "due_task", "campaign", "process"}  # process: viewflow's row (flows.py ends it)


def _python_files():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


WRITING_CALLS = {"update", "create", "get_or_create", "update_or_create", "ChangeRequest"}


class _StatusWrites(ast.NodeVisitor):
    """Every place a module sets a change request's `status`: an attribute assignment (on
    anything but another model's holder, or `self` outside ChangeRequest), setattr(…, "status",
    …), or a status= keyword where ChangeRequest rows are written (update, create, the constructor)."""

    def __init__(self):
        self.found, self.classes = [], []

    def visit_ClassDef(self, node):
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def _targets(self, node, targets):
        for target in targets:
            for element in target.elts if isinstance(target, ast.Tuple) else [target]:
                if not (isinstance(element, ast.Attribute) and element.attr == "status"):
                    continue
                holder = ast.unparse(element.value).split(".")[-1]
                if holder in OTHER_STATUS_HOLDERS or (holder == "self" and self.classes[-1:] != ["ChangeRequest"]):
                    continue
                self.found.append((node.lineno, ast.unparse(node)))
        self.generic_visit(node)

    def visit_Assign(self, node):
        self._targets(node, node.targets)

    def visit_AugAssign(self, node):
        self._targets(node, [node.target])

    def visit_AnnAssign(self, node):
        self._targets(node, [node.target])

    def visit_Call(self, node):
        func = ast.unparse(node.func)
        name = node.func.attr if isinstance(node.func, ast.Attribute) else func
        if name == "setattr" and any(isinstance(a, ast.Constant) and a.value == "status" for a in node.args):
            self.found.append((node.lineno, ast.unparse(node)))
        elif (
            "ChangeRequest" in _root(node.func)
            and name in WRITING_CALLS
            and any(k.arg == "status" for k in node.keywords)
        ):
            self.found.append((node.lineno, ast.unparse(node)))
        self.generic_visit(node)


def _root(node) -> str:
    """The name a call chain starts from: `ChangeRequest` in ChangeRequest.objects.filter(…).update,
    not a name that only appears in its arguments."""
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return ast.unparse(node)


def _status_writes(path: Path):
    visitor = _StatusWrites()
    visitor.visit(ast.parse(path.read_text()))
    return visitor.found


def test_only_the_lifecycle_assigns_a_change_request_status():
    found = []
    for path in _python_files():
        relative = path.relative_to(ROOT).as_posix()
        for line, text in _status_writes(path):
            if relative != "workflows/lifecycle.py":
                found.append(f"{relative}:{line}: {text}")
    assert not found, "status assigned outside workflows/lifecycle.py:\n" + "\n".join(found)


def test_the_scan_would_see_a_status_assignment(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "change_request.status = 'applied'\n"
        "ChangeRequest.objects.filter(pk=1).update(status='applied')\n"
        "batch.status = 'queued'\n"
        "setattr(change_request, 'status', 'applied')\n"
        "ChangeRequest(status='applied')\n"
        "class ChangeRequest:\n"
        "    def f(self):\n"
        "        self.status = 'applied'\n"
        "class Person:\n"
        "    def f(self):\n"
        "        self.status = 'civil servant'\n"
    )
    assert sorted(line for line, _ in _status_writes(sample)) == [1, 2, 4, 5, 8]


@pytest.mark.parametrize(
    "status, allowed",
    [
        (S.SUBMITTED, {"decide", "withdraw"}),
        (S.RETURNED, {"resubmit", "withdraw"}),
        (S.APPROVED, {"apply", "send_back"}),
        (S.APPLIED, set()),
        (S.REJECTED, set()),
        (S.WITHDRAWN, set()),
    ],
)
def test_transitions_leave_each_status_only_as_declared(status, allowed):
    request = ChangeRequest(status=status, current_level=0)
    lifecycle = ChangeRequestLifecycle(request)
    names = ("decide", "resubmit", "withdraw", "apply", "send_back")
    assert {name for name in names if getattr(lifecycle, name).can_proceed()} == allowed


def test_a_submitted_request_decided_at_a_level_can_no_longer_be_withdrawn():
    lifecycle = ChangeRequestLifecycle(ChangeRequest(status=S.SUBMITTED, current_level=1))
    assert not lifecycle.withdraw.can_proceed()
    with pytest.raises(TransitionNotAllowed):
        lifecycle.withdraw()
    assert lifecycle.change_request.status == S.SUBMITTED


@pytest.mark.django_db
def test_the_database_keeps_pending_since_set_exactly_while_a_request_waits(people, employee_kv1):
    """The queue's order (pending_since) cannot drift from the status: a check constraint."""
    from django.db import IntegrityError, transaction

    from .test_queue_concurrency import _submit

    change_request = _submit(employee_kv1, people["canbo_kv1"], 1)
    assert change_request.pending_since == change_request.submitted_at
    for status, pending_since in ((S.SUBMITTED, None), (S.WITHDRAWN, change_request.submitted_at)):
        with pytest.raises(IntegrityError), transaction.atomic():
            ChangeRequest.objects.filter(pk=change_request.pk).update(status=status, pending_since=pending_since)
