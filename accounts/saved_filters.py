"""Saved filters: a user keeps a list's query string under a name and applies it again. Each
user sees and changes only their own (the queryset is always the user's)."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .models import SavedFilter


def list_saved_filters(*, user, page: str) -> QuerySet:
    return SavedFilter.objects.filter(user=user, page=page).order_by("name", "id")


def save_filter(*, user, page: str, name: str, query: str) -> SavedFilter:
    """Save (or replace, under the same name) `query` for `page`; ValidationError with a
    Vietnamese message for a missing or too long name, or one filter too many."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_("Hãy đặt tên cho bộ lọc."))
    if len(name) > SavedFilter._meta.get_field("name").max_length:
        raise ValidationError(_("Tên bộ lọc dài quá 80 ký tự."))
    if len(query) > SavedFilter._meta.get_field("query").max_length:
        raise ValidationError(_("Điều kiện lọc quá dài để lưu."))
    existing = list_saved_filters(user=user, page=page)
    saved = existing.filter(name=name).first()
    if saved is None:
        if existing.count() >= SavedFilter.MAX_PER_PAGE:
            raise ValidationError(
                _("Đã có %(n)s bộ lọc đã lưu; hãy xoá bớt trước khi lưu thêm.") % {"n": SavedFilter.MAX_PER_PAGE}
            )
        saved = SavedFilter(user=user, page=page, name=name)
    saved.query = query
    saved.save()
    return saved


def delete_filter(*, user, page: str, pk) -> bool:
    """Delete the user's own filter `pk` of `page`; False when there is none (another's, or gone)."""
    if not str(pk).isdigit():
        return False
    deleted, _rows = list_saved_filters(user=user, page=page).filter(pk=int(pk)).delete()
    return bool(deleted)
