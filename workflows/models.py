"""A change request: a set of changes to tracked records, approved level by level and applied
atomically; the approval decisions it gathered; and bulk imports that travel as one request."""

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from viewflow.workflow.models import Process, Task

from tracking import vietnamese
from tracking.progress import percent

from .policy import Level, categories_of
from .querysets import ScopedProcessQuerySet, TaskManager


def note_read_under_lock(change_request) -> None:
    """`change_request` was just read FOR UPDATE by a caller holding its process's flow lock (a
    task page's POST): current while the atomic block open now is (read_under_lock)."""
    change_request._read_locked_in = transaction.get_connection().atomic_blocks[-1]


def read_under_lock(change_request) -> bool:
    """Whether `change_request` was read under its locks in a block still open: no other
    transaction can have changed it since (a savepoint rolled back forgets it)."""
    block = getattr(change_request, "_read_locked_in", None)
    return block is not None and any(b is block for b in transaction.get_connection().atomic_blocks)


class ChangeRequest(models.Model):
    """A set of operations on tracked records (workflows.changesets), carried by
    ChangeRequestFlow through every approval level and then applied in one transaction."""

    class Kind(models.TextChoices):
        EMPLOYEE = "employee", _("Thay đổi hồ sơ cán bộ")
        NEW_HIRE = "new_hire", _("Tiếp nhận cán bộ mới")
        TRANSFER = "transfer", _("Điều động, chuyển đơn vị quản lý")
        UNIT = "unit", _("Thông tin đơn vị, biên chế, chức vụ")
        INSPECTION = "inspection", _("Công tác kiểm tra")
        IMPORT = "import", _("Nhập dữ liệu từ tệp Excel")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Chờ phê duyệt")
        RETURNED = "returned", _("Trả lại để chỉnh sửa")
        APPROVED = "approved", _("Đã phê duyệt")
        APPLIED = "applied", _("Đã cập nhật vào hồ sơ")
        REJECTED = "rejected", _("Bị từ chối")
        WITHDRAWN = "withdrawn", _("Đã rút")
        CANCELLED = "cancelled", _("Đã huỷ")  # by a system administrator, with a reason

    OPEN_STATUSES = (Status.SUBMITTED, Status.RETURNED, Status.APPROVED)
    # Ended without changing the records: whatever waited on the request (a draft, a campaign
    # item, an import's file) is free again.
    ENDED_UNAPPLIED = (Status.REJECTED, Status.WITHDRAWN, Status.CANCELLED)

    kind = models.CharField(_("loại yêu cầu"), max_length=16, choices=Kind.choices, default=Kind.EMPLOYEE)
    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="change_requests",
        verbose_name=_("đơn vị"),
        help_text=_("Đơn vị quản lý dữ liệu được thay đổi; đơn vị này đề xuất và phê duyệt."),
    )
    target_unit = models.ForeignKey(
        "units.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incoming_change_requests",
        verbose_name=_("đơn vị tiếp nhận"),
    )
    employee = models.ForeignKey(
        "records.Employee",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="change_requests",
        verbose_name=_("cán bộ"),
    )
    title = models.CharField(_("nội dung"), max_length=255)
    # The page the request was made on (workflows.editors), so rework reopens the same page.
    subject_model = models.CharField(_("loại đối tượng"), max_length=64, blank=True)
    subject_pk = models.BigIntegerField(_("mã đối tượng"), null=True, blank=True)
    operations = models.JSONField(_("các thay đổi đề xuất"), default=list, blank=True)  # imports carry a file instead
    policy = models.ForeignKey(
        "workflows.ApprovalPolicy",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("chính sách phê duyệt áp dụng"),
    )
    levels = models.JSONField(
        _("các cấp phê duyệt"),
        default=list,
        blank=True,
        help_text=_("Đơn vị và cấp, xác định khi gửi theo chính sách."),
    )
    current_level = models.PositiveSmallIntegerField(_("cấp phê duyệt hiện tại"), default=0)
    pending_unit = models.ForeignKey(
        "units.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("đơn vị đang phê duyệt"),
    )
    # When the request reached its current level (submitted, approved up a level, resubmitted):
    # the queue's order and its index (change_request_queue); null unless it waits for a decision.
    pending_since = models.DateTimeField(_("chờ phê duyệt từ"), null=True, blank=True)
    reason = models.TextField(_("lý do"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người đề xuất")
    )
    submitted_at = models.DateTimeField(_("thời điểm gửi"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người quyết định"),
    )
    decided_at = models.DateTimeField(_("thời điểm quyết định"), null=True, blank=True)
    decided_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("quyết định thay cho"),
    )
    decision_comment = models.TextField(_("ý kiến"), blank=True)
    applied_at = models.DateTimeField(_("thời điểm cập nhật"), null=True, blank=True)
    process = models.OneToOneField(
        Process,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="change_request",
        verbose_name=_("quy trình"),
    )

    # What the request touches, for the inspectors' timeline (oversight.timeline): its data
    # categories ("c:salary"), the fields it changes ("f:records.employee.rank_code") and the
    # tables it adds to, changes or removes from ("m:records.salaryhistory"). Written on every
    # save from `kind` and `operations` (touched_tokens); a GIN index on PostgreSQL
    # (migration workflows 0016) makes "requests touching X" an index lookup.
    touched = models.JSONField(_("dữ liệu được thay đổi"), default=list, blank=True, editable=False)
    # The title without diacritics or case (tracking.vietnamese.search_key), written on every save
    # with `touched`: what the search box compares ("dieu dong" finds "Điều động …"). Derived, so
    # kept out of the history, whose sealed rows must keep their content (tracking.ledger).
    search_key = models.CharField(_("khoá tìm kiếm"), max_length=255, blank=True, default="", editable=False)

    history = HistoricalRecords(excluded_fields=["touched", "search_key"])

    class Meta:
        verbose_name = _("yêu cầu thay đổi")
        verbose_name_plural = _("yêu cầu thay đổi")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["status", "submitted_at"]),
            # The timeline walks (submitted_at, id) newest first (tracking.keyset), over
            # everything, or one unit's, one person's or one proposer's requests. The walk over
            # everything carries both units (PostgreSQL INCLUDE): a scope's check on them is
            # read from the index alone, no row fetched for requests outside the scope.
            models.Index(fields=["submitted_at", "id"], include=["unit", "target_unit"], name="cr_timeline_scope_idx"),
            models.Index(fields=["unit", "submitted_at", "id"], name="cr_timeline_unit_idx"),
            # The transfers a unit receives, newest first: the other range of a unit's timeline
            # (oversight.timeline.few_units). Transfers only, so a small index.
            models.Index(
                fields=["target_unit", "submitted_at", "id"],
                name="cr_timeline_target_idx",
                condition=models.Q(target_unit__isnull=False),
            ),
            models.Index(fields=["employee", "submitted_at", "id"], name="cr_timeline_employee_idx"),
            models.Index(fields=["submitted_by", "submitted_at", "id"], name="cr_timeline_proposer_idx"),
            # oversight.anomalies: the requests about a person by a given proposer (one's own file).
            models.Index(fields=["employee", "submitted_by"], name="cr_employee_submitter_idx"),
            # The approver's queue: one index range per approval unit, newest arrival first.
            models.Index(
                fields=["pending_unit", "-pending_since", "-id"],
                name="change_request_queue",
                condition=models.Q(status="submitted"),
            ),
            # The same queue in order of level, either way (workflows.list_pages.QUEUE_ORDERINGS):
            # one index range per unit too, instead of every waiting request read and sorted.
            models.Index(
                fields=["pending_unit", "current_level", "id"],
                name="change_request_queue_level",
                condition=models.Q(status="submitted"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="submitted", pending_since__isnull=False)
                | (~models.Q(status="submitted") & models.Q(pending_since__isnull=True)),
                name="pending_since_iff_submitted",
            )
        ]

    def __str__(self):
        return _("Yêu cầu #%(pk)s — %(title)s") % {"pk": self.pk, "title": self.title}

    DERIVED_FIELDS = ("touched", "search_key")

    def save(self, *args, **kwargs):
        self.derive_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = [*update_fields, *(f for f in self.DERIVED_FIELDS if f not in update_fields)]
        super().save(*args, **kwargs)

    def derive_fields(self) -> None:
        """The columns derived from the request's own values (`touched`, `search_key`): set by
        save(), and to be called by whatever writes requests without it (a bulk_create)."""
        self.touched = touched_tokens(kind=self.kind, operations=self.operations)
        self.search_key = title_search_key(self.title)

    def know_approval_units(self, units) -> None:
        """The units of the levels, when the caller has them all in hand (the submission: most
        levels are the managing unit or the receiving one), so approval_units need not read them."""
        by_pk = {unit.pk: unit for unit in units if unit is not None}
        key = tuple(level["unit"] for level in self.levels or ())
        if key and all(pk in by_pk for pk in key):
            self.__dict__["_approval_units"] = (key, [by_pk[pk] for pk in key])

    def approval_units(self) -> list:
        """The units whose approvers decide, in order, as resolved from the policy at submission
        (requests from before policies: the managing unit, then a transfer's receiving unit)."""
        from units.models import Unit

        if self.levels:
            # Asked several times a request (the rules, the levels shown, the transition): read
            # once per object and per set of levels, so a resubmission's new levels are read anew.
            key = tuple(level["unit"] for level in self.levels)
            cached = self.__dict__.get("_approval_units")
            if cached is None or cached[0] != key:
                by_pk = self._units_in_hand()
                missing = [pk for pk in key if pk not in by_pk]
                if missing:
                    by_pk.update(Unit.objects.in_bulk(missing))
                cached = self.__dict__["_approval_units"] = (key, [by_pk[pk] for pk in key])
            return list(cached[1])
        units = [self.unit]
        if self.kind == self.Kind.TRANSFER and self.target_unit_id:
            units.append(self.target_unit)
        return units

    def _units_in_hand(self) -> dict:
        """{pk: unit} of the units this object has read already (its unit, receiving unit,
        pending unit, its person's managing unit, when read with it): no query."""
        holders = [(self, "unit"), (self, "target_unit"), (self, "pending_unit")]
        if self._meta.get_field("employee").is_cached(self) and self.employee is not None:
            holders.append((self.employee, "managing_unit"))
        found = {}
        for holder, name in holders:
            unit = getattr(holder, name) if holder._meta.get_field(name).is_cached(holder) else None
            if unit is not None:
                found[unit.pk] = unit
        return found

    def level_count(self) -> int:
        """How many levels decide the request (without reading their units when they are stored)."""
        return len(self.levels) if self.levels else len(self.approval_units())

    def earlier_deciders(self) -> set:
        """Ids of everyone who decided an earlier level, or on whose behalf it was decided:
        none of them may decide this level (reads prefetched decisions when there are some)."""
        people = set()
        if self.current_level == 0:
            return people  # the first level has no earlier one: nothing to read
        for decision in self.decisions.all():
            if decision.level < self.current_level:
                people |= {decision.decided_by_id, decision.acting_for_id}
        return people - {None}

    def last_round_decisions(self) -> list:
        """Each level's decision since the request was last (re)submitted, in order: for an applied
        request, who approved it at every level (reads prefetched decisions when there are some)."""
        return [decision for decision in self.decisions.all() if decision.decided_at >= self.submitted_at]

    def level_labels(self) -> list[str]:
        from .policy import Level

        return [Level(level["level"]).label for level in self.levels] if self.levels else []


