"""Issue 10: the work due items give the officers, as seen by them: retirement deadlines as tasks
marked done with a reference, and notifications of due work (appearing, then approaching) in the
bell, the digest and an immediate email per preference, each once."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from duedates.models import DueItem
from duedates.services import refresh_due_items
from duedates.tasks import refresh_due_dates
from notifications import services
from notifications.due_work import sweep_due_work
from notifications.models import Kind, Notification, NotificationSettings
from records.models.employee import today
from tests.conftest import make_employee
from tests.pages import submit_page
from workflows.models import ChangeRequest, DueTask

D = datetime.date


@pytest.fixture
def retiring(tree, loader):
    """A man of KV1 born in May 1966, his salary step not due for years."""
    return make_employee(
        tree["kv1"],
        loader,
        citizen_id="001066000201",
        full_name="Hoàng Văn Hưu",
        date_of_birth=D(1966, 5, 10),
        salary_effective_date=today() - datetime.timedelta(days=30),
    )


def retirement_of(employee):
    refresh_due_items(as_of=today())
    return DueItem.objects.get(employee=employee, kind=DueItem.Kind.RETIREMENT)


def due_notifications(user):
    return Notification.objects.filter(recipient=user, kind=Kind.DUE_WORK)


def test_a_retirement_gives_its_notice_as_a_task_done_with_a_reference(client, people, retiring):
    item = retirement_of(retiring)
    on = item.notice_deadline - datetime.timedelta(days=10)
    sweep_due_work(on=on)
    task = DueTask.objects.get(employee=retiring)
    assert (task.kind, task.due_date, task.deadline) == (
        DueTask.Kind.RETIREMENT_NOTICE,
        item.due_date,
        item.notice_deadline,
    )
    # The decision deadline (3 months before the moment) is further than the lead time: not yet.
    assert not DueTask.objects.filter(kind=DueTask.Kind.RETIREMENT_DECISION).exists()
    url = reverse("changerequest:due-task", args=[task.pk])
    client.force_login(people["canbo_kv2"])
    assert client.get(url).status_code == 404
    client.force_login(people["canbo_kv1"])
    assert url in client.get(reverse("changerequest:inbox")).content.decode()
    response = client.post(url, {"reference": ""})
    assert "Phải nhập số văn bản đã ban hành." in response.content.decode()
    task.refresh_from_db()
    assert task.status == DueTask.Status.OPEN
    assert client.post(url, {"reference": "12/TB-CCT"}).status_code == 302
    task.refresh_from_db()
    assert (task.status, task.reference, task.closed_by) == (DueTask.Status.DONE, "12/TB-CCT", people["canbo_kv1"])
    assert url not in client.get(reverse("changerequest:inbox")).content.decode()
    # Done stays done: the next sweeps make no new task for the same retirement.
    sweep_due_work(on=on)
    assert DueTask.objects.filter(employee=retiring, kind=DueTask.Kind.RETIREMENT_NOTICE).count() == 1


def test_both_deadlines_are_tasks_once_near(people, retiring):
    item = retirement_of(retiring)
    sweep_due_work(on=item.decision_deadline - datetime.timedelta(days=5))
    kinds = dict(DueTask.objects.filter(employee=retiring).values_list("kind", "deadline"))
    assert kinds == {
        DueTask.Kind.RETIREMENT_NOTICE: item.notice_deadline,
        DueTask.Kind.RETIREMENT_DECISION: item.decision_deadline,
    }


def test_due_work_is_told_when_it_appears_and_when_its_deadline_nears_each_once(people, retiring, settings):
    settings.DUE_REMIND_DAYS = 7
    item = retirement_of(retiring)
    officer = people["canbo_kv1"]
    sweep_due_work(on=item.notice_deadline - datetime.timedelta(days=30))
    sweep_due_work(on=item.notice_deadline - datetime.timedelta(days=30))
    assert list(due_notifications(officer).values_list("params__milestone", flat=True)) == ["new"]
    sweep_due_work(on=item.notice_deadline - datetime.timedelta(days=3))
    sweep_due_work(on=item.notice_deadline - datetime.timedelta(days=2))
    assert sorted(due_notifications(officer).values_list("params__milestone", flat=True)) == ["new", "soon"]
    assert not Notification.objects.filter(kind=Kind.DUE_WORK).exclude(recipient=officer).exists()


def test_due_work_lands_in_the_bell_and_the_digest(client, people, retiring):
    item = retirement_of(retiring)
    sweep_due_work(on=item.notice_deadline - datetime.timedelta(days=30))
    officer = people["canbo_kv1"]
    (notification,) = due_notifications(officer)
    assert services.unread_count(officer) == 1
    client.force_login(officer)
    centre = client.get(reverse("notifications:index")).content.decode()
    assert "Thông báo nghỉ hưu" in centre and "Hoàng Văn Hưu" in centre
    now = timezone.now()
    (digest_id,) = services.create_digests([[officer.pk, []]], day=timezone.localdate(now), now=now)
    email = services.build_digest_email(digest_id)
    assert "Thông báo nghỉ hưu" in email.body and "Hoàng Văn Hưu" in email.body
    assert reverse("changerequest:due-task", args=[notification.target_key.split(":")[1]]) in email.body


def test_an_officer_who_chose_immediate_gets_one_email(people, retiring, django_capture_on_commit_callbacks):
    officer = people["canbo_kv1"]
    NotificationSettings.objects.create(user=officer, deliveries={Kind.DUE_WORK: "immediate"})
    item = retirement_of(retiring)
    with django_capture_on_commit_callbacks(execute=True):
        sweep_due_work(on=item.notice_deadline - datetime.timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=True):
        sweep_due_work(on=item.notice_deadline - datetime.timedelta(days=30))
    assert [m.to for m in mail.outbox] == [[officer.email]]
    assert "Hoàng Văn Hưu" in mail.outbox[0].body


def test_the_nightly_refresh_queues_the_sweep(people, tree, loader, django_capture_on_commit_callbacks):
    make_employee(
        tree["kv1"], loader, citizen_id="001085000301", full_name="Vũ Văn Bậc", salary_effective_date=D(2023, 3, 14)
    )
    with django_capture_on_commit_callbacks(execute=True):
        refresh_due_dates.delay()
    assert DueTask.objects.filter(employee__full_name="Vũ Văn Bậc", kind=DueTask.Kind.SALARY_STEP).exists()
    assert due_notifications(people["canbo_kv1"]).count() == 1


def test_a_request_made_from_a_deadline_task_closes_it(client, people, retiring):
    item = retirement_of(retiring)
    sweep_due_work(on=item.notice_deadline - datetime.timedelta(days=10))
    task = DueTask.objects.get(employee=retiring)
    client.force_login(people["canbo_kv1"])
    page = client.get(reverse("changerequest:due-task", args=[task.pk])).content.decode()
    propose_url = f"{reverse('records:employee-propose', args=[retiring.pk])}?due_task={task.pk}"
    assert propose_url in page
    response = submit_page(client, propose_url, reason="Thông báo nghỉ hưu", fields={"main_duties": "Chờ nghỉ hưu"})
    assert response.status_code == 302, response.content.decode()[:2000]
    change_request = ChangeRequest.objects.get(employee=retiring)
    task.refresh_from_db()
    assert (task.status, task.change_request, task.closed_by) == (
        DueTask.Status.DONE,
        change_request,
        people["canbo_kv1"],
    )
    assert task.reference == f"Yêu cầu #{change_request.pk}"
