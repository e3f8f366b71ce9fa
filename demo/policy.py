"""Version 2 of the approval policy in the demo: version 1 (from the migration) with a second
level for a Chi cục's salary changes."""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, OutputWrapper

from units.models import Unit
from workflows.models import ApprovalPolicy, EscalationRung
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
        policy = save_policy(rules=[*rules, POLICY_RULE], user=admin, note=POLICY_NOTE)
    except ValidationError as error:
        # A tree with other units the rule cannot serve: the rest of the demo still loads.
        stderr.write(
            "Cảnh báo: không tạo chính sách phê duyệt phiên bản 2 (warning: approval policy version 2 not "
            f"created): {'; '.join(error.messages)}"
        )
        return None
    add_escalation_ladders(policy)
    return policy


# The demo's ladders (workflows.escalation), in working days: remind the level's approvers after
# 2, take it to the leadership of the level's unit 2 later, to the parent unit's approvers 3 later.
LADDER = [
    (2, EscalationRung.Target.LEVEL_APPROVERS),
    (2, EscalationRung.Target.LEADER),
    (3, EscalationRung.Target.PARENT_APPROVERS),
]


def add_escalation_ladders(policy) -> None:
    """The demo ladder on every level of `policy` that has none (the unit leader's level has no
    LEADER rung: its leaders are the approvers already reminded)."""
    for level in Level:
        if policy.escalation_rungs.filter(level=level).exists():
            continue
        rungs = [r for r in LADDER if not (level == Level.UNIT_LEADER and r[1] == EscalationRung.Target.LEADER)]
        for step, (days, target) in enumerate(rungs, start=1):
            EscalationRung.objects.create(policy=policy, level=level, step=step, after_working_days=days, target=target)
