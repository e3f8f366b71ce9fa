"""Every input that produced a due date, as lines a person reads (Vietnamese, dd/mm/yyyy): the
base date, each extension and why, the time not counted, and the rule rows with their legal
sources. What comes from sensitive sub-records (sanctions, suspension, detention…) is masked
for a reader who may not see it (duedates.permissions.can_view_due_inputs)."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from records.models import Discipline, Employee, EmploymentContract, NonCountedPeriod, Probation, RetirementDecision
from records.sensitivity import PROTECTED

from . import rules, term_rules
from .models import RULE_MODELS, StepExtension

_STATUS = dict(Employee.EmploymentStatus.choices)
_SEX = dict(Employee.Sex.choices)
_PRECISION = {rules.MONTH: gettext_lazy("chỉ có tháng, năm"), rules.YEAR: gettext_lazy("chỉ có năm")}


def load_rule_sources() -> dict[str, str]:
    """ "Model:id" → "the row (its source, valid from)": every rule row, one query per rule
    model (a few hundred rows at most), whatever the number of items shown."""
    sources = {}
    for model in RULE_MODELS:
        for row in model.objects.all():
            # The ids are those of the rows as the rules see them (rules.Extension for a
            # StepExtension, rules.BeyondRule for a BeyondLastStep).
            sources[f"{type(row.as_rule()).__name__}:{row.pk}"] = _("%(row)s — %(source)s (hiệu lực từ %(since)s)") % {
                "row": f"{model._meta.verbose_name.capitalize()}: {row}",
                "source": row.legal_source,
                "since": _d(row.valid_from),
            }
    return sources


def _d(value) -> str:
    if not value:
        return "—"
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return value.strftime("%d/%m/%Y")


def _label(kind: str) -> str:
    labels = {**dict(Discipline.Form.choices), **dict(StepExtension.Kind.choices)}
    return str(labels.get(kind, kind))


def _sensitive_kind(kind: str) -> bool:
    return kind != rules.POOR_RATING


def explain(item, *, sensitive: bool, sources: dict) -> list[str]:
    """The lines that explain `item` (a DueItem, stored or computed for another date)."""
    inputs = item.inputs or {}
    if item.kind == rules.RETIREMENT:
        lines = _retirement(inputs) + _retirement_decisions(inputs, sensitive=sensitive)
    elif item.kind in (rules.SALARY_STEP, rules.BEYOND_LAST_STEP):
        lines = _step(item.kind, inputs, sensitive=sensitive)
    elif item.kind in (term_rules.CONTRACT_END, term_rules.PROBATION_END):
        lines = _term(item.kind, inputs)
    else:
        lines = [_cannot_reason(item, sensitive=sensitive)]
        if inputs.get("salary_class"):
            lines.append(_("Nhóm ngạch: %(cls)s") % {"cls": inputs["salary_class"]})
    hidden = set() if sensitive else _sanction_rules(inputs)
    lines += [
        _("Quy định áp dụng: %(rule)s") % {"rule": sources.get(rid, rid)} for rid in item.rule_ids if rid not in hidden
    ]
    return lines


def _sanction_rules(inputs: dict) -> set:
    """The extension rows applied for sanctions: their names tell the sanction's form."""
    extensions = list(inputs.get("extensions") or [])
    for step in inputs.get("schedule") or []:
        extensions += step.get("extensions") or []
    return {ext.get("rule") for ext in extensions if _sensitive_kind(ext.get("kind"))}


def _cannot_reason(item, *, sensitive: bool) -> str:
    """The reason a date cannot be computed; one that names a sanction or a non-counted period
    tells only that a protected record is missing a date, to a reader who may not see it."""
    inputs = item.inputs or {}
    if not sensitive and ("discipline" in inputs or "period" in inputs):
        return _("Hồ sơ thiếu dữ liệu cần để tính (%(protected)s).") % {"protected": PROTECTED}
    return item.reason


def shown_reason(item, *, sensitive: bool) -> str:
    return _cannot_reason(item, sensitive=sensitive)


