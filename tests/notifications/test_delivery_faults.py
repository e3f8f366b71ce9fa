"""The send survives a crash at each of its points: a real SMTP server (aiosmtpd, in this
process, on 127.0.0.1) receives the mail; the process "dies" (an exception no handler of ours
catches, the socket dropped as the kernel would) at one point of the send; the system recovers
by itself (the next hourly sweep, once the dead sender's claim is stale). Counted per recipient:
what the SMTP server accepted."""

import socket
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from notifications import delivery, services
from notifications.models import Delivery, Digest, Kind, Notification, NotificationSettings
from tests.conftest import make_user


class Crash(BaseException):
    """The process dies here: not an Exception, so no handler of ours runs (as with kill -9)."""


class Sink:
    def __init__(self):
        self.messages = []
        self.refuse = 0  # refuse the next N messages at the final dot
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refuse:
                self.refuse -= 1
                return "554 Transaction failed: refused for the test"
            self.messages.append(envelope)
        return "250 OK"

    def per_recipient(self, settle=0.5):
        time.sleep(settle)  # a message whose dot was sent just before the drop is being handled
        with self.lock:
            return Counter(rcpt for m in self.messages for rcpt in m.rcpt_tos)

    def message_ids(self):
        import email

        return [email.message_from_bytes(m.content)["Message-ID"] for m in self.messages]


@pytest.fixture
def smtp(settings):
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    try:
        yield sink
    finally:
        controller.stop()


@pytest.fixture
def recipients(db):
    """Three people, each with a notification of the day waiting for their digest."""
    people = [make_user(f"nguoi_nhan_{n}") for n in range(3)]
    with transaction.atomic():
        for person in people:
            services.notify([person], kind=Kind.APPLIED, dedupe_key="su-kien-1", params={"id": 1, "title": "Nâng bậc"})
    return people


def crash_once_at(monkeypatch, point):
    hits = []

    def checkpoint(name):
        if name == point and not hits:
            hits.append(name)
            raise Crash(name)

    monkeypatch.setattr(delivery, "checkpoint", checkpoint)
    return hits


def recover(settings, django_capture_on_commit_callbacks):
    """What happens by itself later: the dead sender's claim goes stale; the hourly sweep runs."""
    settings.EMAIL_CLAIM_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        services.sweep_digests(now=timezone.now() + timedelta(minutes=6))


# After recovery, how many copies each recipient has: 1 everywhere, but for a death between the
# "sent" mark and the server's receiving the dot (the residual window the README describes): the
# digest is then not sent again (at most once), so it is lost.
DIGEST_POINTS = {"claimed": 1, "data_sent": 1, "marking": 1, "marked": 0, "dot_sent": 1}


@pytest.mark.parametrize("point", list(DIGEST_POINTS))
def test_digest_crash_at_each_point_then_recovery(
    point, monkeypatch, smtp, recipients, settings, django_capture_on_commit_callbacks
):
    hits = crash_once_at(monkeypatch, point)
    with pytest.raises(Crash):
        with django_capture_on_commit_callbacks(execute=True):
            services.sweep_digests()
    assert hits == [point]
    assert Digest.objects.count() == 3  # the rows were made before the first send died

    recover(settings, django_capture_on_commit_callbacks)
    recover(settings, django_capture_on_commit_callbacks)  # again: nothing more goes out

    counts = smtp.per_recipient()
    crashed = Digest.objects.order_by("pk").first().recipient.email
    expected = {p.email: 1 for p in recipients}
    expected[crashed] = DIGEST_POINTS[point]
    assert {p.email: counts[p.email] for p in recipients} == expected
    assert Digest.objects.filter(sent_at__isnull=True).count() == 0
    # One Message-ID per (recipient, day): a copy, were there one, would be the same message.
    assert len(set(smtp.message_ids())) == len(smtp.message_ids())


# Immediate emails are at least once: a death after the mark sends again (same Message-ID).
IMMEDIATE_POINTS = {"claimed": 1, "data_sent": 1, "marking": 1, "marked": 1, "dot_sent": 2}


