"""The read-access log: every read of a person's file and every export, written in the request
that reads; the entries a reader may browse (records.permissions decides whose); and the alert
when one account reads more records in an hour than READ_ALERT_PER_HOUR."""

import datetime
import ipaddress
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, IntegerField, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.clients import client_ip
from units.models import Role, RoleGrant, Unit
from units.scope import active_grants

from .models import AccessLog, Employee, ExportLog, ReadAlert
from .permissions import access_log_q
from .signals import read_alert_raised

READ_WINDOW = timedelta(hours=1)


# --- writing the log -------------------------------------------------------------------------


def log_read(
    *,
    user,
    kind: str,
    request,
    employee: Employee | None = None,
    export: ExportLog | None = None,
    row_count: int = 1,
    name: str = "",
) -> AccessLog:
    """Log one read: a person's file (`employee`), a person not yet on file (`name`, e.g. a
    proposed new hire) or an export of `row_count` records. One
    INSERT, which also counts the account's reads in the trailing hour; past the threshold,
    the hour's alert is recorded and its email queued."""
    at = timezone.now()
    records = 1 if employee is not None else row_count
    # No full_clean(): every value comes from the code, not from a form, and validating the
    # foreign keys would cost a SELECT each on every page that reads a file.
    log = AccessLog(
        user=user,
        at=at,
        kind=kind,
        employee=employee,
        employee_name=(employee.full_name if employee is not None else name)[:128],
        export=export,
        row_count=records,
        reads_in_hour=_reads_in_hour(user=user, at=at, employee=employee, adding=records),
        path=request.get_full_path()[:500],
        ip_address=client_address(request),
    )
    log.save()
    if not isinstance(log.reads_in_hour, int):  # a database without INSERT … RETURNING
        log.refresh_from_db(fields=["reads_in_hour"])
    if log.reads_in_hour > settings.READ_ALERT_PER_HOUR:
        raise_read_alert(user=user, at=at, read_count=log.reads_in_hour)
    return log


def _reads_in_hour(*, user, at, employee, adding: int):
    """The records `user` has read in the hour up to `at`, this read included, as an SQL
    expression the INSERT evaluates: distinct files, plus the rows of exports."""
    recent = AccessLog.objects.filter(user=user, at__gt=at - READ_WINDOW, at__lte=at).order_by().values("user")
    files = recent.filter(employee__isnull=False)
    if employee is not None:
        files = files.exclude(employee=employee)  # this file is counted once, in `adding`
    files = files.annotate(n=Count("employee", distinct=True)).values("n")
    exported = recent.filter(employee__isnull=True).annotate(n=Sum("row_count")).values("n")
    return (
        Coalesce(Subquery(files, output_field=IntegerField()), 0)
        + Coalesce(Subquery(exported, output_field=IntegerField()), 0)
        + Value(adding)
    )


def client_address(request) -> str | None:
    """The client's IP as the logs store it (proxies honoured), or None if it is not one."""
    try:
        return str(ipaddress.ip_address(client_ip(request)))
    except ValueError:
        return None


def raise_read_alert(*, user, at: datetime.datetime, read_count: int) -> ReadAlert | None:
    """Record the alert of `user`'s clock hour and announce it (notifications emails it); None when the hour
    already has one, so an account reading on past the threshold is reported once an hour."""
    hour = at.astimezone(datetime.UTC).replace(minute=0, second=0, microsecond=0)
    if ReadAlert.objects.filter(user=user, hour=hour).exists():
        return None
    alert = ReadAlert(
        user=user, hour=hour, triggered_at=at, read_count=read_count, threshold=settings.READ_ALERT_PER_HOUR
    )
    alert.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            alert.save()
    except IntegrityError:
        return None  # another request of the same account recorded it first
    read_alert_raised.send(sender=ReadAlert, alert=alert)  # notifications queues the email
    return alert


# --- reading the log -------------------------------------------------------------------------


def list_access_log(
    *,
    user,
    username: str = "",
    employee: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet:
    """Log entries `user` may see (records.permissions.access_log_q), newest first. Filters:
    username, employee name or CCCD, dates (local, inclusive)."""
    queryset = AccessLog.objects.filter(access_log_q(user)).select_related("user", "export").order_by("-at", "-pk")
    username = username.strip()
    if username:
        queryset = queryset.filter(user__username__iexact=username)
    employee = employee.strip()
    if employee:
        if employee.isdigit():
            queryset = queryset.filter(employee__citizen_id__startswith=employee)
        else:
            queryset = queryset.filter(employee_name__icontains=employee)
    if date_from:
        queryset = queryset.filter(at__gte=_local_midnight(date_from))
    if date_to:
        queryset = queryset.filter(at__lt=_local_midnight(date_to + timedelta(days=1)))
    return queryset


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def summarise_reads(*, user, since: datetime.datetime, until: datetime.datetime, limit: int = 10) -> dict:
    """What `user` read between `since` and `until`: the files read most often and the
    exports, for the alert email."""
    entries = list(
        AccessLog.objects.filter(user=user, at__gt=since, at__lte=until).select_related("export").order_by("at", "pk")
    )
    files = Counter(e.employee_name for e in entries if e.employee_id is not None)
    return {
        "files": files.most_common(limit),
        "file_count": len({e.employee_id for e in entries if e.employee_id is not None}),
        "exports": [e for e in entries if e.employee_id is None][:limit],
        "exported_rows": sum(e.row_count for e in entries if e.employee_id is None),
    }


def list_read_alert_recipients(*, user) -> list:
    """Who is told about `user`'s reading: for each unit where `user` holds a grant, the unit
    administrators of that unit or, if it has none, of its nearest ancestor that has; the
    superusers when that finds no one. Only active accounts with an email address, never
    `user` themself."""
    User = get_user_model()
    reader_paths = {path for _unit, path, _role in active_grants(user)}
    ancestry = {
        path: [path[:end] for end in range(len(path), 0, -Unit.steplen)] for path in reader_paths
    }  # nearest first
    admins_by_path: dict[str, set[int]] = {}
    grants = (
        RoleGrant.objects.active()
        .filter(
            role=Role.UNIT_ADMIN,
            unit__path__in={p for paths in ancestry.values() for p in paths},
            user__is_active=True,
        )
        .exclude(user=user)
        .exclude(user__email="")
        .values_list("unit__path", "user_id")
    )
    for path, user_id in grants:
        admins_by_path.setdefault(path, set()).add(user_id)
    recipient_ids = set()
    for paths in ancestry.values():
        nearest = next((p for p in paths if p in admins_by_path), None)
        if nearest is not None:
            recipient_ids |= admins_by_path[nearest]
    if recipient_ids:
        recipients = User.objects.filter(pk__in=recipient_ids)
    else:
        recipients = User.objects.filter(is_superuser=True, is_active=True).exclude(pk=user.pk).exclude(email="")
    return list(recipients.order_by("username"))
