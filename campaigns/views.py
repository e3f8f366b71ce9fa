"""The campaign pages: the list, the start form, the making of its items (progress, retry),
progress per unit (one level of the tree at a time) and its xlsx, the officer's open items with
confirm (one or the selected) and propose, and closing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from records.exports import new_sheet, xlsx_cell, xlsx_response
from tracking.keyset import paginate
from tracking.progress import progress_response
from units.forms import TreePositionForm, add_service_errors
from units.models import Unit
from units.scope import granted_unit_ids
from units.selectors import page_of_units

from . import selectors, services
from .forms import StartCampaignForm
from .models import Campaign, CampaignItem
from .permissions import (
    can_close_campaign,
    can_confirm_in_bulk,
    can_retry_campaign,
    can_start_campaigns,
    can_view_campaign,
    can_view_campaigns,
    can_work_on_item,
    can_work_on_items,
    progress_scope,
    startable_units_q,
)


def _campaign_or_403(user, pk) -> Campaign:
    campaign = get_object_or_404(Campaign.objects.select_related("unit", "started_by", "closed_by"), pk=pk)
    if not can_view_campaign(user, campaign):
        raise PermissionDenied(_("Bạn không có quyền xem đợt rà soát này."))
    return campaign


@login_required
def campaign_list(request):
    if not can_view_campaigns(request.user):
        raise PermissionDenied(_("Bạn chưa được phân quyền trên đơn vị nào."))
    page = paginate(selectors.list_campaigns(user=request.user), request.GET, per_page=50)
    return render(
        request,
        "campaigns/campaign_list.html",
        {"page": page, "can_start": can_start_campaigns(request.user), "today": timezone.localdate()},
    )


@login_required
def campaign_start(request):
    if not can_start_campaigns(request.user):
        raise PermissionDenied(_("Chỉ quản trị đơn vị được bắt đầu đợt rà soát hồ sơ."))
    units = Unit.objects.filter(startable_units_q(request.user)).order_by("path")
    form = StartCampaignForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.start_campaign(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Đã bắt đầu đợt rà soát “%(title)s”: đang tạo danh sách %(n)s hồ sơ.")
                % {"title": campaign.title, "n": campaign.items_expected},
            )
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/campaign_start.html", {"form": form})


def _progress_parent(request, campaign) -> Unit:
    """The unit whose level the page shows (`?parent=`, by default the campaign's unit, or the
    user's own unit in it when they do not read the campaign's unit): inside the campaign, read."""
    form = TreePositionForm(request.GET)
    if not form.is_valid():
        raise Http404
    scope = progress_scope(request.user)
    if form.cleaned_data["parent"] is not None:
        parent = Unit.objects.filter(campaign.unit_q(), pk=form.cleaned_data["parent"]).first()
        if parent is None or not scope.contains(parent):
            raise Http404
        return parent
    if scope.contains(campaign.unit):
        return campaign.unit
    own = (
        Unit.objects.filter(campaign.unit_q())
        .filter(pk__in=sorted(granted_unit_ids(request.user)))
        .order_by("path")
        .first()
    )
    if own is None:
        raise PermissionDenied(_("Bạn không có quyền xem đợt rà soát này."))
    return own


@login_required
def campaign_detail(request, pk):
    """Progress of one level: the unit's subtree, its own people, and a page of its children."""
    campaign = _campaign_or_403(request.user, pk)
    if not campaign.is_ready:
        return _preparing(request, campaign)
    parent = _progress_parent(request, campaign)
    children = selectors.list_child_units(user=request.user, parent=parent)
    children = children if campaign.include_subtree else children.none()
    page = page_of_units(children, request.GET)
    total, own, rows = selectors.progress_level(user=request.user, campaign=campaign, parent=parent, children=page.rows)
    ancestors = selectors.list_ancestors(user=request.user, campaign=campaign, unit=parent)
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            "parent": parent,
            "total": total,
            "own": own,
            "rows": rows,
            "page": page,
            "ancestors": ancestors,
            "late": timezone.localdate() > campaign.deadline,
            "can_close": can_close_campaign(request.user, campaign),
            "can_work": can_work_on_items(request.user) and campaign.is_running,
            "can_confirm_in_bulk": can_confirm_in_bulk(request.user, campaign),
            "escalations": campaign.escalations.select_related("unit")
            .prefetch_related("escalated_to")
            .order_by("unit__path")[:50],
        },
    )


def _preparing(request, campaign):
    """A campaign whose items are being made (or failed to be): how many of how many, polled
    until ready (static/qlcb/qlcb.js), or what went wrong and the retry to whoever may."""
    return render(
        request,
        "campaigns/campaign_preparing.html",
        {
            "campaign": campaign,
            "can_retry": can_retry_campaign(request.user, campaign),
            "stalled": campaign.is_stalled(),
        },
    )


@login_required
def campaign_status(request, pk):
    """What the preparing page polls every two seconds."""
    campaign = _campaign_or_403(request.user, pk)
    return progress_response(campaign, running=campaign.is_preparing)


@login_required
@require_POST
def campaign_retry(request, pk):
    campaign = _campaign_or_403(request.user, pk)
    if not can_retry_campaign(request.user, campaign):
        raise PermissionDenied(_("Bạn không được tạo lại danh sách hồ sơ của đợt rà soát này."))
    try:
        services.retry_campaign(user=request.user, campaign=campaign)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đang tạo tiếp danh sách hồ sơ của đợt “%(title)s”.") % {"title": campaign.title})
    return redirect("campaigns:detail", pk=campaign.pk)


