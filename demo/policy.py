"""Version 2 of the approval policy in the demo: version 1 (from the migration) with a second
level for a Chi cục's salary changes."""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, OutputWrapper

from units.models import Unit
from workflows.models import ApprovalPolicy
from workflows.policy import Category, Level, save_policy

# Version 2 = version 1 (from the migration) with this rule: a Chi cục's salary changes go to
# its leader, then to the personnel department of its Cục (BTC.CT.TCCB).
POLICY_NOTE = "Dữ liệu mẫu: nâng bậc lương của Chi cục qua Phòng TCCB Cục Thuế"
POLICY_RULE = {
    "category": Category.SALARY.value,
    "unit_kind": Unit.Kind.SUB_AGENCY.value,
    "levels": [Level.UNIT_LEADER.value, Level.PARENT_PERSONNEL.value],
}


def ensure_policy(admin, *, stderr: OutputWrapper):
    """Version 2 of the approval policy while version 1 is the newest (a later version is an
    administrator's, kept as it is); returns the new version, or None."""
    if ApprovalPolicy.objects.filter(version__gt=1).exists():
        return None
    first = ApprovalPolicy.objects.filter(version=1).first()
    if first is None:
        raise CommandError(
            "Chưa có chính sách phê duyệt phiên bản 1: chạy migrate trước "
            "(no approval policy version 1: run migrate first)."
        )
    replaced = (POLICY_RULE["category"], POLICY_RULE["unit_kind"])
    rules = [
        {"category": rule.category, "unit_kind": rule.unit_kind, "levels": rule.levels}
        for rule in first.rules.all()
        if (rule.category, rule.unit_kind) != replaced
    ]
    try:
        return save_policy(rules=[*rules, POLICY_RULE], user=admin, note=POLICY_NOTE)
    except ValidationError as error:
        # A tree with other units the rule cannot serve: the rest of the demo still loads.
        stderr.write(
            "Cảnh báo: không tạo chính sách phê duyệt phiên bản 2 (warning: approval policy version 2 not "
            f"created): {'; '.join(error.messages)}"
        )
        return None
