"""A timeline row written in one pass over an Entry (oversight.timeline): {% timeline_row entry %}
on the page, {{ entry|changes_cell }} and {{ entry|decisions_cell }} (its two busy cells) on the
page and in the PDF report.

The page has 50 rows with up to 30 changes and their fields each: as template includes, with a
loop, a condition and an escaped variable per value, they were most of the page's CPU. Each
value is shown as a template variable would show it (localized, escaped: tracking.cells
.cell_html), each text through the same gettext/ngettext msgids the templates had, so the
catalogues and the markup stay as they were."""

from django import template
from django.template.defaultfilters import join, truncatechars
from django.urls import reverse
from django.utils import formats
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tracking.cells import cell_html

register = template.Library()


def _when(value) -> str:
    """{{ value|date:"d/m/Y H:i" }}"""
    if value in (None, ""):
        return ""
    return conditional_escape(formats.date_format(template_localtime(value), "d/m/Y H:i"))


@register.filter
def changes_cell(entry) -> str:
    """What a request changed (old → new) or proposes (→ new), as the page and the PDF show it."""
    parts = []
    proposed = entry.proposed
    for change in entry.changes:
        parts.append(f"<div><strong>{cell_html(change['action'])}</strong> {cell_html(change['table'])}")
        if change["object"]:
            parts.append(f": {cell_html(change['object'])}")
        parts.append("\n  ")
        if change["fields"]:
            parts.append("<ul>")
            for f in change["fields"]:
                if proposed:
                    parts.append(f"<li>{cell_html(f['field'])}: → {cell_html(f['new'])}</li>")
                else:
                    parts.append(f"<li>{cell_html(f['field'])}: {cell_html(f['old'])} → {cell_html(f['new'])}</li>")
            parts.append("</ul>")
        parts.append("</div>\n")
    if not entry.changes:
        empty = cell_html(_("Nhập dữ liệu từ tệp")) if entry.request.kind == "import" else "—"
        parts.append(f'<span class="qlcb-meta">{empty}</span>')
    parts.append("\n")
    if entry.more_changes:
        parts.append(f'<p class="qlcb-meta">{cell_html(_("… và các thay đổi khác (xem trang yêu cầu)"))}</p>')
    parts.append("\n")
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped by cell_html)


@register.filter
def decisions_cell(entry) -> str:
    """Each approval level's decision, with the working days it waited, and the level the
    request waits at now."""
    parts = ["<ul>"]
    for d in entry.decisions:
        parts.append(f"<li>{cell_html(d['level'])} · {cell_html(d['unit'])}: ")
        parts.append(f"<strong>{cell_html(d['decision'])}</strong> — ")
        parts.append(cell_html(d["by"]))
        if d["acting_for"]:
            parts.append(" " + _("(thay cho %(name)s)") % {"name": cell_html(d["acting_for"])})
        parts.append(f", {_when(d['at'])}")
        if d["days"] is not None:
            days = ngettext("%(n)s ngày làm việc", "%(n)s ngày làm việc", d["days"]) % {"n": cell_html(d["days"])}
            parts.append(f" · {days}")
        if d["comment"]:
            parts.append(f'<br><span class="qlcb-meta">{cell_html(d["comment"])}</span>')
        parts.append("</li>")
    parts.append("\n")
    waiting = entry.waiting
    if waiting:
        text = _("Đang chờ %(level)s: %(n)s ngày làm việc") % {
            "level": cell_html(waiting["level"]),
            "n": cell_html(waiting["days"]),
        }
        parts.append(f"<li>{text}</li>")
    parts.append("\n")
    if not entry.decisions and not waiting:
        parts.append(f'<li class="qlcb-meta">{cell_html(_("Chưa có ý kiến phê duyệt"))}</li>')
    parts.append("</ul>\n")
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped by cell_html)


@register.simple_tag(takes_context=True)
def timeline_row(context, entry) -> str:
    """The page's row of a request: the request (its link, when, kind and data), whom it is
    about, what it changes, who proposed it and why, the approvals, its status."""
    request = entry.request
    if request.process_id:
        link = reverse("changerequest:process_detail", args=[request.process_id], current_app=_current_app(context))
        number = f'<a href="{conditional_escape(link)}">#{cell_html(request.pk)}</a>'
    else:
        number = f"#{cell_html(request.pk)}"
    kind = cell_html(request.get_kind_display())
    if entry.categories:
        kind += f" · {join(entry.categories, ', ', autoescape=True)}"
    proposer = request.submitted_by
    status = cell_html(request.get_status_display())
    if request.applied_at:
        status += f'<br><span class="qlcb-meta">{_when(request.applied_at)}</span>'
    return mark_safe(  # noqa: S308 (every value escaped by cell_html, _when, join)
        "\n        <tr>\n"
        f'          <td>{number}<br>{_when(request.submitted_at)}<br><span class="qlcb-meta">{kind}</span></td>\n'
        f"          <td>{cell_html(entry.subject)}<br>"
        f'<span class="qlcb-meta">{cell_html(request.unit.name)}</span></td>\n'
        f"          <td>{changes_cell(entry)}</td>\n"
        f"          <td>{cell_html(proposer.get_full_name() or proposer.get_username())}<br>"
        f'<span class="qlcb-meta">{cell_html(truncatechars(request.reason, 200))}</span></td>\n'
        f"          <td>{decisions_cell(entry)}</td>\n"
        f"          <td>{status}</td>\n"
        "        </tr>\n      "
    )


def _current_app(context):
    """The namespace {% url %} reverses in (the request's current app, else its namespace)."""
    request = getattr(context, "request", None)
    try:
        return request.current_app
    except AttributeError:
        try:
            return request.resolver_match.namespace
        except AttributeError:
            return None
