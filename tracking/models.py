"""The write guard for tracked records: no save without a named change context.

Every write to a tracked model (units, the personnel file, inspection work) happens inside
`tracked_change(...)` (tracking.context), which names who proposed, who approved, why, and which
change request. Outside it, `save()` and `delete()` raise, and bulk queryset writes are refused
always, because they bypass history. The history columns every tracked record carries are here
too, and the receiver that stamps them from the active context.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models, router
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .context import UntrackedWriteError, current_change
from .copying import can_copy, copy_tracked
from .validators import field_errors


def refuse_bulk(model, operation):
    """Raises: a bulk write of `model` would skip history."""
    raise UntrackedWriteError(
        _("%(op)s trên %(model)s bị từ chối: mọi thay đổi hồ sơ phải đi qua yêu cầu thay đổi có phê duyệt.")
        % {"op": operation, "model": model._meta.verbose_name}
    )


class TrackedQuerySet(models.QuerySet):
    """Bulk writes skip save() and history, so they are refused outright."""

    def update(self, **kwargs):
        refuse_bulk(self.model, "update()")

    def delete(self):
        refuse_bulk(self.model, "delete()")

    def bulk_create(self, *args, **kwargs):
        refuse_bulk(self.model, "bulk_create()")

    def bulk_update(self, *args, **kwargs):
        refuse_bulk(self.model, "bulk_update()")

    def update_or_create(self, *args, **kwargs):
        refuse_bulk(self.model, "update_or_create()")


class TrackedModel(models.Model):
    """Abstract base for records whose every write must be attributable."""

    objects = TrackedQuerySet.as_manager()
    # Columns computed from the others by derive_fields (sort and search keys): every write path
    # (save, bulk_create_tracked) fills them, so no reader meets a stale key.
    DERIVED_FIELDS: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if current_change() is None:
            raise UntrackedWriteError(
                _("Không thể lưu %(model)s ngoài quy trình phê duyệt.") % {"model": self._meta.verbose_name}
            )
        self.derive_fields()
        if kwargs.get("update_fields") is not None and self.DERIVED_FIELDS:
            kwargs["update_fields"] = {*kwargs["update_fields"], *self.DERIVED_FIELDS}
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if current_change() is None:
            raise UntrackedWriteError(
                _("Không thể xoá %(model)s ngoài quy trình phê duyệt.") % {"model": self._meta.verbose_name}
            )
        return super().delete(*args, **kwargs)

    def derive_fields(self) -> None:
        """Fill DERIVED_FIELDS from the row's own values; nothing by default."""

    def clean_fields(self, exclude=None):
        """Django's checks of each field, and ours of every text and date (tracking.validators):
        a form, a change set and the importer all call this."""
        errors = field_errors(self, set(exclude or ()))
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            for name, messages in exc.error_dict.items():
                errors.setdefault(name, []).extend(messages)
        if errors:
            raise ValidationError(errors)


class TrackedHistory(models.Model):
    """Columns every history row of a tracked record carries: who proposed, who approved,
    and which change request caused it (the reason is simple-history's change_reason)."""

    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người đề xuất"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người phê duyệt"),
    )
    change_request = models.ForeignKey(
        "workflows.ChangeRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("yêu cầu thay đổi"),
    )
    approved_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("phê duyệt thay cho"),
    )

    class Meta:
        abstract = True


class TrackedHistoricalRecords(HistoricalRecords):
    """The history of a tracked model (TrackedHistory columns, kept when the row is deleted),
    indexed for the timeline that reads it (tracking.history): the versions of one owner,
    newest first, are an index range on (`timeline_of`, history_date, history_id); `timeline_of`
    is "id" for the row itself or the foreign key of the record it belongs to."""

    def __init__(self, *args, timeline_of: str = "id", **kwargs):
        super().__init__(*args, bases=[TrackedHistory], cascade_delete_history=False, **kwargs)
        self.timeline_of = timeline_of

    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        timeline = models.Index(fields=(self.timeline_of, "history_date", "history_id"))
        options["indexes"] = (*options.get("indexes", ()), timeline)
        return options


