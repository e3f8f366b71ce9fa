from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.flow.views import CreateArtifactView, UpdateArtifactView

from .models import Proposal


class BareFlow(flow.Flow):
    """Bare approval: propose, approve (viewflow's own views and templates)."""

    lock_impl = lock.select_for_update_lock

    start = flow.Start(CreateArtifactView.as_view(model=Proposal, fields=["title", "text"])).Next(this.approve)
    approve = flow.View(UpdateArtifactView.as_view(model=Proposal, fields=["approved", "comment"])).Next(this.end)
    end = flow.End()

    def has_view_permission(self, user, obj=None):
        """Every signed-in user may use it (viewflow's default asks for viewflow.view_process)."""
        return user.is_authenticated
