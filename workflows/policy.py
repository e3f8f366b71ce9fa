"""Approval policy as data: which levels approve which category of change, for which kind of
unit. Levels are positions in the org tree (the unit's leader, the parent's personnel
department…), resolved to units when a request is submitted; the approvers of a level are
whoever holds an approver grant on that unit at the time. Policies are versioned: a request
keeps the version it started with."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracking.generations import Generational
from units.models import Role, RoleGrant, Unit


class Category(models.TextChoices):
    PERSONAL = "personal", gettext_lazy("Thông tin cá nhân")
    SALARY = "salary", gettext_lazy("Ngạch, bậc lương, phụ cấp")
    POSITION = "position", gettext_lazy("Chức vụ, quá trình công tác")
    REWARD_DISCIPLINE = "reward_discipline", gettext_lazy("Khen thưởng, kỷ luật, đánh giá")
    TRAINING = "training", gettext_lazy("Đào tạo, bồi dưỡng, trình độ")
    HIRE = "hire", gettext_lazy("Tuyển dụng, tiếp nhận, nhập dữ liệu")
    TRANSFER = "transfer", gettext_lazy("Điều động, chuyển đơn vị")
    UNIT = "unit", gettext_lazy("Thông tin đơn vị, biên chế, chức vụ")
    INSPECTION = "inspection", gettext_lazy("Công tác kiểm tra")


class Level(models.TextChoices):
    """A position in the tree relative to the unit whose data changes, lowest first."""

    UNIT_LEADER = "unit_leader", gettext_lazy("Lãnh đạo đơn vị quản lý")
    UNIT_PERSONNEL = "unit_personnel", gettext_lazy("Bộ phận tổ chức cán bộ của đơn vị")
    PARENT_PERSONNEL = "parent_personnel", gettext_lazy("Bộ phận tổ chức cán bộ của đơn vị cấp trên")
    PARENT_LEADER = "parent_leader", gettext_lazy("Lãnh đạo đơn vị cấp trên")
    MINISTRY_PERSONNEL = "ministry_personnel", gettext_lazy("Vụ Tổ chức cán bộ của Bộ")


LADDER = [level.value for level in Level]

SALARY_FIELDS = {
    "rank_code",
    "salary_step",
    "salary_coefficient",
    "salary_effective_date",
    "position_allowance",
    "seniority_allowance_percent",
    "other_allowances",
}
POSITION_FIELDS = {"position", "main_duties"}
TRAINING_FIELDS = {
    "general_education",
    "qualification",
    "major",
    "political_theory",
    "state_management",
    "foreign_language",
    "it_skill",
}
MODEL_CATEGORY = {
    "records.workhistory": Category.POSITION,
    "records.salaryhistory": Category.SALARY,
    "records.training": Category.TRAINING,
    "records.commendation": Category.REWARD_DISCIPLINE,
    "records.discipline": Category.REWARD_DISCIPLINE,
    "records.evaluation": Category.REWARD_DISCIPLINE,
    "records.familymember": Category.PERSONAL,
    "records.noncountedperiod": Category.SALARY,  # it delays the salary step
    "records.retirementdecision": Category.POSITION,  # it moves the retirement (leaving the post)
    "records.employmentcontract": Category.HIRE,  # recruitment terms: the contract, the probation
    "records.probation": Category.HIRE,
    "units.unit": Category.UNIT,
    "units.staffingquota": Category.UNIT,
    "units.position": Category.UNIT,
    "inspections.inspectionplan": Category.INSPECTION,
    "inspections.inspection": Category.INSPECTION,
    "inspections.followupaction": Category.INSPECTION,
}


def categories_of(*, kind: str, operations: list[dict]) -> list[str]:
    """The data categories a request touches, from its kind and its operations."""
    if kind == "transfer":
        return [Category.TRANSFER]
    if kind in ("new_hire", "import"):
        return [Category.HIRE]
    found = set()
    for op in operations:
        if op["model"] != "records.employee":
            found.add(MODEL_CATEGORY.get(op["model"], Category.PERSONAL))
            continue
        for name in op.get("values") or {}:
            if name in SALARY_FIELDS:
                found.add(Category.SALARY)
            elif name in POSITION_FIELDS:
                found.add(Category.POSITION)
            elif name in TRAINING_FIELDS:
                found.add(Category.TRAINING)
            else:
                found.add(Category.PERSONAL)
        if op["action"] != "update":
            found.add(Category.PERSONAL)
    return [c for c in Category.values if c in found] or [Category.PERSONAL]


# Kinds of request whose category comes from the kind alone (categories_of's first two rules).
KIND_CATEGORY = {"transfer": Category.TRANSFER, "new_hire": Category.HIRE, "import": Category.HIRE}
CATEGORY_FIELDS = {
    Category.SALARY: SALARY_FIELDS,
    Category.POSITION: POSITION_FIELDS,
    Category.TRAINING: TRAINING_FIELDS,
}


def categories_q(categories, prefix: str = "") -> Q:
    """categories_of as a filter over requests (`prefix`: the lookup path to the request): those
    touching any of `categories`. The operations are matched as text, a sub-record by its model
    name, a profile field by its key ('"rank_code":'), which is what categories_of reads of them;
    tests/workflows/test_categories_q.py checks the two agree. `personal` (the fallback for
    everything else) is matched by the family sub-record and the profile's other fields."""
    from records.models import Employee

    wanted = set(categories)
    by_kind = [kind for kind, category in KIND_CATEGORY.items() if category in wanted]
    found = Q(**{f"{prefix}kind__in": by_kind}) if by_kind else Q(pk__in=[])
    texts = [f'"{model}"' for model, category in MODEL_CATEGORY.items() if category in wanted]
    for category, fields in CATEGORY_FIELDS.items():
        if category in wanted:
            texts += [f'"{name}":' for name in sorted(fields)]
    if Category.PERSONAL in wanted:
        others = set().union(*CATEGORY_FIELDS.values())
        texts += [f'"{name}":' for name in Employee.CHANGEABLE_FIELDS if name not in others]
    if texts:
        by_operations = Q()
        for text in texts:
            by_operations |= Q(**{f"{prefix}operations__icontains": text})
        found |= by_operations & ~Q(**{f"{prefix}kind__in": list(KIND_CATEGORY)})
    return found