def bulk_create_tracked(model, objs: list, *, batch_size: int = 1000, validate: bool = True) -> list:
    """Insert many tracked rows and their history rows, a batch at a time.

    The one bulk write allowed: it needs an active change context, and writes the same
    who / approver / why / request columns on every history row as save() would. On
    PostgreSQL each batch goes in with COPY (tracking.copying); elsewhere with bulk_create.
    """
    context = current_change()
    if context is None:
        refuse_bulk(model, "bulk_create()")
    if validate:  # the importer validates the whole file first, and says so
        for obj in objs:
            obj.full_clean(validate_unique=False, validate_constraints=False)
    for obj in objs:
        obj.derive_fields()
    custom = {
        "proposed_by": context.proposed_by,
        "approved_by": context.approved_by,
        "change_request": context.change_request,
        "approved_for": context.acting_for,
    }
    connection = connections[router.db_for_write(model)]
    if can_copy(connection):
        history = {"history_user": context.approved_by, "history_change_reason": context.reason, **custom}
        copy_tracked(connection, model, objs, history, batch_size)
        return objs
    created = models.QuerySet(model=model).bulk_create(objs, batch_size=batch_size)
    model.history.bulk_history_create(
        created,
        batch_size=batch_size,
        default_user=context.approved_by,
        default_change_reason=context.reason,
        custom_historical_attrs=custom,
    )
    return created


def stamp_history_row(sender, instance, history_instance, **kwargs):
    """Copy the active change context onto the history row simple-history is about to write."""
    context = current_change()
    if context is None or not hasattr(history_instance, "change_request_id"):
        return
    history_instance.history_change_reason = context.reason
    history_instance.history_user = context.approved_by
    history_instance.proposed_by = context.proposed_by
    history_instance.approved_by = context.approved_by
    history_instance.change_request = context.change_request
    history_instance.approved_for = context.acting_for


class LedgerLink(models.Model):
    """One row of a chained table: the SHA-256 of its content (`digest`) and the link `hash`, which
    covers the previous link's hash, the chain, this position and the row's id and digest.
    Written only by the database's triggers (tracking.ledger); never changed."""

    # One successor per link: two writers cannot fork the chain (the key is its index, no other).
    pk = models.CompositePrimaryKey("chain_id", "seq")
    # The chain: a number fixed by the table's name (tracking.ledger.chain_id), so that a link
    # needs no other row and a restored or re-created database keeps its chains' numbers.
    chain_id = models.IntegerField(_("chuỗi"))
    seq = models.BigIntegerField(_("thứ tự"))
    row_id = models.BigIntegerField(_("mã dòng"))
    digest = models.BinaryField(_("băm nội dung"), max_length=32)
    hash = models.BinaryField(_("băm liên kết"), max_length=32)
    linked_at = models.DateTimeField(_("thời điểm"), db_default=Now())

    class Meta:
        verbose_name = _("mắt xích")
        verbose_name_plural = _("mắt xích")
        constraints = [
            models.UniqueConstraint(fields=["chain_id", "row_id"], name="ledger_one_link_per_row"),
        ]

    def __str__(self):
        return f"{self.chain_id} · {self.seq} · {self.row_id}"


class SentHead(models.Model):
    """The chains' heads as emailed to the ministry's administrators and inspectors: a later
    verification checks that each still lies on its chain (a chain rewritten from some row on
    and recomputed no longer passes through a head sent before)."""

    sent_at = models.DateTimeField(_("thời điểm gửi"))
    token = models.TextField(_("mã đầu chuỗi"))
    heads = models.JSONField(_("đầu các chuỗi"), default=dict)  # {table: [seq, hash hex]}
    recipients = models.JSONField(_("người nhận"), default=list)

    class Meta:
        verbose_name = _("đầu chuỗi đã gửi")
        verbose_name_plural = _("đầu chuỗi đã gửi")
        ordering = ["sent_at", "pk"]

    def __str__(self):
        return f"{self.sent_at:%d/%m/%Y %H:%M} · {self.token[:24]}"
