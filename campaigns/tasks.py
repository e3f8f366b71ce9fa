"""Thin Celery tasks: call a service, safe to run twice (and to be redelivered)."""

from celery import shared_task

from . import services


@shared_task
def prepare_campaign(campaign_id):
    """Make a started campaign's items in chunks (resumes after the last one made; a redelivered
    or repeated run adds nothing twice), then make it ready and tell the officers."""
    return services.prepare_items(campaign_id)


@shared_task
def escalate_late_campaigns():
    """Daily (beat): the leader of each unit still having open items after a campaign's deadline
    is told, once per campaign and unit (a unique row per pair)."""
    return len(services.escalate_late_campaigns())
