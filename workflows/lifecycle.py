"""The statuses of a change request and the only transitions between them, declared once with
viewflow.fsm. Nothing else assigns ChangeRequest.status: workflows.services calls these
methods (and saves) inside the transaction that also moves the request's viewflow process on."""

from django.utils import timezone
from viewflow import fsm

from .models import ApprovalDecision, ChangeRequest, Decision

Status = ChangeRequest.Status


def _after_decision(lifecycle, decision: ApprovalDecision) -> str:
    """Approving passes the request to the next level, or approves it at the last one."""
    change_request = lifecycle.change_request
    if decision.decision == Decision.APPROVE:
        last = change_request.current_level + 1 >= change_request.level_count()
        return Status.APPROVED if last else Status.SUBMITTED
    return {Decision.RETURN: Status.RETURNED, Decision.REJECT: Status.REJECTED}[decision.decision]


def _undecided(lifecycle) -> bool:
    """A returned request, or a submitted one no level has decided since it was (re)submitted."""
    change_request = lifecycle.change_request
    return change_request.status == Status.RETURNED or change_request.current_level == 0


class ChangeRequestLifecycle:
    """A change request as a state machine. Each transition also sets the fields that go with
    it; the caller saves, in its own transaction."""

    status = fsm.State(Status, default=Status.SUBMITTED)

    def __init__(self, change_request: ChangeRequest):
        self.change_request = change_request

    @status.getter()
    def _get_status(self):
        return self.change_request.status

    @status.setter()
    def _set_status(self, value):
        self.change_request.status = value

    @status.transition(
        source=Status.SUBMITTED,
        target=fsm.State.GET_STATE(
            _after_decision, states=[Status.SUBMITTED, Status.APPROVED, Status.RETURNED, Status.REJECTED]
        ),
        label="decide",
    )
    def decide(self, decision: ApprovalDecision):
        """The current level's decision: on to the next level, approved, returned or rejected."""
        change_request = self.change_request
        change_request.decided_by = decision.decided_by  # the people as objects: the history rows name them
        change_request.decided_for = decision.acting_for
        change_request.decided_at = decision.decided_at
        change_request.decision_comment = decision.comment
        if change_request.status == Status.SUBMITTED:
            change_request.current_level += 1
            change_request.pending_unit = change_request.approval_units()[change_request.current_level]
            change_request.pending_since = decision.decided_at
        else:
            change_request.pending_unit = change_request.pending_since = None

    @status.transition(source=Status.RETURNED, target=Status.SUBMITTED, label="resubmit")
    def resubmit(self, *, levels: list[dict]):
        """The submitter sends a reworked request again, from the first of its (re-resolved) levels."""
        change_request = self.change_request
        change_request.submitted_at = timezone.now()
        change_request.levels = levels
        change_request.current_level = 0
        change_request.pending_unit = change_request.approval_units()[0]
        change_request.pending_since = change_request.submitted_at
        change_request.decided_by = change_request.decided_for = change_request.decided_at = None
        change_request.decision_comment = ""

    @status.transition(
        source=[Status.SUBMITTED, Status.RETURNED], target=Status.WITHDRAWN, conditions=[_undecided], label="withdraw"
    )
    def withdraw(self):
        """The submitter abandons a request no level has decided, or one returned to them."""
        self.change_request.pending_unit = self.change_request.pending_since = None

    @status.transition(
        source=[Status.SUBMITTED, Status.RETURNED, Status.APPROVED], target=Status.CANCELLED, label="cancel"
    )
    def cancel(self, *, user, reason: str):
        """A system administrator ends an open request without applying it (its process is
        cancelled in the same transaction), saying why."""
        change_request = self.change_request
        change_request.decided_by = user
        change_request.decided_for = None
        change_request.decided_at = timezone.now()
        change_request.decision_comment = reason
        change_request.pending_unit = change_request.pending_since = None

    @status.transition(source=Status.APPROVED, target=Status.APPLIED, label="apply")
    def apply(self):
        """The approved changes are in the records."""
        self.change_request.applied_at = timezone.now()

    @status.transition(source=Status.APPROVED, target=Status.RETURNED, label="send back")
    def send_back(self, message: str):
        """The approved changes could not be written (the data moved on, or no longer fits): back
        to the submitter, with why."""
        self.change_request.decision_comment = message