def _retirement(inputs: dict) -> list[str]:
    born = inputs.get("born")
    precision = _PRECISION.get(inputs.get("precision"), "")
    lines = [
        _("Ngày sinh: %(born)s%(precision)s; ngày dùng để tính: %(used)s")
        % {
            "born": _d(born),
            "precision": f" ({precision})" if precision else "",
            "used": _d(inputs.get("birth_used")),
        },
        _("Giới tính: %(sex)s; đối tượng: %(status)s")
        % {"sex": _SEX.get(inputs.get("sex"), "—"), "status": _STATUS.get(inputs.get("status"), "—")},
    ]
    if inputs.get("month"):
        year, month = inputs["month"].split("-")
        lines.append(
            _(
                "Tháng đủ tuổi nghỉ hưu: %(month)s/%(year)s, khi đủ %(y)s tuổi %(m)s tháng "
                "(tuổi theo lộ trình của năm đó)"
            )
            % {"month": month, "year": year, "y": inputs.get("age_years"), "m": inputs.get("age_months")}
        )
    names = {"notice": _("Thông báo nghỉ hưu"), "decision": _("Quyết định nghỉ hưu")}
    leads = inputs.get("lead_times") or {}
    for kind in ("notice", "decision"):
        if kind not in leads:
            continue
        lead = leads[kind]
        lines.append(
            _("%(what)s: chậm nhất %(months)s tháng trước thời điểm nghỉ hưu")
            % {"what": names.get(kind, kind), "months": lead.get("months")}
        )
    return lines


def _decision_line(d: dict, *, sensitive: bool) -> str:
    """ "Quyết định số 12/QĐ-BTC ngày 05/03/2026: Nghỉ hưu ở tuổi thấp hơn 60 tháng (căn cứ: …)";
    the basis (and a postponement's ground) only for a reader of sensitive data: they tell an
    illness, a bereavement or a reduced working capacity."""
    kinds = dict(RetirementDecision.Kind.choices)
    if d.get("kind") == rules.EARLY_RETIREMENT:
        what = _("%(kind)s, nghỉ hưu từ ngày %(date)s") % {
            "kind": kinds.get(d["kind"]),
            "date": _d(d.get("retire_from")),
        }
    else:
        what = _("%(kind)s %(months)s tháng") % {
            "kind": kinds.get(d.get("kind"), d.get("kind")),
            "months": d.get("months"),
        }
    if d.get("limit_months"):
        what += " " + _("(tối đa %(max)s tháng)") % {"max": d["limit_months"]}
    line = _("Quyết định số %(number)s ngày %(date)s: %(what)s") % {
        "number": d.get("number") or "—",
        "date": _d(d.get("date")),
        "what": what,
    }
    if sensitive:
        grounds = dict(RetirementDecision.Ground.choices)
        if d.get("ground"):
            line += "; " + _("trường hợp: %(ground)s") % {"ground": grounds.get(d["ground"], d["ground"])}
        if d.get("legal_basis"):
            line += "; " + _("căn cứ: %(basis)s") % {"basis": d["legal_basis"]}
    else:
        line += "; " + _("căn cứ: %(basis)s") % {"basis": PROTECTED}
    return line


