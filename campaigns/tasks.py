"""Thin Celery tasks: call a service, safe to run twice (and to be redelivered)."""

from celery import shared_task

from . import services


@shared_task
def escalate_late_campaigns():
    """Daily (beat): the leader of each unit still having open items after a campaign's deadline
    is told, once per campaign and unit (a unique row per pair)."""
    return len(services.escalate_late_campaigns())
