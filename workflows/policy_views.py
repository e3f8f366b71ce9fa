"""Pages of the approval policy: the version in force with its history, and the editor that
saves a new version after checking every level against the tree."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracking.validators import no_control_characters
from units.forms import FormSet
from units.models import Unit
from units.permissions import can_manage_policy, can_view_policy

from . import policy
from .models import ApprovalPolicy

MAX_LEVELS = 4
# The blank choice says so (issue #12): an empty row of the editor reads "— Chưa đặt —" in
# every cell (muted by .qlcb-rows in qlcb.css), not a bare dash that looks like a value.
UNSET = gettext_lazy("— Chưa đặt —")
LEVEL_CHOICES = [("", UNSET)] + list(policy.Level.choices)


class RuleForm(forms.Form):
    # A blank first choice: the page's empty rows stay empty in a browser (a select always
    # submits a value; without it every empty row came back as a "personal" rule).
    category = forms.ChoiceField(
        label=gettext_lazy("Loại dữ liệu"), choices=[("", UNSET)] + list(policy.Category.choices)
    )
    unit_kind = forms.ChoiceField(
        label=gettext_lazy("Loại đơn vị"),
        choices=[("", gettext_lazy("Mọi loại đơn vị"))] + list(Unit.Kind.choices),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(MAX_LEVELS):
            self.fields[f"level_{i + 1}"] = forms.ChoiceField(
                label=_("Cấp %(n)s") % {"n": i + 1}, choices=LEVEL_CHOICES, required=False
            )

    def rule(self) -> dict:
        levels = [self.cleaned_data[f"level_{i + 1}"] for i in range(MAX_LEVELS)]
        return {
            "category": self.cleaned_data["category"],
            "unit_kind": self.cleaned_data["unit_kind"],
            "levels": [level for level in levels if level],
        }


RuleFormSet = forms.formset_factory(RuleForm, formset=FormSet, extra=2, can_delete=True)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Căn cứ, ghi chú cho phiên bản mới"),
        max_length=255,
        validators=[no_control_characters],
        error_messages={"required": gettext_lazy("Phải ghi căn cứ của phiên bản mới.")},
    )


def _initial(current) -> list[dict]:
    rows = []
    for rule in current.rules.all() if current else []:
        row = {"category": rule.category, "unit_kind": rule.unit_kind}
        row.update({f"level_{i + 1}": code for i, code in enumerate(rule.levels)})
        rows.append(row)
    return rows


@login_required
def policy_detail(request, pk=None):
    """The policy in force (or an earlier version), every rule, and the list of versions."""
    if not can_view_policy(request.user):
        raise PermissionDenied(_("Bạn chưa được phân quyền trên đơn vị nào."))
    versions = ApprovalPolicy.objects.select_related("created_by")
    shown = get_object_or_404(versions, pk=pk) if pk else versions.first()
    rules = [
        {
            "category": policy.Category(rule.category).label,
            "unit_kind": Unit.Kind(rule.unit_kind).label if rule.unit_kind else _("Mọi loại đơn vị"),
            "levels": [policy.Level(code).label for code in rule.levels],
        }
        for rule in (shown.rules.all() if shown else [])
    ]
    return render(
        request,
        "workflows/policy_detail.html",
        {"policy": shown, "rules": rules, "versions": versions, "can_manage": can_manage_policy(request.user)},
    )


@login_required
def policy_edit(request):
    """Edit the rules; saving checks every level against the tree and makes a new version."""
    if not can_manage_policy(request.user):
        raise PermissionDenied(_("Chỉ quản trị cấp Bộ được sửa chính sách phê duyệt."))
    current = policy.current_policy()
    formset = RuleFormSet(request.POST or None, initial=_initial(current), prefix="rules")
    note = NoteForm(request.POST or None)
    problems, warnings = [], []
    if request.method == "POST" and formset.is_valid() and note.is_valid():
        # Blank extra rows have no cleaned data; rows ticked for deletion are dropped.
        rules = [
            form.rule()
            for form in formset.forms
            if form.cleaned_data.get("category") and not form.cleaned_data.get("DELETE")
        ]
        problems, warnings = policy.check_rules(rules)
        if not problems:
            try:
                saved = policy.save_policy(rules=rules, user=request.user, note=note.cleaned_data["note"])
            except ValidationError as exc:
                problems = exc.messages
            else:
                messages.success(request, _("Đã ban hành chính sách phê duyệt phiên bản %(v)s.") % {"v": saved.version})
                return redirect("policy:index")
    return render(
        request,
        "workflows/policy_edit.html",
        {"formset": formset, "note": note, "problems": problems, "warnings": warnings, "current": current},
    )