def _retirement_decisions(inputs: dict, *, sensitive: bool) -> list[str]:
    """Why the date moved away from the roadmap: the statutory month and moment, each decision
    applied, the postponement or the early retirement, and the decisions that do not count."""
    if "decisions" not in inputs:
        return []
    lines = []
    statutory = inputs.get("statutory") or {}
    if statutory.get("month"):
        year, month = statutory["month"].split("-")
        lines.append(
            _(
                "Theo lộ trình (chưa tính quyết định riêng): tháng %(month)s/%(year)s, khi đủ %(y)s tuổi %(m)s tháng; "
                "thời điểm nghỉ hưu %(moment)s"
            )
            % {
                "month": month,
                "year": year,
                "y": statutory.get("age_years"),
                "m": statutory.get("age_months"),
                "moment": _d(statutory.get("moment")),
            }
        )
    for d in inputs.get("decisions") or []:
        lines.append(_decision_line(d, sensitive=sensitive))
    shift = inputs.get("age_shift_months") or 0
    if shift:
        lines.append(
            _("Tuổi nghỉ hưu của từng năm %(how)s %(months)s tháng; thời điểm đủ tuổi: %(moment)s")
            % {
                "how": _("thấp hơn") if shift < 0 else _("cao hơn"),
                "months": abs(shift),
                "moment": _d(inputs.get("age_moment")),
            }
        )
    if inputs.get("postponed_months"):
        lines.append(
            _("Lùi thời điểm nghỉ hưu %(months)s tháng: từ %(from)s sang cuối tháng thứ %(months)s sau đó")
            % {"months": inputs["postponed_months"], "from": _d(inputs.get("age_moment"))}
        )
    if inputs.get("months_early") is not None:
        lines.append(
            _(
                "Nghỉ hưu trước tuổi: thời điểm nghỉ hưu theo quy định %(moment)s vẫn là căn cứ tính chế độ; "
                "sớm hơn %(months)s tháng"
            )
            % {"moment": _d(inputs.get("age_moment")), "months": inputs["months_early"]}
        )
    why = {
        "annulled": _("đã bị huỷ bỏ"),
        "not_in_force": _("chưa có hiệu lực vào ngày tính"),
        "superseded": _("được thay bằng quyết định sau"),
        "shorter": _("chỉ áp dụng trường hợp lùi dài nhất"),
        "early": _("đã có quyết định nghỉ hưu trước tuổi"),
    }
    for d in inputs.get("decisions_ignored") or []:
        lines.append(
            _("Không áp dụng: quyết định số %(number)s ngày %(date)s (%(kind)s): %(why)s")
            % {
                "number": d.get("number") or "—",
                "date": _d(d.get("date")),
                "kind": dict(RetirementDecision.Kind.choices).get(d.get("kind"), d.get("kind")),
                "why": why.get(d.get("why"), ""),
            }
        )
    return lines


def _term(kind: str, inputs: dict) -> list[str]:
    """A contract's or a probation's end: the term on file, how its end was found, the notice."""
    status = _STATUS.get(inputs.get("status"), "—")
    if kind == term_rules.CONTRACT_END:
        contract_kind = dict(EmploymentContract.Kind.choices).get(inputs.get("contract_kind"), "—")
        lines = [
            _("Hợp đồng lao động %(kind)s từ %(start)s đến %(end)s (ghi trên hồ sơ); đối tượng: %(status)s")
            % {"kind": contract_kind, "start": _d(inputs.get("start")), "end": _d(inputs.get("end")), "status": status}
        ]
        what = _("Thông báo chấm dứt hoặc ký tiếp hợp đồng")
    else:
        probation_kind = dict(Probation.Kind.choices).get(inputs.get("probation_kind"), "—")
        lines = [
            _("%(kind)s từ %(start)s; đối tượng: %(status)s")
            % {"kind": probation_kind, "start": _d(inputs.get("start")), "status": status}
        ]
        length = inputs.get("length")
        if inputs.get("explicit_end"):
            lines.append(_("Ngày kết thúc ghi trên hồ sơ: %(end)s") % {"end": _d(inputs.get("end"))})
        elif length:
            lines.append(
                _("Ngày kết thúc tính theo quy định: %(months)s tháng %(days)s ngày với nhóm ngạch %(cls)s → %(end)s")
                % {
                    "months": length.get("months"),
                    "days": length.get("days"),
                    "cls": inputs.get("salary_class") or "—",
                    "end": _d(inputs.get("end")),
                }
            )
        what = _("Đánh giá kết quả tập sự, thử việc")
    notice = inputs.get("notice") or {}
    if notice:
        line = _("%(what)s: chậm nhất %(days)s ngày trước ngày kết thúc") % {"what": what, "days": notice.get("days")}
        if notice.get("moved_from"):
            line += " " + _("(ngày %(day)s là ngày nghỉ: lùi về ngày làm việc liền trước)") % {
                "day": _d(notice["moved_from"])
            }
        lines.append(line)
    return lines