def _personnel_department(unit: Unit | None) -> Unit | None:
    if unit is None:
        return None
    return (
        Unit.objects.filter(
            path__startswith=unit.path, depth=unit.depth + 1, is_personnel_department=True, active_to__isnull=True
        )
        .order_by("path")
        .first()
    )


def resolve_level(level: str, unit: Unit) -> Unit | None:
    """The unit whose approvers decide `level` for data of `unit`; None when the tree has none."""
    if level == Level.UNIT_LEADER:
        return unit
    if level == Level.UNIT_PERSONNEL:
        return _personnel_department(unit)
    if level == Level.PARENT_LEADER:
        return Unit.objects.get_parent(unit)
    if level == Level.PARENT_PERSONNEL:
        return _personnel_department(Unit.objects.get_parent(unit))
    if level == Level.MINISTRY_PERSONNEL:
        return _personnel_department(Unit.objects.get_root(unit))
    return None


# The policy in force and its rules: read by every submission, changed a few times a year. Kept
# in the cache (tracking.generations), renewed by any write to a policy or a rule (the admin's
# included: renew_policy, wired in workflows.apps), by save_policy (its rules are written in bulk,
# without signals) and after every migration.
_kept = Generational("approval-policy", ttl=3600)


def renew_policy(*args, **kwargs) -> None:
    _kept.renew([""])


def _load_current_policy():
    from .models import ApprovalPolicy

    policy = ApprovalPolicy.objects.order_by("-version").first()
    return policy, _levels_by_key(policy)


def _levels_by_key(policy) -> dict:
    if policy is None:
        return {}
    kept = getattr(policy, "_levels_by_key", None)
    if kept is None:
        kept = {(r.category, r.unit_kind): r.levels for r in policy.rules.all()}
    return kept


def current_policy():
    """The newest policy version (from the cache), its rules on it."""
    policy, levels_by_key = _kept.get("", _load_current_policy)
    if policy is not None:
        policy._levels_by_key = levels_by_key
    return policy


def _most_specific(levels_by_key: dict, category: str, unit_kind: str) -> list[str]:
    """The levels of the rule for this category and kind of unit, else for any kind, else the
    managing unit's leader."""
    return levels_by_key.get((category, unit_kind)) or levels_by_key.get((category, "")) or [Level.UNIT_LEADER]


def rule_levels(policy, category: str, unit_kind: str) -> list[str]:
    """The levels a policy version gives this category for this kind of unit."""
    return _most_specific(_levels_by_key(policy), category, unit_kind)


