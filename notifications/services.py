"""The overdue-approval sweep and the digest email it sends."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

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