def title_search_key(title: str) -> str:
    """ChangeRequest.search_key of a title: tracking.vietnamese.search_key, cut to the column."""
    return vietnamese.search_key(title or "")[:255]


def touched_tokens(*, kind: str, operations) -> list[str]:
    """What a request touches, as ChangeRequest.touched stores it: "c:<category>" for each data
    category of the policy (workflows.policy.categories_of), "m:<model>" for each table it
    writes to and "f:<model>.<field>" for each field it sets."""
    operations = [op for op in operations or () if isinstance(op, dict) and op.get("model") and op.get("action")]
    tokens = {f"c:{category}" for category in categories_of(kind=kind, operations=operations)}
    for op in operations:
        tokens.add(f"m:{op['model']}")
        tokens.update(f"f:{op['model']}.{name}" for name in op.get("values") or {})
    return sorted(tokens)


class ApprovalPolicy(models.Model):
    """One version of the approval policy (workflows.policy); the newest is in force."""

    version = models.PositiveIntegerField(_("phiên bản"), unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người ban hành"),
    )
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    note = models.CharField(_("ghi chú, căn cứ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("chính sách phê duyệt")
        verbose_name_plural = _("chính sách phê duyệt")
        ordering = ["-version"]

    def __str__(self):
        return _("Chính sách phê duyệt phiên bản %(v)s") % {"v": self.version}


class PolicyRule(models.Model):
    """The ordered approval levels for one data category and one kind of unit (blank: any kind)."""

    policy = models.ForeignKey(
        ApprovalPolicy, on_delete=models.PROTECT, related_name="rules", verbose_name=_("chính sách")
    )
    category = models.CharField(_("loại dữ liệu"), max_length=24)
    unit_kind = models.CharField(_("loại đơn vị"), max_length=32, blank=True)
    levels = models.JSONField(_("các cấp phê duyệt"), default=list)

    class Meta:
        verbose_name = _("quy tắc phê duyệt")
        verbose_name_plural = _("quy tắc phê duyệt")
        ordering = ["category", "unit_kind"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "category", "unit_kind"], name="one_rule_per_category_and_kind")
        ]

    def __str__(self):
        kind = self.unit_kind or _("mọi loại đơn vị")
        return f"{self.category} · {kind} (v{self.policy.version})"


