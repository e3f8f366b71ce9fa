"""The nightly check of the hash chains (tracking.ledger): the result and the chains' heads are
emailed to the ministry's administrators and inspectors, and the heads sent are kept
(tracking.SentHead), so a later check finds a chain rewritten from some row on: an earlier head
no longer lies on it. The recipients keep the emails; `verify_history --token` checks a head
from one of them even if the table of heads sent was rewritten too."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from tracking.ledger import head_token, verify
from tracking.models import SentHead
from units.models import Role, RoleGrant

SHOWN_BREAKS = 200  # the email names this many broken links; verify_history names them all


def history_auditors() -> list:
    """Whoever holds an active administrator or inspector grant on the ministry (a root unit), with
    an email address; the superusers when there is no one."""
    grants = RoleGrant.objects.active().filter(role__in=[Role.UNIT_ADMIN, Role.INSPECTOR], unit__depth=1)
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    found = users.filter(pk__in=grants.values("user_id"))
    if not found.exists():
        found = users.filter(Q(is_superuser=True))
    return list(found.order_by("username"))


def check_history_chains(now=None) -> dict:
    """Verify every chain, email the result and today's heads, keep the heads sent."""
    now = now or timezone.now()
    report = verify()
    token = head_token(report.heads)
    recipients = history_auditors()
    with override(settings.LANGUAGE_CODE):
        day = timezone.localtime(now).strftime("%d/%m/%Y")
        if report.ok:
            subject = _("Kiểm tra chuỗi băm lịch sử ngày %(day)s: nguyên vẹn") % {"day": day}
            lines = [_("Mọi chuỗi băm nguyên vẹn.")]
        else:
            subject = _("CẢNH BÁO: chuỗi băm lịch sử bị phá vỡ (%(day)s, %(n)s lỗi)") % {
                "day": day,
                "n": len(report.breaks),
            }
            lines = [_("Các mắt xích bị phá vỡ:")] + [f"- {b}" for b in report.breaks[:SHOWN_BREAKS]]
            if len(report.breaks) > SHOWN_BREAKS:
                lines.append(
                    _("… và %(n)s lỗi khác (xem manage.py verify_history).") % {"n": len(report.breaks) - SHOWN_BREAKS}
                )
        lines += [
            "",
            _("Đã kiểm tra %(rows)s dòng của %(chains)s chuỗi.") % {"rows": report.rows, "chains": len(report.heads)},
            _('Mã đầu chuỗi hôm nay (hãy lưu email này; đối chiếu sau bằng manage.py verify_history --token "<mã>"):'),
            token,
        ]
    if recipients:
        EmailMessage(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [u.email for u in recipients]).send()
    heads = {table: [seq, bytes(h).hex()] for table, (_chain, seq, h) in report.heads.items()}
    SentHead.objects.create(sent_at=now, token=token, heads=heads, recipients=[u.username for u in recipients])
    return {"ok": report.ok, "breaks": len(report.breaks), "rows": report.rows, "token": token}