@pytest.mark.parametrize("point", list(IMMEDIATE_POINTS))
def test_immediate_email_crash_at_each_point_then_recovery(
    point, monkeypatch, smtp, db, settings, django_capture_on_commit_callbacks
):
    person = make_user("nguoi_nhan_ngay")
    NotificationSettings.objects.create(user=person, deliveries={Kind.RETURNED: Delivery.IMMEDIATE})
    crash_once_at(monkeypatch, point)
    with pytest.raises(Crash):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            services.notify([person], kind=Kind.RETURNED, dedupe_key="tra-lai-1", params={"id": 7, "title": "X"})
    recover(settings, django_capture_on_commit_callbacks)
    recover(settings, django_capture_on_commit_callbacks)
    counts = smtp.per_recipient()
    assert counts[person.email] == IMMEDIATE_POINTS[point]
    assert len(set(smtp.message_ids())) == 1
    notification = Notification.objects.get()
    assert notification.email_confirmed_at is not None


def test_refused_at_the_dot_reverts_the_mark_and_the_retry_delivers_once(
    smtp, recipients, settings, django_capture_on_commit_callbacks
):
    from celery.exceptions import Retry

    smtp.refuse = 1
    with pytest.raises(Retry):  # the task asks to be retried later (with backoff)
        with django_capture_on_commit_callbacks(execute=True):
            services.sweep_digests()
    refused = Digest.objects.filter(attempts=1, sent_at__isnull=True)
    assert refused.count() == 1 and "554" in refused.get().last_error  # the mark was reverted
    recover(settings, django_capture_on_commit_callbacks)
    counts = smtp.per_recipient()
    assert {p.email: counts[p.email] for p in recipients} == {p.email: 1 for p in recipients}
    refused = Digest.objects.filter(attempts=2)
    assert refused.count() == 1 and refused.get().confirmed_at is not None


def test_a_sender_whose_claim_was_taken_over_sends_nothing(
    monkeypatch, smtp, recipients, settings, django_capture_on_commit_callbacks
):
    """Sender A stalls after DATA past its claim's life; B takes the row over and sends it; A's
    mark then finds the row no longer its own, and A drops its connection before the dot."""
    with django_capture_on_commit_callbacks(execute=False):
        services.sweep_digests()  # the rows are made; their sends, queued on commit, never run
    digest = Digest.objects.order_by("pk").first()
    outcome = {}

    def checkpoint(name):
        if name == "data_sent" and "b" not in outcome:
            settings.EMAIL_CLAIM_SECONDS = 0  # A's claim is stale now
            outcome["b"] = None
            monkeypatch.setattr(delivery, "checkpoint", lambda name: None)
            outcome["b"] = services.send_digest_email(digest_id=digest.pk)

    monkeypatch.setattr(delivery, "checkpoint", checkpoint)
    outcome["a"] = services.send_digest_email(digest_id=digest.pk)
    assert outcome == {"b": True, "a": False}
    assert smtp.per_recipient()[digest.recipient.email] == 1


def test_two_sweeps_at_once_make_one_digest_each(smtp, recipients, settings, django_capture_on_commit_callbacks):
    """Two beats by mistake: the second sweep finds every row made and queues nothing; a send
    queued twice goes out once (the claim)."""
    with django_capture_on_commit_callbacks(execute=True):
        assert services.sweep_digests() == 3
        assert services.sweep_digests() == 0
    for digest in Digest.objects.all():
        assert services.send_digest_email(digest_id=digest.pk) is False
    counts = smtp.per_recipient()
    assert {p.email: counts[p.email] for p in recipients} == {p.email: 1 for p in recipients}


def test_a_server_hanging_up_before_the_dot_gets_the_message_again(
    monkeypatch, recipients, settings, django_capture_on_commit_callbacks
):
    """The server drops the connection in the middle of DATA (it discards the message): the
    sender sees it before the dot, so the mark is reverted and the send retried; not taken for
    "sent, unconfirmed" (which, for a digest, would never be sent again)."""
    from celery.exceptions import Retry

    from tests.integration.smtp_servers import DroppingServer

    server = DroppingServer("in_data", drops=1)
    server.start()
    # The sender goes on only once the server has hung up (in a worker, the mark's commit is
    # far slower than the server's hang-up; here, in one process, it might not be).
    monkeypatch.setattr(delivery, "checkpoint", lambda name: name == "data_sent" and server.hung_up.wait(5))
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    try:
        with pytest.raises(Retry):
            with django_capture_on_commit_callbacks(execute=True):
                services.sweep_digests()
        dropped = Digest.objects.get(attempts=1, sent_at__isnull=True)
        assert "before the final dot" in dropped.last_error
        recover(settings, django_capture_on_commit_callbacks)
        counts = server.per_recipient()
        assert {p.email: counts[p.email] for p in recipients} == {p.email: 1 for p in recipients}
        assert not Digest.objects.filter(confirmed_at__isnull=True).exists()
    finally:
        server.stop()
