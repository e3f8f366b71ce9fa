"""Fetch and authorise a unit in one step: 404 unless the user may see it (existence is not
disclosed), 403 to a reader asking to write. A unit's pages show no person, so no read log."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from .forms import TreePositionForm
from .models import Unit
from .permissions import can_propose_for_unit, can_view_unit


def access_unit(user, pk, *, for_write: bool = False) -> Unit:
    unit = Unit.objects.filter(pk=pk).first()
    if unit is None or not can_view_unit(user, unit):
        raise Http404
    if for_write and not can_propose_for_unit(user, unit):
        raise PermissionDenied(_("Bạn chỉ được xem dữ liệu này, không được đề xuất thay đổi."))
    return unit


def access_tree_position(user, query) -> Unit | None:
    """The unit whose children a tree page lists (`?parent=`, None for the user's top units),
    authorised like `access_unit`: a malformed one is 404 too."""
    form = TreePositionForm(query)
    if not form.is_valid():
        raise Http404
    pk = form.cleaned_data["parent"]
    return None if pk is None else access_unit(user, pk)
