"""Reminders ask the queue's rule (workflows.permissions): whoever is reminded of a request
may take it from their queue, and whoever may take an overdue one is reminded."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from notifications.selectors import list_overdue_approvals_by_approver
from tests.conftest import make_user
from tests.notifications.test_digests import two_requests  # noqa: F401 (fixture)
from units.models import Role
from workflows.models import ChangeRequest
from workflows.selectors import list_approvable_change_requests
from workflows.services import create_delegation

OVERDUE = 2  # working days


def _delegate(people, tree, name="pho_kv1"):
    deputy = make_user(name, (tree["kv1"], Role.VIEWER))
    today = timezone.localdate()
    create_delegation(
        delegator=people["lanhdao_kv1"], delegate=deputy, valid_from=today, valid_to=today, reason="Nghỉ phép"
    )
    return deputy


def test_delegate_of_a_disabled_approver_is_not_reminded(people, tree, two_requests):  # noqa: F811
    """The approver's account was disabled while their delegation runs: the delegate may not
    act for them (the queue says so), so is not reminded either."""
    deputy = _delegate(people, tree)
    approver = people["lanhdao_kv1"]
    approver.is_active = False
    approver.save(update_fields=["is_active"])
    overdue = list_overdue_approvals_by_approver(working_days=OVERDUE)
    assert deputy not in overdue and approver not in overdue
    assert not list_approvable_change_requests(user=deputy).exists()


def test_whoever_is_reminded_may_take_the_request_and_the_converse(people, tree, two_requests):  # noqa: F811
    _delegate(people, tree)
    overdue_kv1, fresh_kv1, overdue_kv2 = two_requests
    overdue = list_overdue_approvals_by_approver(working_days=OVERDUE)
    for user in get_user_model().objects.all():
        queue = set(list_approvable_change_requests(user=user).values_list("pk", flat=True))
        reminded = {change_request.pk for change_request in overdue.get(user, [])}
        assert reminded == queue & {overdue_kv1.pk, overdue_kv2.pk}, user.username
    assert {user.username for user in overdue} == {"lanhdao_kv1", "pho_kv1", "lanhdao_kv2"}


def test_an_owner_who_may_no_longer_decide_is_not_reminded(client, people, two_requests):  # noqa: F811
    """A task taken by an approver whose grant was then revoked cannot be executed by them
    (viewflow's can_execute asks the same rule): no reminder promises otherwise."""
    from tests.workflows.conftest import open_task, task_url
    from workflows.flows import ChangeRequestFlow

    overdue_kv1, _, _ = two_requests
    client.force_login(people["lanhdao_kv1"])
    assert client.post(task_url(open_task(overdue_kv1, ChangeRequestFlow.approve), "assign")).status_code == 302
    people["lanhdao_kv1"].role_grants.update(revoked_at=timezone.now())
    overdue = list_overdue_approvals_by_approver(working_days=OVERDUE)
    assert people["lanhdao_kv1"] not in overdue
    assert ChangeRequest.objects.get(pk=overdue_kv1.pk).status == ChangeRequest.Status.SUBMITTED
