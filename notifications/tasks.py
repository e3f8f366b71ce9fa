"""Thin Celery tasks: take ids, call a service, safe to run twice."""

from celery import shared_task
from viewflow.workflow.timers import fire_due_conditions, fire_due_timers

from . import services


@shared_task
def fire_workflow_timers():
    """Fire viewflow's due flow.Timer tasks and conditional catches (beat: every minute)."""
    return {"timers": fire_due_timers(), "conditions": fire_due_conditions()}


@shared_task
def send_overdue_approval_digests():
    """Daily sweep: one digest per approver per day listing their overdue approvals."""
    return [digest.pk for digest in services.queue_overdue_approval_digests()]


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_digest(digest_id):
    return services.send_digest_email(digest_id=digest_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_read_alert(alert_id):
    return services.send_read_alert_email(alert_id=alert_id)


@shared_task
def send_pending_read_alerts():
    """Sweep (beat: every 10 minutes): read alerts whose email did not go out are queued again."""
    return services.queue_pending_read_alerts()
