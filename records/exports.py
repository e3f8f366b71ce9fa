"""Data leaving the system: the personal file on form 2C (pdf), the xlsx helpers every export
shares (the background exports of records.export_jobs, the reports), and the export log every
download writes."""

import logging
import tempfile
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from accounts.names import display_name
from tracking.validators import printable

from .audit import client_address, log_read
from .models import AccessLog, Employee, ExportLog, SalaryRank
from .models.subrecords import Discipline, FamilyMember, period
from .permissions import can_view_sensitive
from .selectors import display_value, get_employee_file
from .sensitivity import may_show

logger = logging.getLogger(__name__)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- the export log ------------------------------------------------------------------------


def log_export(
    *, user, kind: str, description: str, parameters: dict, row_count: int, request, employee=None
) -> ExportLog:
    """Record who took which data out, with the filters used and how many rows; and log it as
    a read: of `employee`'s file when the export is one person's, else of its rows."""
    log = ExportLog(
        user=user,
        kind=kind,
        description=description[:255],
        parameters=parameters,
        row_count=row_count,
        ip_address=client_address(request),
    )
    log.full_clean()
    with transaction.atomic():
        log.save()
        if employee is not None:
            log_read(user=user, kind=AccessLog.Kind.FORM_2C, employee=employee, export=log, request=request)
        else:
            # The quota report counts posts, not people: it reads no one's record.
            records = 0 if kind == ExportLog.Kind.QUOTA_REPORT else row_count
            log_read(user=user, kind=AccessLog.Kind.EXPORT, export=log, row_count=records, request=request)
    return log


# --- xlsx ------------------------------------------------------------------------------------


def new_sheet(title: str):
    """A write-only workbook and its one sheet: rows go to a temporary file as they are
    appended, so a 100 000-row export does not hold the sheet in memory."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    return workbook, sheet


def xlsx_cell(sheet, value, *, bold: bool = False, indent: int = 0):
    """One cell value for a write-only sheet: dates shown dd/mm/yyyy, text that starts with "="
    kept as text, since openpyxl would otherwise store it as a formula, and control characters
    (stored before they were refused; an xlsx file cannot hold them) shown as U+FFFD."""
    if isinstance(value, Promise):  # verbose names and choice labels are lazy strings
        value = str(value)
    value = printable(value)
    needs_cell = bold or indent or hasattr(value, "strftime") or (isinstance(value, str) and value.startswith("="))
    if not needs_cell:
        return value
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if hasattr(value, "strftime"):
        cell.number_format = "DD/MM/YYYY"
    if bold:
        cell.font = Font(bold=True)
    if indent:
        cell.alignment = Alignment(indent=indent)
    return cell


# Values a cell holds as they are: no conversion, no style.
_PLAIN_TYPES = frozenset({int, float, Decimal, bool, type(None)})


def xlsx_row(sheet, values) -> list:
    """A row of cells as xlsx_cell makes each, on the fast path for what most cells hold
    (numbers, ordinary text): a 100,000-row export calls this four million times. Empty text
    is left out, a blank cell either way, which openpyxl then does not write."""
    row = []
    for value in values:
        kind = type(value)
        if kind is str:
            if not value:
                value = None
            elif value[0] == "=":
                value = xlsx_cell(sheet, value)
            else:
                value = printable(value)
        elif kind not in _PLAIN_TYPES:
            value = xlsx_cell(sheet, value)
        row.append(value)
    return row


def xlsx_response(workbook, filename: str) -> FileResponse:
    spool = tempfile.TemporaryFile()
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


# --- form 2C ---------------------------------------------------------------------------------


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it loads (Pango, HarfBuzz) are missing."""


def html_to_pdf(html: str) -> bytes:
    try:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as exc:  # OSError: the Python package is there, Pango is not
        raise PdfUnavailable(str(exc)) from exc
    # The form needs no file or URL; refusing them all means no text in a record can make
    # the server read a local file or call another host. Control characters stored before
    # they were refused are printed as U+FFFD.
    return HTML(string=printable(html), url_fetcher=URLFetcher(allowed_protocols=("data",))).write_pdf()


def _rank_name(employee) -> str:
    on = employee.salary_effective_date or timezone.localdate()
    return (
        SalaryRank.objects.filter(rank_code=employee.rank_code, table__effective_from__lte=on)
        .order_by("-table__effective_from")
        .values_list("rank_name", flat=True)
        .first()
        or ""
    )


