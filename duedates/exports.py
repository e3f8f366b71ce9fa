"""The due lists as an xlsx export (a kind of records.export_jobs): the rows the page shows
the user, with the same filters, masking and "as of" date; the explanation of each date in a
column. Stored items stream from the database; as of another date, the people are computed a
chunk at a time (duedates.selectors.compute_items), so memory stays flat."""

from django.core.exceptions import BadRequest
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from records.export_jobs.kinds import ExportKind, register
from records.models import ExportLog

from . import rules
from .explain import explain, load_rule_sources, shown_reason
from .models import DueItem
from .permissions import can_export_due_items, inputs_checker
from .selectors import DueFilterForm, Filters, list_due_items, list_people, matching_items, uses_stored_items
from .services import RuleSet

CHUNK_PEOPLE = 1000
CHUNK_ROWS = 2000


def _d(value):
    return value.strftime("%d/%m/%Y") if value else ""


class DueListExport(ExportKind):
    key = "due_list"
    title = gettext_lazy("Danh sách việc đến hạn")
    log_kind = ExportLog.Kind.DUE_LIST
    sheet_title = gettext_lazy("Việc đến hạn")
    file_prefix = "viec-den-han"
    freeze_panes = "C2"

    def may_export(self, user) -> bool:
        return can_export_due_items(user)

    def clean(self, user, data) -> dict:
        form = DueFilterForm(data, user=user)
        if not form.is_valid():
            raise BadRequest(" ".join(str(e) for errors in form.errors.values() for e in errors))
        return form.filters().as_parameters()

    def _filters(self, user, parameters) -> Filters:
        data = {k: ("on" if v is True else ("" if v in (None, False) else v)) for k, v in parameters.items()}
        form = DueFilterForm(data, user=user)
        if not form.is_valid():
            raise Http404  # the unit left the user's scope: the runner says so on the job page
        return form.filters()

    def describe(self, user, parameters) -> str:
        filters = self._filters(user, parameters)
        return _("Việc đến hạn tính đến %(day)s: %(scope)s") % {
            "day": _d(filters.as_of),
            "scope": filters.unit.name if filters.unit else _("mọi đơn vị được xem"),
        }

    def header(self) -> list:
        return [
            _("STT"),
            _("Họ và tên"),
            _("Đơn vị"),
            _("Loại việc"),
            _("Đến hạn"),
            _("Hạn thông báo"),
            _("Hạn ra quyết định"),
            _("Hưởng lương hưu từ"),
            _("Lý do không tính được"),
            _("Căn cứ tính"),
        ]

    def count(self, user, parameters) -> int:
        filters = self._filters(user, parameters)
        if uses_stored_items(filters.as_of):
            return list_due_items(user=user, filters=filters).count()
        return list_people(user=user, filters=filters).count()  # the progress's end: people, not rows

    def rows(self, user, parameters):
        filters = self._filters(user, parameters)
        may_see = inputs_checker(user)
        sources = load_rule_sources()
        labels = dict(DueItem.Kind.choices)
        for number, item in enumerate(self._items(user, filters), start=1):
            unit = item.employee.managing_unit
            sensitive = may_see(unit.pk, unit.path)
            lines = explain(item, sensitive=sensitive, sources=sources)
            yield [
                number,
                item.employee.full_name,
                unit.name,
                str(labels.get(item.kind, item.kind)),
                _d(item.due_date),
                _d(item.notice_deadline),
                _d(item.decision_deadline),
                _d(item.pension_start),
                shown_reason(item, sensitive=sensitive) if item.kind == rules.CANNOT_COMPUTE else "",
                "\n".join(str(line) for line in lines),
            ]

    def _items(self, user, filters: Filters):
        if uses_stored_items(filters.as_of):
            yield from list_due_items(user=user, filters=filters).iterator(chunk_size=CHUNK_ROWS)
            return
        ruleset = RuleSet(as_of=filters.as_of)
        people = list_people(user=user, filters=filters)
        chunk = []
        for employee in people.iterator(chunk_size=CHUNK_PEOPLE):
            chunk.append(employee)
            if len(chunk) == CHUNK_PEOPLE:
                yield from self._computed(chunk, filters, ruleset)
                chunk = []
        if chunk:
            yield from self._computed(chunk, filters, ruleset)

    @staticmethod
    def _computed(employees, filters, ruleset):
        yield from matching_items(employees, filters, ruleset)


DUE_LIST = register(DueListExport())