def resolve_levels(*, policy, categories: list[str], unit: Unit) -> list[dict]:
    """The ordered approval levels for a request about `unit`: every level any of its categories
    asks for, lowest first, each resolved to a unit; a unit appears once."""
    codes = {code for category in categories for code in rule_levels(policy, category, unit.kind)}
    levels, seen = [], set()
    for code in sorted(codes, key=LADDER.index):
        target = resolve_level(code, unit)
        if target is None:
            raise ValidationError(
                _("Chính sách phê duyệt có cấp «%(level)s» không xác định được với đơn vị %(unit)s.")
                % {"level": Level(code).label, "unit": unit}
            )
        if target.pk in seen:
            continue
        seen.add(target.pk)
        levels.append({"unit": target.pk, "level": code})
    return levels


def levels_for_request(
    *, policy, kind: str, operations: list[dict], unit: Unit, target_unit: Unit | None
) -> list[dict]:
    """Levels for a new request; a transfer adds the receiving unit's own levels after the sender's."""
    categories = categories_of(kind=kind, operations=operations)
    levels = resolve_levels(policy=policy, categories=categories, unit=unit)
    if target_unit is not None:
        seen = {level["unit"] for level in levels}
        incoming = resolve_levels(policy=policy, categories=categories, unit=target_unit)
        if target_unit.pk not in {level["unit"] for level in incoming}:
            incoming.insert(0, {"unit": target_unit.pk, "level": Level.UNIT_LEADER})
        levels += [level for level in incoming if level["unit"] not in seen]
    return levels


def check_rules(rules: list[dict]) -> tuple[list[str], list[str]]:
    """Errors (a level no unit of that kind can reach) and warnings (a level whose unit has no
    approver today) for a proposed set of rules [{category, unit_kind, levels}]."""
    by_key = {(r["category"], r["unit_kind"]): r["levels"] for r in rules}
    errors, warnings = [], []
    if len(by_key) != len(rules):
        errors.append(_("Mỗi cặp loại dữ liệu và loại đơn vị chỉ được có một quy tắc."))
    approver_units = set(RoleGrant.objects.active().filter(role=Role.APPROVER).values_list("unit_id", flat=True))
    units = list(Unit.objects.filter(active_to__isnull=True).order_by("path"))
    for rule in rules:
        if not rule["levels"]:
            errors.append(
                _("Quy tắc «%(category)s» phải có ít nhất một cấp phê duyệt.")
                % {"category": Category(rule["category"]).label}
            )
        if len(set(rule["levels"])) != len(rule["levels"]):
            errors.append(_("Quy tắc «%(category)s» có cấp bị lặp.") % {"category": Category(rule["category"]).label})
    for category in Category.values:
        for unit in units:
            for code in _most_specific(by_key, category, unit.kind):
                target = resolve_level(code, unit)
                label = {"category": Category(category).label, "level": Level(code).label, "unit": unit}
                if target is None:
                    errors.append(_("«%(category)s»: cấp «%(level)s» không xác định được với %(unit)s.") % label)
                elif target.pk not in approver_units:
                    warnings.append(
                        _("«%(category)s»: cấp «%(level)s» của %(unit)s hiện chưa có người phê duyệt (%(target)s).")
                        % {**label, "target": target}
                    )
    return errors, sorted(set(warnings))


def save_policy(*, rules: list[dict], user, note: str):
    """Validate the rules against the tree and save them as the next policy version, with the
    escalation ladders of the version before; requests already submitted keep the version they
    started with."""
    from .models import ApprovalPolicy, EscalationRung, PolicyRule

    errors, _warnings = check_rules(rules)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        latest = ApprovalPolicy.objects.select_for_update().order_by("-version").first()
        policy = ApprovalPolicy.objects.create(
            version=(latest.version + 1) if latest else 1, created_by=user, note=note
        )
        PolicyRule.objects.bulk_create(
            [
                PolicyRule(policy=policy, category=r["category"], unit_kind=r["unit_kind"], levels=r["levels"])
                for r in rules
            ]
        )
        # The escalation ladders (edited in the admin) carry over to the new version.
        if latest is not None:
            EscalationRung.objects.bulk_create(
                [
                    EscalationRung(
                        policy=policy,
                        level=rung.level,
                        step=rung.step,
                        after_working_days=rung.after_working_days,
                        target=rung.target,
                    )
                    for rung in latest.escalation_rungs.all()
                ]
            )
        renew_policy()  # the rules were written in bulk: no signal renews the kept copy
    return policy
