"""What campaigns does when workflows sends its signals (connected in CampaignsConfig.ready)."""

from workflows import signals

from . import services


def link_change_request(sender, change_request, event, **kwargs):
    """A request about a person submitted (first submission, resubmission): it is linked to the
    person's open campaign items, in the submission's transaction."""
    if event == signals.SUBMITTED and change_request.current_level == 0:
        services.link_change_request(change_request)
