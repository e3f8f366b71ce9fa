"""Notifications written with their events, the daily digest sweep and the emails it sends; the
read alert email."""

from collections import Counter
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from campaigns.selectors import describe_campaigns, open_items_by_officer
from records.audit import READ_WINDOW, list_read_alert_recipients, summarise_reads
from records.models import ReadAlert
from tracking.generations import Generational
from workflows.models import ChangeRequest

from . import bell, delivery
from .models import Delivery, Digest, Kind, Notification, NotificationSettings
from .selectors import list_overdue_approvals_by_approver
from .texts import describe


def unread_count(user) -> int:
    """The bell's figure: kept in the cache, raised by the notifications written, counted again
    after some are marked read (notifications.bell)."""
    return bell.unread_figure(
        user.pk, lambda: Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()
    )


def settings_for(ids) -> dict:
    """{user id: NotificationSettings} (unsaved defaults for those who chose nothing)."""
    ids = list(ids)
    found = {s.user_id: s for s in NotificationSettings.objects.filter(user_id__in=ids)}
    return {pk: found.get(pk) or NotificationSettings(user_id=pk, language=settings.LANGUAGE_CODE) for pk in ids}


# Each user's choices, read by every transition that tells them something (notify_all), changed
# when they save their settings: kept in the cache, renewed by any save or delete of their row
# (wired in NotificationsConfig.ready) and by language.remember (an update, without a signal).
kept_settings = Generational("notification-settings", ttl=3600)


def renew_settings(sender, instance, **kwargs) -> None:
    kept_settings.renew([instance.user_id])


def cached_settings_for(ids) -> dict:
    """settings_for, from the cache for those whose row has not changed since it was read."""
    return kept_settings.get_many(ids, settings_for)


def notify(recipients, *, kind: str, dedupe_key: str, params: dict, target_url: str = "", target_key: str = ""):
    """Write one notification per recipient in the caller's transaction; one already written
    with the same key for a recipient is left as it is. Immediate emails are queued on commit."""
    return notify_all(
        [
            {
                "recipients": recipients,
                "kind": kind,
                "dedupe_key": dedupe_key,
                "params": params,
                "target_url": target_url,
                "target_key": target_key,
            }
        ]
    )


