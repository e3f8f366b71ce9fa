"""Thin Celery tasks: take ids, call a service, safe to run twice (and to be redelivered: the
project runs with acks_late and reject_on_worker_lost, config/settings.py)."""

import smtplib
from datetime import date, datetime

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from viewflow.workflow.timers import fire_due_conditions, fire_due_timers

from . import due_work, history_check, services

_RETRY = {
    # The mail server down or refusing; the database connection lost (the row was released).
    "autoretry_for": (OSError, smtplib.SMTPException, services.delivery.Refused, OperationalError, InterfaceError),
    "retry_backoff": settings.EMAIL_RETRY_BACKOFF,
    "retry_backoff_max": settings.EMAIL_RETRY_BACKOFF_MAX,
    "max_retries": 8,
}


@shared_task
def fire_workflow_timers():
    """Fire viewflow's due flow.Timer tasks and conditional catches (beat: every minute)."""
    return {"timers": fire_due_timers(), "conditions": fire_due_conditions()}


@shared_task
def sweep_digests():
    """Hourly (beat): emails whose sender died queued again; from DIGEST_HOUR, today's missing
    digests made in chunks (create_digests)."""
    return services.sweep_digests()


@shared_task
def send_overdue_approval_digests():
    """The sweep under its former name (messages already queued under it)."""
    return services.sweep_digests()


@shared_task
def create_digests(items, day, now):
    return services.create_digests(items, day=date.fromisoformat(day), now=datetime.fromisoformat(now))


@shared_task(**_RETRY)
def send_digest(digest_id):
    return services.send_digest_email(digest_id=digest_id)


@shared_task(**_RETRY)
def send_notification_email(notification_id):
    return services.send_notification_email(notification_id=notification_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_read_alert(alert_id):
    return services.send_read_alert_email(alert_id=alert_id)


@shared_task
def send_pending_read_alerts():
    """Sweep (beat: every 10 minutes): read alerts whose email did not go out are queued again."""
    return services.queue_pending_read_alerts()


@shared_task(acks_late=True)
def sweep_due_work():
    """After the nightly refresh of due items (queued by it, and daily by beat): the officers'
    drafts and deadline tasks brought in step with the items, and their notifications written.
    Idempotent, so a redelivery or a second beat changes nothing."""
    return due_work.sweep_due_work()


@shared_task(acks_late=True)
def check_history_chains():
    """Nightly (beat): the hash chains verified, the result and the heads emailed to the
    ministry's administrators and inspectors (notifications.history_check)."""
    return history_check.check_history_chains()
