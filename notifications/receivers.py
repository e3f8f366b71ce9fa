"""What notifications does when the apps below it send their signals (connected in
NotificationsConfig.ready)."""

from .tasks import send_read_alert, sweep_due_work


def queue_read_alert(sender, alert, **kwargs):
    """Queue the email of a read alert once the transaction that recorded it commits."""
    send_read_alert.delay_on_commit(alert.pk)


def queue_due_work_sweep(sender, run=None, **kwargs):
    """The due items were refreshed (duedates.signals): make the officers' work and tell them."""
    sweep_due_work.delay_on_commit()


def notify_change_request_events(sender, events, **kwargs):
    """The events of one change-request transition (workflows.signals, sent at its end, inside
    its transaction), written together (notifications.services.notify_all)."""
    from .services import notify_all

    notify_all([change_request_message(**told) for told in events])


def notify_change_request_event(sender, change_request, event, actor=None, decision=None, **kwargs):
    """One event of a change request, told on its own."""
    from .services import notify_all

    notify_all([change_request_message(change_request, event, actor=actor, decision=decision)])


def change_request_message(change_request, event, actor=None, decision=None) -> dict:
    """A change request moved: its current level's approvers are told it waits on them; its
    submitter that it was returned, rejected, approved or applied. Written in the same
    transaction as the transition."""
    from units.templatetags.people import person
    from workflows import signals

    from .models import Kind
    from .recipients import current_level_approvers
    from .services import change_request_url

    params = {
        "id": change_request.pk,
        "title": change_request.title,
        "unit": str(change_request.unit) if change_request.unit_id else "",
    }
    # Each occurrence once: a request returned twice is told twice, the same event sent twice once.
    if decision is not None:
        occurrence = f"d{decision.pk}"
    else:
        occurrence = f"l{change_request.current_level}-{change_request.submitted_at:%Y%m%d%H%M%S%f}"
    if event == signals.SUBMITTED:
        recipients = current_level_approvers(change_request)
        submitter = change_request.submitted_by
        params["who"] = person(submitter) if submitter else ""
        kind = Kind.SUBMITTED
    else:
        recipients = [change_request.submitted_by]
        params["comment"] = change_request.decision_comment
        kind = {
            signals.RETURNED: Kind.RETURNED,
            signals.REJECTED: Kind.REJECTED,
            signals.APPROVED: Kind.APPROVED,
            signals.APPLIED: Kind.APPLIED,
            signals.CANCELLED: Kind.CANCELLED,
        }[event]
        if event in (signals.APPLIED, signals.RETURNED) and decision is None:
            occurrence += f"-{change_request.decided_at:%Y%m%d%H%M%S%f}" if change_request.decided_at else ""
    return {
        "recipients": [r for r in recipients if actor is None or r.pk != actor.pk],
        "kind": kind,
        "dedupe_key": f"cr{change_request.pk}:{event}:{occurrence}",
        "params": params,
        "target_url": change_request_url(change_request),
        "target_key": f"workflows.changerequest:{change_request.pk}",
    }


def notify_campaign_started(sender, campaign, recipients, **kwargs):
    """A review campaign started (campaigns.signals, in the start's transaction): every officer
    holding items is told once, linked to their list of items of that campaign."""
    from django.urls import reverse

    from .models import Kind
    from .services import notify

    notify(
        [r for r in recipients if r.pk != campaign.started_by_id],
        kind=Kind.CAMPAIGN_STARTED,
        dedupe_key=f"campaign{campaign.pk}:started",
        params={"title": campaign.title, "unit": campaign.unit.name, "deadline": f"{campaign.deadline:%d/%m/%Y}"},
        target_url=f"{reverse('campaigns:items')}?campaign={campaign.pk}",
        target_key=f"campaigns.campaign:{campaign.pk}",
    )


def notify_campaign_late(sender, campaign, escalation, recipients, **kwargs):
    """A unit still had open items after the deadline: its leader is told, once per campaign
    and unit (the escalation row and the dedupe key both say so)."""
    from django.urls import reverse

    from .models import Kind
    from .services import notify

    notify(
        recipients,
        kind=Kind.CAMPAIGN_LATE,
        dedupe_key=f"campaign{campaign.pk}:late:{escalation.unit_id}",
        params={
            "title": campaign.title,
            "deadline": f"{campaign.deadline:%d/%m/%Y}",
            "unit_name": escalation.unit.name,
            "count": escalation.open_items,
        },
        target_url=f"{reverse('campaigns:detail', args=[campaign.pk])}?parent={escalation.unit_id}",
        target_key=f"campaigns.campaign:{campaign.pk}",
    )