class ApprovalDecision(models.Model):
    """One approver's decision at one level of a request: the trail of who approved what, when."""

    HASH_CHAINED = True  # append-only, in a hash chain (tracking.ledger)

    change_request = models.ForeignKey(
        ChangeRequest, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("yêu cầu thay đổi")
    )

    class Decision(models.TextChoices):
        APPROVE = "approve", _("Phê duyệt")
        RETURN = "return", _("Trả lại để chỉnh sửa")
        REJECT = "reject", _("Từ chối")

    level = models.PositiveSmallIntegerField(_("cấp"))
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    decision = models.CharField(_("quyết định"), max_length=16, choices=Decision.choices)
    comment = models.TextField(_("ý kiến"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người quyết định")
    )
    acting_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("thay cho"),
        help_text=_("Người phê duyệt đã uỷ quyền, khi quyết định theo uỷ quyền."),
    )
    delegation = models.ForeignKey(
        "workflows.Delegation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uỷ quyền"),
    )
    decided_at = models.DateTimeField(_("thời điểm"))

    class Meta:
        verbose_name = _("ý kiến phê duyệt")
        verbose_name_plural = _("ý kiến phê duyệt")
        ordering = ["decided_at", "pk"]
        # The timeline's approver filter (oversight.timeline): from one person's decisions, or
        # those taken on their behalf, to the requests, from the index alone.
        indexes = [
            models.Index(fields=["decided_by", "change_request"], name="decision_timeline_by_idx"),
            models.Index(fields=["acting_for", "change_request"], name="decision_timeline_for_idx"),
        ]

    def __str__(self):
        return f"{self.change_request_id} · {self.level} · {self.decision}"


