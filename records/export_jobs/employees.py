"""The employee list as an export: the rows the list page shows the user (records.selectors
scope, the same search and unit filter), the profile's columns in form order, the CCCD only
where the user may see it."""

from functools import lru_cache

from django.http import Http404
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from units.selectors import list_visible_units

from .. import list_filters
from ..models import Employee, ExportLog
from ..permissions import can_export_employees, sensitive_checker
from ..selectors import MASK, list_employees
from ..sensitivity import is_sensitive_field
from .kinds import ExportKind, register

# Rows fetched per round trip (a server-side cursor on PostgreSQL): memory stays flat.
CHUNK_ROWS = 2000

# The profile in form order. Sensitive fields never leave in a list export: whether a reader
# may see them depends on each row's unit, and a file, once out, cannot be masked later. The
# CCCD is the exception the list page makes too: shown per row where the reader may see it.
EMPLOYEE_EXPORT_FIELDS = tuple(
    name for _title, names in Employee.SECTIONS for name in names if not is_sensitive_field(Employee, name)
)


def employee_columns():
    """(header, lookup, how to show the value or None) for every column after the CCCD."""
    columns = []
    for name in EMPLOYEE_EXPORT_FIELDS:
        field = Employee._meta.get_field(name)
        if field.is_relation:
            lookup, show = f"{name}__name", None
        elif field.choices:
            labels = {key: str(label) for key, label in field.flatchoices}
            lookup, show = name, labels.get
        else:
            lookup, show = name, None
        columns.append((capfirst(field.verbose_name), lookup, show))
    columns.append((_("Mã đơn vị"), "managing_unit__code", None))
    columns.append((capfirst(Employee._meta.get_field("managing_unit").verbose_name), "managing_unit__name", None))
    return columns


CITIZEN_ID = "citizen_id"


def _column_key(lookup: str) -> str:
    return lookup.removesuffix("__name")


def export_column_choices() -> list[tuple[str, str]]:
    """(key, header) of every column a user may leave out of the export: all but the number and
    the name, the CCCD second as in the file. The same for everyone in a language (the list
    page offers them on each visit): made once per language."""
    return list(_export_column_choices(get_language()))


@lru_cache(maxsize=8)
def _export_column_choices(language) -> tuple[tuple[str, str], ...]:
    columns = employee_columns()
    citizen_id = capfirst(Employee._meta.get_field(CITIZEN_ID).verbose_name)
    return ((CITIZEN_ID, citizen_id), *((_column_key(lookup), header) for header, lookup, _show in columns[1:]))


def chosen_columns(data) -> list[str] | None:
    """The columns ticked on the export form, in the file's order; None (every column) when the
    form did not offer the choice (an older form, or a job queued before it existed)."""
    if not data.get("columns_chosen"):
        return None
    ticked = set(data.getlist("columns")) if hasattr(data, "getlist") else set(data.get("columns") or ())
    return [key for key, _header in export_column_choices() if key in ticked]


class EmployeeListExport(ExportKind):
    key = "employee_list"
    title = gettext_lazy("Danh sách cán bộ")
    log_kind = ExportLog.Kind.EMPLOYEE_LIST
    sheet_title = gettext_lazy("Danh sách cán bộ")
    file_prefix = "danh-sach-can-bo"
    freeze_panes = "C2"

    def may_export(self, user) -> bool:
        return can_export_employees(user)

    def clean(self, user, data) -> dict:
        """The list's filters (records.list_filters; a bad one is dropped as the list drops it),
        the unit (404 out of scope) and the columns chosen."""
        unit = self._unit(user, data.get("unit") or None)
        filters, _errors = list_filters.read_filters(data)
        filters = {name: value for name, value in filters.items() if name not in ("q", "unit") and value != ""}
        parameters = {"q": (data.get("q") or "").strip(), "unit": unit.pk if unit else None, **filters}
        columns = chosen_columns(data)
        if columns is not None:
            parameters["columns"] = columns
        return parameters

    def describe(self, user, parameters) -> str:
        unit = self._unit(user, parameters.get("unit"))
        return _("Danh sách cán bộ: %(scope)s") % {"scope": unit.name if unit else _("mọi đơn vị được xem")}

    def header(self) -> list:
        return self.header_for({})

    def header_for(self, parameters: dict) -> list:
        columns = employee_columns()
        keep = self._kept(parameters)
        chosen = [header for key, header in export_column_choices() if keep(key)]
        return [_("STT"), columns[0][0], *chosen]

    @staticmethod
    def _kept(parameters: dict):
        columns = parameters.get("columns")
        if columns is None:
            return lambda key: True
        chosen = set(columns)
        return lambda key: key in chosen

    def count(self, user, parameters) -> int:
        return self._queryset(user, parameters).count()

    def rows(self, user, parameters):
        keep = self._kept(parameters)
        columns = [employee_columns()[0]] + [c for c in employee_columns()[1:] if keep(_column_key(c[1]))]
        with_citizen_id = keep(CITIZEN_ID)
        shows = [show for _header, _lookup, show in columns]
        may_see = sensitive_checker(user)  # per row from the unit's id and path, no query
        lookups = [lookup for _header, lookup, _show in columns]
        values = (
            self._queryset(user, parameters)
            .values_list(*lookups, "citizen_id", "managing_unit_id", "managing_unit__path")
            .iterator(chunk_size=CHUNK_ROWS)
        )
        for number, (name, *rest, citizen_id, unit_id, unit_path) in enumerate(values, start=1):
            shown = [value if show is None else show(value, value) for show, value in zip(shows[1:], rest, strict=True)]
            cccd = [citizen_id if may_see(unit_id, unit_path) else MASK] if with_citizen_id else []
            yield [number, name, *cccd, *shown]

    def _queryset(self, user, parameters):
        unit = self._unit(user, parameters.get("unit"))
        return list_employees(
            user=user, search=parameters.get("q", ""), unit=unit, filters=parameters, sort=parameters.get("sort", "")
        )

    @staticmethod
    def _unit(user, raw):
        """The unit filter; a unit the user may not see (any more) is 404, as on every page."""
        if raw in (None, ""):
            return None
        unit = list_visible_units(user=user).filter(pk=raw).first() if str(raw).isdigit() else None
        if unit is None:
            raise Http404
        return unit


EMPLOYEE_LIST = register(EmployeeListExport())
