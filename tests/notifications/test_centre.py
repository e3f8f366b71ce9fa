"""Notifications written with the request's transitions, the bell, the list, marking read,
preferences and language."""

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notifications import services
from notifications.models import Delivery, Kind, Notification, NotificationSettings
from tests.conftest import make_user
from tests.workflows.conftest import decide, submitted  # noqa: F401 (fixture)
from units.models import Role
from workflows.models import ChangeRequest
from workflows.services import create_delegation, decide_change_request


def kinds_of(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_submission_tells_the_level_approvers_and_their_delegates_only(people, tree, employee_kv1, client):
    deputy = make_user("pho_kv1", (tree["kv1"], Role.VIEWER))
    today = timezone.localdate()
    create_delegation(
        delegator=people["lanhdao_kv1"], delegate=deputy, valid_from=today, valid_to=today, reason="Nghỉ phép"
    )
    from tests.workflows.conftest import propose_step

    client.force_login(people["canbo_kv1"])
    assert propose_step(client, employee_kv1, 4, "3.33").status_code == 302
    notified = set(Notification.objects.values_list("recipient__username", flat=True))
    assert notified == {"lanhdao_kv1", "pho_kv1"}
    note = Notification.objects.get(recipient=people["lanhdao_kv1"])
    assert note.kind == Kind.SUBMITTED and note.read_at is None
    change_request = ChangeRequest.objects.get()
    assert note.target_url == f"/changerequest/{change_request.process_id}/"
    assert note.params["id"] == change_request.pk
    assert client.get(note.target_url).status_code in (200, 302)


def test_return_reject_and_apply_tell_the_submitter(people, submitted, client):  # noqa: F811
    submitter, approver = people["canbo_kv1"], people["lanhdao_kv1"]
    client.force_login(approver)
    assert decide(client, submitted, "return", "Thiếu số quyết định").status_code == 302
    assert kinds_of(submitter) == [Kind.RETURNED]
    returned = Notification.objects.get(recipient=submitter)
    assert returned.params["comment"] == "Thiếu số quyết định"
    # The approver's own "waiting on you" stays; they are not told of their own decision.
    assert kinds_of(approver) == [Kind.SUBMITTED]


def test_final_approval_tells_approved_and_applied(people, submitted):  # noqa: F811
    decide_change_request(change_request=submitted, user=people["lanhdao_kv1"], decision="approve")
    submitted.refresh_from_db()
    assert submitted.status == submitted.Status.APPLIED
    assert kinds_of(people["canbo_kv1"]) == [Kind.APPLIED, Kind.APPROVED]


def test_rejection_tells_the_submitter(people, submitted):  # noqa: F811
    decide_change_request(
        change_request=submitted, user=people["lanhdao_kv1"], decision="reject", comment="Không đúng quy định"
    )
    assert kinds_of(people["canbo_kv1"]) == [Kind.REJECTED]


def test_notification_rolls_back_with_its_transition(people, submitted):  # noqa: F811
    with pytest.raises(RuntimeError), transaction.atomic():
        decide_change_request(change_request=submitted, user=people["lanhdao_kv1"], decision="approve")
        assert kinds_of(people["canbo_kv1"]) == [Kind.APPLIED, Kind.APPROVED]
        raise RuntimeError("the transaction fails after the transition")
    assert kinds_of(people["canbo_kv1"]) == []


def test_the_same_event_twice_is_one_notification(people, db):
    person = people["canbo_kv1"]
    for _ in range(2):
        services.notify([person], kind=Kind.APPLIED, dedupe_key="cr1:applied:x", params={"id": 1, "title": "A"})
    assert Notification.objects.filter(recipient=person).count() == 1


def test_bell_list_and_mark_read(people, submitted, client):  # noqa: F811
    approver = people["lanhdao_kv1"]
    services.notify([approver], kind=Kind.APPLIED, dedupe_key="k2", params={"id": 99, "title": "Hồ sơ B"})
    client.force_login(approver)
    page = client.get(reverse("notifications:index")).content.decode()
    assert 'class="qlcb-bell__count">2<' in page
    assert f"Yêu cầu #{submitted.pk} “{submitted.title}”" in page and "Hồ sơ B" in page
    assert f'href="/changerequest/{submitted.process_id}/"' in page
    # Mark one read: the bell shows 1 at once (the cached figure is renewed), the unread list one row.
    one = Notification.objects.get(recipient=approver, kind=Kind.SUBMITTED)
    assert client.post(reverse("notifications:read"), {"id": one.pk}).status_code == 302
    unread = client.get(reverse("notifications:index") + "?unread=1").content.decode()
    assert 'class="qlcb-bell__count">1<' in unread
    assert "Hồ sơ B" in unread and f"Yêu cầu #{submitted.pk} “" not in unread
    # Mark all read: no figure on the bell. Nobody marks another's notification.
    client.post(reverse("notifications:read"))
    assert "qlcb-bell__count" not in client.get(reverse("notifications:index")).content.decode()
    client.force_login(people["canbo_kv1"])
    mine = services.notify([people["canbo_kv1"]], kind=Kind.APPLIED, dedupe_key="k3", params={})
    assert mine
    client.force_login(approver)
    other = Notification.objects.get(recipient=people["canbo_kv1"], dedupe_key="k3")
    client.post(reverse("notifications:read"), {"id": other.pk})
    assert Notification.objects.get(pk=other.pk).read_at is None


def test_the_bell_costs_no_query_while_nothing_changed(
    people, client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    person = people["canbo_kv1"]
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([person], kind=Kind.APPLIED, dedupe_key="k", params={"id": 1, "title": "A"})
    assert services.unread_count(person) == 1
    with django_assert_num_queries(0):
        assert services.unread_count(person) == 1
    services.mark_read(person)
    assert services.unread_count(person) == 0


def test_new_notifications_raise_the_kept_figure_without_a_count(
    people, django_assert_num_queries, django_capture_on_commit_callbacks
):
    person, other = people["canbo_kv1"], people["canbo_kv2"]
    assert services.unread_count(person) == 0  # counted once, then kept
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notify([person, other], kind=Kind.APPLIED, dedupe_key="a", params={"id": 1, "title": "A"})
        services.notify([person], kind=Kind.APPLIED, dedupe_key="b", params={"id": 2, "title": "B"})
        # written, not yet committed: the page asks the database (and keeps nothing)
        with django_assert_num_queries(1):
            assert services.unread_count(person) == 2
    for callback in callbacks:  # the commit
        callback()
    with django_assert_num_queries(0):
        assert services.unread_count(person) == 2
    assert services.unread_count(other) == 1
    # one already written (same key) and one new: the figure is counted again, right
    services.notify([person], kind=Kind.APPLIED, dedupe_key="a", params={"id": 1, "title": "A"})
    services.notify([person, other], kind=Kind.APPLIED, dedupe_key="a", params={"id": 1, "title": "A"})
    with django_assert_num_queries(1):
        assert services.unread_count(person) == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([person], kind=Kind.APPLIED, dedupe_key="c", params={"id": 3, "title": "C"})
    with django_assert_num_queries(0):
        assert services.unread_count(person) == 3
    services.mark_read(
        person, ids=Notification.objects.filter(recipient=person, dedupe_key="c").values_list("pk", flat=True)
    )
    assert services.unread_count(person) == 2
    assert services.unread_count(person) == Notification.objects.filter(recipient=person, read_at=None).count()


def test_a_rolled_back_notification_leaves_the_figure_right(people, django_assert_num_queries):
    person = people["canbo_kv1"]
    assert services.unread_count(person) == 0
    with pytest.raises(RuntimeError), transaction.atomic():
        services.notify([person], kind=Kind.APPLIED, dedupe_key="x", params={"id": 1, "title": "X"})
        raise RuntimeError
    # the writer's mark stays until it expires: counted (right) meanwhile, never raised
    with django_assert_num_queries(1):
        assert services.unread_count(person) == 0


def test_list_is_keyset_paginated(people, client):
    person = people["canbo_kv1"]
    for n in range(55):
        services.notify([person], kind=Kind.APPLIED, dedupe_key=f"k{n}", params={"id": n, "title": f"T{n}"})
    client.force_login(person)
    first = client.get(reverse("notifications:index")).content.decode()
    assert "cursor=" in first and "“T54”" in first and "“T4”" not in first


def test_preferences_immediate_email_in_english(people, client, django_capture_on_commit_callbacks):
    person = people["canbo_kv1"]
    client.force_login(person)
    data = {"language": "en", **{f"delivery_{k}": Delivery.DAILY for k in Kind.values}}
    data[f"delivery_{Kind.RETURNED}"] = Delivery.IMMEDIATE
    data[f"delivery_{Kind.APPLIED}"] = Delivery.OFF
    response = client.post(reverse("notifications:settings"), data)
    assert response.status_code == 302 and response.cookies["django_language"].value == "en"
    choice = NotificationSettings.objects.get(user=person)
    assert choice.language == "en" and choice.delivery_for(Kind.RETURNED) == Delivery.IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.notify([person], kind=Kind.RETURNED, dedupe_key="r1", params={"id": 5, "title": "X", "comment": "Y"})
        services.notify([person], kind=Kind.APPLIED, dedupe_key="a1", params={"id": 5, "title": "X"})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [person.email] and "Request #5 “X” was returned for rework: Y" in message.body
    assert message.extra_headers["Message-ID"].startswith("<qlcb-notification-")
    # The applied one (off) and the returned one (sent) never go into a digest.
    with django_capture_on_commit_callbacks(execute=True):
        services.sweep_digests()
    assert len(mail.outbox) == 1


def test_digest_combines_every_kind_in_the_recipients_language(people, client, django_capture_on_commit_callbacks):
    person = people["canbo_kv1"]
    NotificationSettings.objects.create(user=person, language="en")
    services.notify([person], kind=Kind.RETURNED, dedupe_key="r", params={"id": 5, "title": "X", "comment": "Y"})
    services.notify([person], kind=Kind.APPLIED, dedupe_key="a", params={"id": 6, "title": "Z"})
    with django_capture_on_commit_callbacks(execute=True):
        services.sweep_digests()
        services.sweep_digests()
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Request #5 “X” was returned for rework: Y" in body and "Request #6 “Z” was written into the file." in body
    html, _ = mail.outbox[0].alternatives[0]
    assert 'lang="en"' in html and "Request #6" in html
    # Notifications of later in the day wait for tomorrow's digest.
    services.notify([person], kind=Kind.APPLIED, dedupe_key="b", params={"id": 7, "title": "W"})
    with django_capture_on_commit_callbacks(execute=True):
        services.sweep_digests()
    assert len(mail.outbox) == 1
    assert Notification.objects.get(dedupe_key="b").digest is None