def form_2c_context(employee, *, sensitive: bool) -> dict:
    """What form 2C-BNV/2008 prints, item by item in the order of the form; an item showing
    sensitive data (records.sensitivity) is replaced by a notice when the reader may not see it."""
    withheld = _("Không in: thông tin được bảo vệ, chỉ đơn vị quản lý cán bộ và thanh tra được xem.")

    hidden = object()  # a value this reader may not see: its whole item is withheld

    def value(name):
        if not may_show(Employee, name, sensitive=sensitive):
            return hidden
        return display_value(Employee._meta.get_field(name), getattr(employee, name))

    def line(*parts):
        if any(val is hidden for _label, val in parts):
            return {"parts": [(parts[0][0], withheld)], "withheld": True}
        return {"parts": [(label, val) for label, val in parts], "withheld": False}

    qualification = value("qualification")
    if employee.major:
        qualification = _("%(level)s, chuyên ngành %(major)s") % {"level": qualification, "major": employee.major}
    commendations = [c.describe() for c in employee.commendations.all()]
    disciplines = hidden
    if may_show(Discipline, sensitive=sensitive):
        disciplines = "; ".join(d.describe() for d in employee.disciplines.all()) or "—"
    lines = [
        line(("1) " + _("Họ và tên khai sinh (viết chữ in hoa)"), employee.full_name.upper())),
        line(("2) " + _("Tên gọi khác"), value("other_names"))),
        line(("3) " + _("Sinh ngày"), value("date_of_birth")), (_("Giới tính"), value("sex"))),
        line(("4) " + _("Nơi sinh"), value("place_of_birth"))),
        line(("5) " + _("Quê quán"), value("home_town"))),
        line(("6) " + _("Dân tộc"), value("ethnicity")), ("7) " + _("Tôn giáo"), value("religion"))),
        line(("8) " + _("Nơi đăng ký thường trú"), value("permanent_address"))),
        line(("9) " + _("Nơi ở hiện nay"), value("current_address"))),
        line(("10) " + _("Nghề nghiệp khi được tuyển dụng"), value("occupation_at_recruitment"))),
        line(
            ("11) " + _("Ngày tuyển dụng"), value("recruitment_date")),
            (_("Cơ quan tuyển dụng"), value("recruiting_agency")),
        ),
        line(("12) " + _("Chức vụ (chức danh) hiện tại"), value("position"))),
        line(("13) " + _("Công việc chính được giao"), value("main_duties"))),
        line(
            ("14) " + _("Ngạch công chức (viên chức)"), _rank_name(employee) or "—"),
            (_("Mã ngạch"), value("rank_code")),
            (_("Bậc lương"), value("salary_step")),
            (_("Hệ số"), value("salary_coefficient")),
            (_("Ngày hưởng"), value("salary_effective_date")),
            (_("Phụ cấp chức vụ"), value("position_allowance")),
            (_("Phụ cấp vượt khung (%)"), value("seniority_allowance_percent")),
            (_("Phụ cấp khác"), value("other_allowances")),
        ),
        line(("15.1) " + _("Trình độ giáo dục phổ thông"), value("general_education"))),
        line(("15.2) " + _("Trình độ chuyên môn cao nhất"), qualification)),
        line(
            ("15.3) " + _("Lý luận chính trị"), value("political_theory")),
            ("15.4) " + _("Quản lý nhà nước"), value("state_management")),
        ),
        line(("15.5) " + _("Ngoại ngữ"), value("foreign_language")), ("15.6) " + _("Tin học"), value("it_skill"))),
        line(
            ("16) " + _("Ngày vào Đảng Cộng sản Việt Nam"), value("party_join_date")),
            (_("Ngày chính thức"), value("party_official_date")),
        ),
        line(
            ("17) " + _("Ngày tham gia tổ chức chính trị – xã hội"), value("mass_organisation_join_date")),
            (_("Tổ chức"), value("mass_organisation")),
        ),
        line(
            ("18) " + _("Ngày nhập ngũ"), value("military_enlist_date")),
            (_("Ngày xuất ngũ"), value("military_discharge_date")),
            (_("Quân hàm cao nhất"), value("military_rank")),
        ),
        line(("19) " + _("Danh hiệu được phong tặng cao nhất"), value("honorary_title"))),
        line(("20) " + _("Sở trường công tác"), value("strengths"))),
        line(("21) " + _("Khen thưởng"), "; ".join(commendations) or "—")),
        line(("22) " + _("Kỷ luật"), disciplines)),
        line(
            ("23) " + _("Tình trạng sức khoẻ"), value("health_status")),
            (_("Chiều cao (cm)"), value("height_cm")),
            (_("Cân nặng (kg)"), value("weight_kg")),
            (_("Nhóm máu"), value("blood_type")),
        ),
        line(("24) " + _("Là thương binh hạng, gia đình chính sách"), value("policy_status"))),
        line(
            ("25) " + _("Số CCCD"), value("citizen_id")),
            (_("Ngày cấp"), value("citizen_id_issue_date")),
            (_("Nơi cấp"), value("citizen_id_issue_place")),
        ),
        line(("26) " + _("Số sổ BHXH"), value("social_insurance_number"))),
    ]
    family = list(employee.family.all()) if may_show(FamilyMember, sensitive=sensitive) else []
    unit = employee.managing_unit
    return {
        "employee": employee,
        "sensitive": sensitive,
        "shows_personal_history": may_show(Employee, "personal_history", sensitive=sensitive),
        "shows_family": may_show(FamilyMember, sensitive=sensitive),
        "withheld": withheld,
        "authority": type(unit).objects.get_parent(unit) or unit,
        "unit": unit,
        "status": value("employment_status"),
        "lines": lines,
        "trainings": [
            [
                t.institution or "—",
                f"{t.get_kind_display()}: {t.name}",
                period(t.start_date, t.end_date),
                t.get_mode_display() or "—",
                t.certificate or "—",
            ]
            for t in employee.trainings.all()
        ],
        "work": [
            [period(w.start_date, w.end_date), f"{w.title}, {w.organisation}{w.decision_suffix()}"]
            for w in employee.work_history.all()
        ],
        "family_sections": [
            (
                "a) " + _("Về bản thân: Cha, Mẹ, Vợ (hoặc chồng), các con, anh chị em ruột"),
                [m for m in family if m.side == FamilyMember.Side.OWN],
            ),
            (
                "b) " + _("Về bên vợ (hoặc chồng): Cha, Mẹ, anh chị em ruột"),
                [m for m in family if m.side == FamilyMember.Side.SPOUSE],
            ),
        ],
        "salaries": [
            [
                s.effective_date.strftime("%m/%Y"),
                f"{s.rank_code}/{s.salary_step}",
                formats.number_format(s.salary_coefficient),
                s.decision_number or "—",
            ]
            for s in employee.salary_history.all()
        ],
        "evaluations": [[e.year, e.get_rating_display(), e.comment or "—"] for e in employee.evaluations.all()],
        "printed_at": timezone.localtime(),
    }


