"""The overdue-approval sweep and the digest email it sends; the read alert email."""

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from records.audit import READ_WINDOW, list_read_alert_recipients, summarise_reads
from records.models import ReadAlert
from workflows.models import ChangeRequest

from .models import Digest
from .selectors import list_overdue_approvals_by_approver


def queue_overdue_approval_digests(*, now=None) -> list[Digest]:
    """Create today's digest row for each approver with overdue items, and queue its email.

    Running it again the same day creates nothing new: the (recipient, day, kind) row exists.
    """
    from .tasks import send_digest

    now = now or timezone.now()
    day = timezone.localdate(now)
    older_than = timedelta(days=settings.REMINDER_AFTER_DAYS)
    created = []
    for approver, requests in list_overdue_approvals_by_approver(older_than=older_than, now=now).items():
        if not approver.email:
            continue
        try:
            with transaction.atomic():
                digest = Digest.objects.create(
                    recipient=approver,
                    day=day,
                    kind=Digest.Kind.OVERDUE_APPROVALS,
                    change_request_ids=sorted(r.pk for r in requests),
                )
                send_digest.delay_on_commit(digest.pk)
        except IntegrityError:
            continue  # already queued today
        created.append(digest)
    return created


def send_digest_email(*, digest_id: int) -> bool:
    """Send one digest if it has not been sent; returns whether an email went out."""
    with transaction.atomic():
        digest = Digest.objects.select_for_update().select_related("recipient").get(pk=digest_id)
        if digest.sent_at is not None:
            return False
        requests = list(
            ChangeRequest.objects.filter(pk__in=digest.change_request_ids)
            .select_related("unit", "employee", "submitted_by")
            .order_by("submitted_at")
        )
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "recipient": digest.recipient,
                "requests": requests,
                "reminder_after_days": settings.REMINDER_AFTER_DAYS,
                "site_url": settings.SITE_URL,
                "queue_url": f"{settings.SITE_URL}/changerequest/queue/",
                "day": digest.day,
            }
            subject = _("[QLCB] %(count)s yêu cầu đang chờ bạn phê duyệt") % {"count": len(requests)}
            text = render_to_string("notifications/email/overdue_approvals.txt", context)
            html = render_to_string("notifications/email/overdue_approvals.html", context)
        message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [digest.recipient.email])
        message.attach_alternative(html, "text/html")
        message.send()
        digest.sent_at = timezone.now()
        digest.save(update_fields=["sent_at"])
    return True


def send_read_alert_email(*, alert_id: int) -> bool:
    """Tell the reader's unit administrators (or the superusers) that one account read more
    records in an hour than allowed; sent once, returns whether an email went out."""
    with transaction.atomic():
        alert = ReadAlert.objects.select_for_update().select_related("user").get(pk=alert_id)
        if alert.sent_at is not None:
            return False
        recipients = list_read_alert_recipients(user=alert.user)
        if recipients:
            since = alert.triggered_at - READ_WINDOW
            log_url = reverse("records:access-log") + "?" + urlencode({"user": alert.user.get_username()})
            with translation.override(settings.LANGUAGE_CODE):
                context = {
                    "reader": alert.user,
                    "alert": alert,
                    "since": since,
                    "until": alert.triggered_at,
                    "summary": summarise_reads(user=alert.user, since=since, until=alert.triggered_at),
                    "log_url": f"{settings.SITE_URL}{log_url}",
                }
                subject = _("[QLCB] Cảnh báo: tài khoản %(user)s đã đọc %(count)s hồ sơ trong 1 giờ") % {
                    "user": alert.user.get_username(),
                    "count": alert.read_count,
                }
                text = render_to_string("notifications/email/read_alert.txt", context)
                html = render_to_string("notifications/email/read_alert.html", context)
            message = EmailMultiAlternatives(
                subject, text, settings.DEFAULT_FROM_EMAIL, [person.email for person in recipients]
            )
            message.attach_alternative(html, "text/html")
            message.send()
        # No one to tell is recorded too, so the pending-alert sweep does not retry forever.
        alert.recipients = [person.email for person in recipients]
        alert.sent_at = timezone.now()
        alert.save(update_fields=["recipients", "sent_at"])
    return bool(recipients)


def queue_pending_read_alerts(*, older_than=timedelta(minutes=5), now=None) -> list[int]:
    """Queue again the read alerts whose email has not gone out (the broker or the mail
    server was down when they were raised)."""
    from .tasks import send_read_alert

    now = now or timezone.now()
    pending = list(
        ReadAlert.objects.filter(sent_at__isnull=True, triggered_at__lt=now - older_than).values_list("pk", flat=True)
    )
    for alert_id in pending:
        send_read_alert.delay(alert_id)
    return pending
