"""What happens to a change request, told to the layers above (notifications) without workflows
importing them. Sent synchronously by workflows.services inside the transition's transaction, so
whatever a receiver writes commits or rolls back with the transition itself."""

from django.dispatch import Signal

# change_request_event.send(sender=ChangeRequest, change_request=..., event=..., actor=..., decision=...)
# event: one of EVENTS; actor: the user who acted (None for the system); decision: the
# ApprovalDecision of a decide transition, else None.
change_request_event = Signal()

# change_request_events.send(sender=ChangeRequest, events=[{change_request, event, actor, decision}, ...]):
# the same events, once per transition, when it has made them all (still inside its transaction),
# so a receiver writes what they cause in one go (notifications: one query for the recipients'
# preferences, one insert).
change_request_events = Signal()

SUBMITTED = "submitted"  # a level now waits on its approvers (first submission, resubmission, next level)
RETURNED = "returned"
REJECTED = "rejected"
APPROVED = "approved"  # every level approved
APPLIED = "applied"
CANCELLED = "cancelled"  # by a system administrator
EVENTS = (SUBMITTED, RETURNED, REJECTED, APPROVED, APPLIED, CANCELLED)