def notify_all(messages) -> list:
    """notify() for several messages at once (the events of one transition): one query for the
    recipients' preferences, one insert."""
    from .tasks import send_notification_email

    messages = [{**m, "recipients": [r for r in m["recipients"] if r is not None]} for m in messages]
    messages = [m for m in messages if m["recipients"]]
    if not messages:
        return []
    choices = cached_settings_for({person.pk for m in messages for person in m["recipients"]})
    rows = [
        Notification(
            recipient=person,
            kind=m["kind"],
            target_url=m.get("target_url", ""),
            target_key=m.get("target_key", ""),
            params=m["params"],
            dedupe_key=m["dedupe_key"][:150],
            delivery=choices[person.pk].delivery_for(m["kind"]) if person.email else Delivery.OFF,
        )
        for m in messages
        for person in m["recipients"]
    ]
    inserted = []  # rows the INSERT wrote (one already written with the same key is not)

    def count_inserted(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        inserted.append(context["cursor"].rowcount)
        return result

    with connection.execute_wrapper(count_inserted):
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if sum(inserted) == len(rows):
        bell.notifications_added(Counter(row.recipient_id for row in rows))
    else:  # some were there already: which ones, only a query would say
        bell.forget_figures({row.recipient_id for row in rows})
    immediate = [r for r in rows if r.delivery == Delivery.IMMEDIATE]
    if immediate:
        wanted = {(r.recipient_id, r.dedupe_key) for r in immediate}
        for pk, recipient_id, key in Notification.objects.filter(
            recipient_id__in={r.recipient_id for r in immediate},
            dedupe_key__in={r.dedupe_key for r in immediate},
            email_claimed_at__isnull=True,
        ).values_list("pk", "recipient_id", "dedupe_key"):
            if (recipient_id, key) in wanted:
                send_notification_email.delay_on_commit(pk)
    return rows


def mark_read(user, ids=None) -> int:
    """Mark the user's notifications read (all unread ones when `ids` is None)."""
    unread = Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    count = unread.update(read_at=timezone.now())
    if count:
        bell.forget_figures([user.pk])
    return count


def change_request_url(change_request) -> str:
    return f"/changerequest/{change_request.process_id}/" if change_request.process_id else ""


# --- the daily digest ---------------------------------------------------------------------------


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def sweep_digests(*, now=None) -> int:
    """The hourly sweep (beat): queue again every email whose sender died, then, from
    DIGEST_HOUR on, fan out the creation of today's missing digests in chunks. Each step is safe
    to repeat and to run twice at once (unique keys and claims): a sweep that dies is resumed by
    the next one. Returns how many recipients were queued for a digest."""
    from .tasks import create_digests

    now = now or timezone.now()
    requeue_unsent(now=now)
    if timezone.localtime(now).hour < settings.DIGEST_HOUR:
        return 0
    day = timezone.localdate(now)
    by_approver = list_overdue_approvals_by_approver(working_days=settings.REMINDER_AFTER_DAYS, now=now)
    overdue = {person.pk: sorted(r.pk for r in requests) for person, requests in by_approver.items() if person.email}
    waiting = Notification.objects.filter(
        delivery=Delivery.DAILY, digest__isnull=True, recipient__is_active=True, created_at__lte=now
    ).exclude(recipient__email="")
    # Review campaigns: every officer holding open items (campaigns.selectors), with an email.
    reviews = open_items_by_officer()
    if reviews:
        with_email = get_user_model().objects.filter(pk__in=list(reviews)).exclude(email="")
        reviews = {pk: reviews[pk] for pk in with_email.values_list("pk", flat=True)}
    recipients = set(overdue) | set(waiting.order_by().values_list("recipient_id", flat=True).distinct()) | set(reviews)
    done = set(Digest.objects.filter(day=day, recipient_id__in=recipients).values_list("recipient_id", flat=True))
    todo = sorted(recipients - done)
    for chunk in _chunks(todo, settings.DIGEST_CHUNK):
        items = [[pk, overdue.get(pk, []), reviews.get(pk, [])] for pk in chunk]
        create_digests.delay(items, day.isoformat(), now.isoformat())
    return len(todo)


def create_digests(items, *, day, now) -> list[int]:
    """Today's digest row for each (recipient id, overdue request ids) not yet having one, with
    the daily notifications written up to `now` attached to it, its email queued on commit.
    A row that exists already is left alone (its email was queued when it was made)."""
    from .tasks import send_digest

    created = []
    choices = settings_for(item[0] for item in items)
    for recipient_id, request_ids, *rest in items:  # rest: campaign items (chunks queued before them have none)
        reviews = rest[0] if rest else []
        if choices[recipient_id].delivery_for(Kind.OVERDUE_APPROVALS) == Delivery.OFF:
            request_ids = []
        if choices[recipient_id].delivery_for(Kind.CAMPAIGN_ITEMS) == Delivery.OFF:
            reviews = []
        try:
            with transaction.atomic():
                digest = Digest.objects.create(
                    recipient_id=recipient_id,
                    day=day,
                    kind=Digest.Kind.DAILY,
                    change_request_ids=request_ids,
                    campaign_items=reviews,
                )
                attached = Notification.objects.filter(
                    recipient_id=recipient_id, delivery=Delivery.DAILY, digest__isnull=True, created_at__lte=now
                ).update(digest=digest)
                if not attached and not request_ids and not reviews:
                    raise _Empty()
                send_digest.delay_on_commit(digest.pk)
        except (IntegrityError, _Empty):
            continue  # made already (another sweep, a redelivered chunk), or nothing to say
        created.append(digest.pk)
    return created


class _Empty(Exception):
    """Rolls back the row just made for a digest that would have nothing to say."""


def requeue_unsent(*, now=None) -> dict:
    """Queue again the digests of the last DIGEST_RETRY_DAYS days and the immediate emails
    not sent, unclaimed or whose claim went stale (their sender died); and the immediate emails
    marked but never confirmed (at least once: sent again, same Message-ID)."""
    from .tasks import send_digest, send_notification_email

    now = now or timezone.now()
    stale = now - timedelta(seconds=delivery.claim_seconds())
    quiet = now - timedelta(minutes=5)  # an email queued at commit a moment ago is not lost
    digests = list(
        Digest.objects.filter(
            sent_at__isnull=True, day__gte=timezone.localdate(now) - timedelta(days=settings.DIGEST_RETRY_DAYS)
        )
        .filter(Q(claimed_at__isnull=True, created_at__lt=quiet) | Q(claimed_at__lt=stale))
        .values_list("pk", flat=True)
    )
    emails = list(
        Notification.objects.filter(
            delivery=Delivery.IMMEDIATE,
            email_confirmed_at__isnull=True,
            created_at__gte=now - timedelta(days=settings.DIGEST_RETRY_DAYS),
        )
        .filter(Q(email_claimed_at__isnull=True, created_at__lt=quiet) | Q(email_claimed_at__lt=stale))
        .values_list("pk", flat=True)
    )
    for pk in digests:
        send_digest.delay(pk)
    for pk in emails:
        send_notification_email.delay(pk)
    return {"digests": digests, "emails": emails}


def queue_overdue_approval_digests(*, now=None) -> int:
    """The sweep under its former name (the digest now carries every kind)."""
    return sweep_digests(now=now)


def _email(*, subject, template, context, to, language, message_id):
    with translation.override(language):
        context = {**context, "LANGUAGE_CODE": language, "site_url": settings.SITE_URL}
        subject = subject()
        text = render_to_string(f"notifications/email/{template}.txt", context)
        html = render_to_string(f"notifications/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, [to], headers={"Message-ID": message_id}
    )
    message.attach_alternative(html, "text/html")
    return message


def _items(notifications):
    return [
        {"text": describe(n), "url": f"{settings.SITE_URL}{n.target_url}" if n.target_url else "", "n": n}
        for n in notifications
    ]


def build_digest_email(digest_id: int):
    digest = Digest.objects.select_related("recipient").get(pk=digest_id)
    recipient = digest.recipient
    if not recipient.email or not recipient.is_active:
        return None
    language = settings_for([recipient.pk])[recipient.pk].language
    requests = list(
        ChangeRequest.objects.filter(pk__in=digest.change_request_ids)
        .select_related("unit", "employee", "submitted_by")
        .order_by("submitted_at", "pk")
    )
    notifications = list(digest.notifications.order_by("created_at", "pk"))
    campaigns = describe_campaigns(c for c, _n in digest.campaign_items)
    reviews = [
        {"campaign": campaigns[c], "count": n, "url": f"{settings.SITE_URL}{reverse('campaigns:items')}?campaign={c}"}
        for c, n in digest.campaign_items
        if c in campaigns
    ]
    with translation.override(language):
        items = _items(notifications)
    count = len(requests) + len(notifications) + sum(r["count"] for r in reviews)
    return _email(
        subject=lambda: (
            _("[QLCB] Thư tổng hợp ngày %(day)s: %(count)s việc")
            % {
                "day": digest.day.strftime("%d/%m/%Y"),
                "count": count,
            }
        ),
        template="digest",
        context={
            "recipient": recipient,
            "requests": requests,
            "items": items,
            "reviews": reviews,
            "reminder_after_days": settings.REMINDER_AFTER_DAYS,
            "queue_url": f"{settings.SITE_URL}/changerequest/queue/",
            "centre_url": f"{settings.SITE_URL}{reverse('notifications:index')}",
            "day": digest.day,
        },
        to=recipient.email,
        language=language,
        message_id=delivery.message_id("digest", recipient.pk, digest.day.strftime("%Y%m%d")),
    )


def build_notification_email(notification_id: int):
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    recipient = notification.recipient
    if not recipient.email or not recipient.is_active:
        return None
    language = settings_for([recipient.pk])[recipient.pk].language
    with translation.override(language):
        item = _items([notification])[0]
    return _email(
        subject=lambda: _("[QLCB] %(kind)s") % {"kind": notification.get_kind_display()},
        template="notification",
        context={
            "recipient": recipient,
            "item": item,
            "centre_url": f"{settings.SITE_URL}{reverse('notifications:index')}",
        },
        to=recipient.email,
        language=language,
        message_id=delivery.message_id("notification", notification.pk),
    )


def send_digest_email(*, digest_id: int) -> bool:
    """Send one digest unless it is sent or being sent (notifications.delivery); returns
    whether this call sent it."""
    return delivery.deliver(delivery.DIGESTS, digest_id, build_digest_email)


def send_notification_email(*, notification_id: int) -> bool:
    return delivery.deliver(delivery.IMMEDIATE, notification_id, build_notification_email)


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