Decision = ApprovalDecision.Decision  # the one enum of what an approver may decide


class EscalationRung(models.Model):
    """One rung of the reminder and escalation ladder of one level of a policy version: once the
    request has waited at that level `after_working_days` working days more than at the rung
    before (the first rung: since it reached the level), it goes to `target`. Counted with the
    working-day calendar (workdays.calendar); targets are derived from the tree
    (workflows.escalation)."""

    class Target(models.TextChoices):
        LEVEL_APPROVERS = "level_approvers", _("Nhắc người phê duyệt của cấp")
        LEADER = "leader", _("Lãnh đạo đơn vị của cấp")
        PARENT_APPROVERS = "parent_approvers", _("Người phê duyệt của đơn vị cấp trên")

    policy = models.ForeignKey(
        ApprovalPolicy, on_delete=models.CASCADE, related_name="escalation_rungs", verbose_name=_("chính sách")
    )
    level = models.CharField(_("cấp phê duyệt"), max_length=24, choices=Level.choices)
    step = models.PositiveSmallIntegerField(_("bước"))
    after_working_days = models.PositiveSmallIntegerField(
        _("sau số ngày làm việc"),
        help_text=_("Tính từ bước trước; bước đầu tiên: từ khi yêu cầu đến cấp này."),
    )
    target = models.CharField(_("chuyển đến"), max_length=24, choices=Target.choices)

    class Meta:
        verbose_name = _("bước nhắc, chuyển cấp")
        verbose_name_plural = _("bước nhắc, chuyển cấp")
        ordering = ["policy", "level", "step"]
        constraints = [models.UniqueConstraint(fields=["policy", "level", "step"], name="one_rung_per_level_and_step")]

    def __str__(self):
        return f"{self.get_level_display()} · {self.step} · {self.after_working_days} · {self.get_target_display()}"