def _ascii_slug(text: str) -> str:
    # "đ" has no ASCII decomposition, so slugify would drop it ("Đặng" → "ang").
    return slugify(text.replace("đ", "d").replace("Đ", "D"))


@login_required
def employee_form_2c(request, pk):
    """The personal file on form 2C-BNV/2008 as an A4 PDF; protected items only for readers
    allowed to see them."""
    employee = get_employee_file(user=request.user, pk=pk)
    sensitive = can_view_sensitive(request.user, employee)
    context = form_2c_context(employee, sensitive=sensitive)
    context["printed_by"] = display_name(request.user)
    html = render_to_string("records/form_2c.html", context, request=request)
    try:
        pdf = html_to_pdf(html)
    except PdfUnavailable:
        logger.exception("WeasyPrint cannot be loaded; form 2C was not produced")
        return render(request, "records/export_unavailable.html", {"employee": employee}, status=503)
    log_export(
        user=request.user,
        kind=ExportLog.Kind.FORM_2C,
        description=_("Sơ yếu lý lịch mẫu 2C: %(name)s (%(unit)s)")
        % {"name": employee.full_name, "unit": employee.managing_unit},
        parameters={"employee": employee.pk, "sensitive": sensitive},
        row_count=1,
        request=request,
        employee=employee,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        False, f"so-yeu-ly-lich-2c-{_ascii_slug(employee.full_name) or employee.pk}.pdf"
    )
    return response
