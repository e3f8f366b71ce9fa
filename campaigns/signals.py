"""What happens to a campaign, told to the layers above (notifications) without campaigns
importing them. Sent inside the service's transaction, so what a receiver writes commits or
rolls back with the event itself."""

from django.dispatch import Signal

# campaign_started.send(sender=Campaign, campaign=..., recipients=[users]): the officers who hold items.
campaign_started = Signal()

# campaign_late.send(sender=Campaign, campaign=..., escalation=CampaignEscalation, recipients=[users]):
# the leader of a unit that still had open items after the deadline (once per campaign and unit).
campaign_late = Signal()