class Escalation(models.Model):
    """A request that waited too long at one level was taken to someone (a rung of the ladder),
    once per waiting (the approval task) and rung: the sweep may run any number of times."""

    change_request = models.ForeignKey(
        ChangeRequest, on_delete=models.PROTECT, related_name="escalations", verbose_name=_("yêu cầu thay đổi")
    )
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="+", verbose_name=_("công việc"))
    level = models.PositiveSmallIntegerField(_("cấp"))
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    step = models.PositiveSmallIntegerField(_("bước"))
    target = models.CharField(_("chuyển đến"), max_length=24, choices=EscalationRung.Target.choices)
    escalated_to = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="escalations_received", blank=True, verbose_name=_("người nhận")
    )
    at = models.DateTimeField(_("thời điểm"))
    reason = models.TextField(_("lý do"))

    class Meta:
        verbose_name = _("chuyển cấp do quá hạn")
        verbose_name_plural = _("chuyển cấp do quá hạn")
        ordering = ["at", "pk"]
        constraints = [models.UniqueConstraint(fields=["task", "step"], name="one_escalation_per_task_and_step")]

    def __str__(self):
        return f"{self.change_request_id} · {self.level} · {self.step}"


class DelegationQuerySet(models.QuerySet):
    def active(self, on=None):
        """Delegations in force on `on` (today): they start and expire by themselves."""
        from django.utils import timezone

        on = on or timezone.localdate()
        return self.filter(valid_from__lte=on, valid_to__gte=on, revoked_at__isnull=True)


class Delegation(models.Model):
    """An approver hands their approvals to a named colleague for a date range (uỷ quyền).
    The colleague decides "acting for" the approver; never on a request of their own."""

    delegator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="delegations_given",
        verbose_name=_("người uỷ quyền"),
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="delegations_received",
        verbose_name=_("người được uỷ quyền"),
    )
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến hết ngày"))
    reason = models.CharField(_("lý do"), max_length=255)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("thời điểm thu hồi"), null=True, blank=True)

    objects = DelegationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("uỷ quyền phê duyệt")
        verbose_name_plural = _("uỷ quyền phê duyệt")
        ordering = ["-valid_from", "-pk"]
        indexes = [models.Index(fields=["delegate", "valid_from", "valid_to"])]

    def __str__(self):
        return _("%(who)s uỷ quyền cho %(to)s, %(start)s–%(end)s") % {
            "who": self.delegator,
            "to": self.delegate,
            "start": self.valid_from.strftime("%d/%m/%Y") if self.valid_from else "…",
            "end": self.valid_to.strftime("%d/%m/%Y") if self.valid_to else "…",
        }

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.delegator_id and self.delegator_id == self.delegate_id:
            errors["delegate"] = [_("Không thể uỷ quyền cho chính mình.")]
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = [_("Ngày kết thúc phải sau ngày bắt đầu.")]
        if self.valid_from and self.valid_to and (self.valid_to - self.valid_from).days > 366:
            errors["valid_to"] = [_("Mỗi lần uỷ quyền không quá một năm.")]
        if errors:
            raise ValidationError(errors)