@login_required
def campaign_xlsx(request, pk):
    """Every unit of the campaign the user may see, own and rolled up (bounded by units)."""
    campaign = _campaign_or_403(request.user, pk)
    if not campaign.is_ready:
        messages.error(request, _("Đợt rà soát chưa có đủ danh sách hồ sơ nên chưa có tiến độ."))
        return redirect("campaigns:detail", pk=campaign.pk)
    rows = selectors.progress_report(user=request.user, campaign=campaign)
    workbook, sheet = new_sheet(_("Tiến độ rà soát"))
    sheet.freeze_panes = "C4"
    sheet.append([xlsx_cell(sheet, _("Tiến độ đợt rà soát “%(title)s”") % {"title": campaign.title}, bold=True)])
    sheet.append(
        [
            _("Đơn vị: %(unit)s; hạn hoàn thành: %(deadline)s; lập ngày %(today)s")
            % {
                "unit": campaign.unit.name,
                "deadline": campaign.deadline.strftime("%d/%m/%Y"),
                "today": timezone.localdate().strftime("%d/%m/%Y"),
            }
        ]
    )
    headers = [
        _("Mã đơn vị"),
        _("Tên đơn vị"),
        _("Số hồ sơ (đơn vị)"),
        _("Đã xong (đơn vị)"),
        _("Quá hạn (đơn vị)"),
        _("Số hồ sơ (cả khối)"),
        _("Đã xong (cả khối)"),
        _("Quá hạn (cả khối)"),
        _("Tỉ lệ hoàn thành (cả khối, %)"),
    ]
    sheet.append([xlsx_cell(sheet, h, bold=True) for h in headers])
    for own, rolled in rows:
        sheet.append(
            [
                xlsx_cell(sheet, own.unit.code),
                xlsx_cell(sheet, own.unit.name, indent=own.depth),
                own.total,
                own.done,
                own.late,
                rolled.total,
                rolled.done,
                rolled.late,
                rolled.percent,
            ]
        )
    return xlsx_response(workbook, f"tien-do-ra-soat-{campaign.pk}.xlsx")


@login_required
def item_list(request):
    """The officer's open items (all running campaigns, or `?campaign=`), a keyset page."""
    if not can_work_on_items(request.user):
        raise PermissionDenied(_("Chỉ cán bộ tổ chức của đơn vị được rà soát hồ sơ."))
    campaign = None
    if request.GET.get("campaign"):
        try:
            campaign = _campaign_or_403(request.user, int(request.GET["campaign"]))
        except ValueError:
            raise Http404 from None
    page = paginate(selectors.list_open_items(user=request.user, campaign=campaign), request.GET, per_page=50)
    return render(
        request,
        "campaigns/item_list.html",
        {
            "page": page,
            "campaign": campaign,
            "today": timezone.localdate(),
            "can_confirm_in_bulk": campaign is not None and can_confirm_in_bulk(request.user, campaign),
        },
    )


@login_required
@require_POST
def items_confirm(request, pk):
    """ "Xác nhận các hồ sơ đã chọn không thay đổi": the ticked items of one campaign's list."""
    campaign = _campaign_or_403(request.user, pk)
    if not can_confirm_in_bulk(request.user, campaign):
        raise PermissionDenied(_("Bạn không được xác nhận hồ sơ của đợt rà soát này."))
    try:
        ids = [int(value) for value in request.POST.getlist("items")]
    except ValueError:
        ids = None
    if ids is None or any(not 0 < pk < 2**63 for pk in ids):
        messages.error(request, _("Danh sách hồ sơ đã chọn không hợp lệ; hãy tải lại trang và chọn lại."))
        return redirect(_back(request))
    try:
        result = services.confirm_items(user=request.user, campaign=campaign, item_ids=ids)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_back(request))
    messages.success(request, _("Đã xác nhận %(n)s hồ sơ không thay đổi.") % {"n": len(result["confirmed"])})
    if result["already"]:
        messages.info(request, _("%(n)s hồ sơ đã được xác nhận từ trước nên giữ nguyên.") % {"n": result["already"]})
    return redirect(_back(request))


@login_required
@require_POST
def item_confirm(request, pk):
    item = get_object_or_404(CampaignItem.objects.select_related("campaign", "employee__managing_unit"), pk=pk)
    if not can_work_on_item(request.user, item):
        raise PermissionDenied(_("Bạn không được xác nhận hồ sơ này trong đợt rà soát."))
    try:
        services.confirm_item(user=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã xác nhận hồ sơ %(name)s không thay đổi.") % {"name": item.employee.full_name})
    return redirect(_back(request))


def _back(request) -> str:
    """Back to the list the form was posted from (only a path of this site)."""
    back = request.POST.get("next", "")
    return back if back.startswith("/") and not back.startswith("//") else "campaigns:items"


@login_required
@require_POST
def campaign_close(request, pk):
    campaign = _campaign_or_403(request.user, pk)
    if not can_close_campaign(request.user, campaign):
        raise PermissionDenied(_("Bạn không được kết thúc đợt rà soát này, hoặc đợt đã kết thúc."))
    services.close_campaign(user=request.user, campaign=campaign)
    messages.success(request, _("Đã kết thúc đợt rà soát “%(title)s”.") % {"title": campaign.title})
    return redirect("campaigns:detail", pk=campaign.pk)