def _step(kind: str, inputs: dict, *, sensitive: bool) -> list[str]:
    lines = [
        _("Mã ngạch %(rank)s, nhóm ngạch %(cls)s; đối tượng: %(status)s")
        % {
            "rank": inputs.get("rank_code") or "—",
            "cls": inputs.get("salary_class") or "—",
            "status": _STATUS.get(inputs.get("status"), "—"),
        }
    ]
    if kind == rules.SALARY_STEP:
        lines.append(
            _("Bậc hiện hưởng %(step)s từ ngày %(start)s; thời gian giữ bậc %(months)s tháng; lên bậc %(next)s")
            % {
                "step": inputs.get("step") or "—",
                "start": _d(inputs.get("start")),
                "months": inputs.get("months"),
                "next": inputs.get("next_step") or "—",
            }
        )
    else:
        lines.append(
            _("Giữ bậc cuối từ ngày %(since)s; phụ cấp hiện hưởng %(current)s%%; mức tiếp theo %(next)s%%")
            % {
                "since": _d(inputs.get("last_step_since")),
                "current": inputs.get("current_percent") or 0,
                "next": inputs.get("next_percent"),
            }
        )
        for step in inputs.get("schedule") or []:
            lines.append(
                _("Mức %(percent)s%%: từ %(start)s, kéo dài %(ext)s tháng, không tính %(nc)s tháng → %(date)s")
                % {
                    "percent": step.get("percent"),
                    "start": _d(step.get("from")),
                    "ext": step.get("extension_months"),
                    "nc": step.get("non_counted_months"),
                    "date": _d(step.get("date")),
                }
            )
    lines += _extensions(inputs, sensitive=sensitive)
    lines += _non_counted(inputs.get("non_counted") or {}, sensitive=sensitive)
    return lines


def _extensions(inputs: dict, *, sensitive: bool) -> list[str]:
    lines = []
    hidden = 0
    for ext in inputs.get("extensions") or []:
        if _sensitive_kind(ext.get("kind")) and not sensitive:
            hidden += ext.get("months") or 0
            continue
        what = _label(ext.get("kind"))
        if ext.get("year"):
            what = _("%(what)s năm %(year)s") % {"what": what, "year": ext["year"]}
        lines.append(
            _("Kéo dài %(months)s tháng: %(what)s (hiệu lực %(date)s)")
            % {"months": ext.get("months"), "what": what, "date": _d(ext.get("date"))}
        )
    if hidden:
        lines.append(_("Kéo dài %(months)s tháng: %(protected)s") % {"months": hidden, "protected": PROTECTED})
    why = {
        "annulled": _("đã bị huỷ bỏ"),
        "outside": _("ngoài thời gian giữ bậc"),
        "no_rule": _("không có quy định kéo dài cho trường hợp này"),
    }
    if sensitive:
        for ext in inputs.get("not_counted_extensions") or []:
            lines.append(
                _("Không tính kéo dài: %(what)s (hiệu lực %(date)s): %(why)s")
                % {"what": _label(ext.get("kind")), "date": _d(ext.get("date")), "why": why.get(ext.get("why"), "")}
            )
    if not lines:
        lines.append(_("Không có kỷ luật hoặc năm không hoàn thành nhiệm vụ làm kéo dài thời gian."))
    return lines


def _non_counted(nc: dict, *, sensitive: bool) -> list[str]:
    if not nc.get("periods"):
        return [_("Không có thời gian không tính nâng bậc lương.")]
    kinds = dict(NonCountedPeriod.Kind.choices)
    lines = []
    if sensitive:
        for p in nc["periods"]:
            lines.append(
                _("Không tính: %(kind)s từ %(start)s đến %(end)s: %(months)s tháng và %(days)s ngày làm việc")
                % {
                    "kind": kinds.get(p.get("kind"), p.get("kind")),
                    "start": _d(p.get("start")),
                    "end": _d(p.get("end")),
                    "months": p.get("whole_months"),
                    "days": p.get("leftover_working_days"),
                }
            )
    lines.append(
        _(
            "Thời gian không tính: %(months)s tháng (%(whole)s tháng tròn; %(days)s ngày làm việc lẻ, "
            "từ %(threshold)s ngày trở lên tính là 1 tháng)"
        )
        % {
            "months": nc.get("months"),
            "whole": nc.get("whole_months"),
            "days": nc.get("leftover_working_days"),
            "threshold": rules.LEFTOVER_WORKING_DAYS_FOR_A_MONTH,
        }
    )
    return lines