class ImportBatch(models.Model):
    """An uploaded xlsx file of employees for one unit: validated as a whole, then carried
    to approval as one change request, then applied all-or-nothing."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ kiểm tra")
        VALIDATING = "validating", _("Đang kiểm tra")
        INVALID = "invalid", _("Có lỗi, không nhập")
        SUBMITTED = "submitted", _("Chờ phê duyệt")
        APPLYING = "applying", _("Đang nhập")
        APPLIED = "applied", _("Đã nhập")
        REJECTED = "rejected", _("Không được phê duyệt")
        FAILED = "failed", _("Lỗi khi nhập")

    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="import_batches", verbose_name=_("đơn vị")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người tải lên")
    )
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)
    file = models.FileField(_("tệp"), upload_to="imports/%Y/%m/")
    file_name = models.CharField(_("tên tệp"), max_length=255)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    reason = models.TextField(_("lý do"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(_("số dòng"), default=0)
    rows_done = models.PositiveIntegerField(_("số dòng đã xử lý"), default=0)
    errors = models.JSONField(_("lỗi"), default=list, blank=True)
    summary = models.JSONField(_("tổng hợp"), default=dict, blank=True)
    change_request = models.OneToOneField(
        ChangeRequest,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="import_batch",
        verbose_name=_("yêu cầu thay đổi"),
    )

    class Meta:
        verbose_name = _("lượt nhập dữ liệu")
        verbose_name_plural = _("lượt nhập dữ liệu")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return f"{self.file_name} ({self.unit})"

    @property
    def progress_percent(self) -> int:
        return percent(self.rows_done, self.rows_total)


class ChangeRequestProcess(Process):
    """viewflow's process row, seen through the change request it carries."""

    objects = ScopedProcessQuerySet.as_manager()

    class Meta:
        proxy = True
        ordering = ["-created"]
        verbose_name = _("quy trình thay đổi hồ sơ")
        verbose_name_plural = _("quy trình thay đổi hồ sơ")


class ChangeRequestTask(Task):
    """viewflow's task row, with querysets scoped by the user's units."""

    objects = TaskManager()

    class Meta:
        proxy = True
        ordering = ["-created"]
        verbose_name = _("công việc")
        verbose_name_plural = _("công việc")


class DueTask(models.Model):
    """Work a due item (duedates.DueItem) gives the officers of the person's managing unit
    (workflows.due_work keeps these rows in step with the due items): a draft request, pre-filled,
    for a regular salary step or a beyond-last-step increment, which an officer completes and
    submits; or a retirement notice or decision, a contract's end notice or a probation's
    assessment to issue by its deadline. One per person, kind
    and due date: a refresh that finds the same due item again finds its task."""

    class Kind(models.TextChoices):
        SALARY_STEP = "salary_step", _("Dự thảo nâng bậc lương thường xuyên")
        BEYOND_LAST_STEP = "beyond_last_step", _("Dự thảo nâng phụ cấp thâm niên vượt khung")
        RETIREMENT_NOTICE = "retirement_notice", _("Thông báo nghỉ hưu")
        RETIREMENT_DECISION = "retirement_decision", _("Quyết định nghỉ hưu")
        CONTRACT_END = "contract_end", _("Thông báo hết hạn hợp đồng lao động")
        PROBATION_END = "probation_end", _("Đánh giá kết quả tập sự, thử việc")

    DRAFT_KINDS = (Kind.SALARY_STEP, Kind.BEYOND_LAST_STEP)

    class Status(models.TextChoices):
        OPEN = "open", _("Chờ xử lý")
        SUBMITTED = "submitted", _("Đã gửi đề xuất")
        DONE = "done", _("Đã hoàn thành")
        OBSOLETE = "obsolete", _("Không còn đến hạn")

    employee = models.ForeignKey(
        "records.Employee", on_delete=models.CASCADE, related_name="due_tasks", verbose_name=_("cán bộ")
    )
    kind = models.CharField(_("loại việc"), max_length=24, choices=Kind.choices)
    due_date = models.DateField(_("ngày đến hạn"), help_text=_("Ngày hưởng bậc mới; với nghỉ hưu: thời điểm nghỉ hưu."))
    deadline = models.DateField(_("hạn xử lý"))
    # A draft's proposal as computed when the task was made: the new salary-history row (rank,
    # step, coefficient from the table in force, effective date) or the new allowance percent.
    values = models.JSONField(_("nội dung dự thảo"), default=dict, blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    closed_at = models.DateTimeField(_("thời điểm kết thúc"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người xử lý"),
    )
    reference = models.CharField(_("số văn bản"), max_length=128, blank=True)
    change_request = models.ForeignKey(
        ChangeRequest,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="due_tasks",
        verbose_name=_("yêu cầu thay đổi"),
    )

    class Meta:
        verbose_name = _("việc đến hạn của cán bộ tổ chức")
        verbose_name_plural = _("việc đến hạn của cán bộ tổ chức")
        ordering = ["deadline", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "kind", "due_date"], name="one_due_task_per_item_and_date")
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="due_task_open")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.employee_id} · {self.due_date:%d/%m/%Y}"

    @property
    def is_draft(self) -> bool:
        return self.kind in self.DRAFT_KINDS
