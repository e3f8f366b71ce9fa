"""How inspection work is changed, declared as data for the change-request machinery:
workflows.changesets takes CHANGEABLE into its registry and workflows.editors builds its pages
from EDITOR_PAGES (workflows imports inspections, never the reverse)."""

from .models import FollowUpAction, Inspection, InspectionPlan

# The rows a change set may create, update or delete: (model, fields an officer may set, the
# FK to the owning row fixed when the row is created, the unit whose officers propose and whose
# approvers approve). Inspection work belongs to the unit that made the plan.
CHANGEABLE = (
    (InspectionPlan, InspectionPlan.EDITABLE_FIELDS, "unit", lambda plan: plan.unit),
    (Inspection, Inspection.EDITABLE_FIELDS, "plan", lambda inspection: inspection.plan.unit),
    (FollowUpAction, FollowUpAction.EDITABLE_FIELDS, "inspection", lambda action: action.inspection.plan.unit),
)

# The pages that edit inspection work: a root row with child rows under it. `parent_field` is
# the FK a new root is created under (a plan under its unit, an inspection under its plan).
EDITOR_PAGES = (
    {
        "model": InspectionPlan,
        "children": ((Inspection, "plan"),),
        "ref": "plan",
        "parent_field": "unit",
    },
    {
        "model": Inspection,
        "children": ((FollowUpAction, "inspection"),),
        "ref": "inspection",
        "parent_field": "plan",
    },
)
