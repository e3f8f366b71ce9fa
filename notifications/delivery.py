"""Sending one email of an outbox row (a Digest, or a Notification's immediate email) so that a
crash at any moment neither loses it nor sends it twice, as far as SMTP allows.

1. **Claim**, in a transaction of its own (committed): the row gets a fresh token unless it is
   sent, or claimed less than EMAIL_CLAIM_SECONDS ago (a sender is at work; if it died, the
   hourly sweep queues the row again once the claim is stale). Two workers holding the same task
   (a redelivery, two beats) cannot both pass this point within the claim's life.
2. **Open the SMTP transaction**: MAIL FROM, RCPT TO, DATA and the whole message, all but the
   final "." that tells the server to deliver. Until that dot, dropping the connection makes the
   server discard the message (RFC 5321 §4.1.1.4).
3. **Mark** `sent_at`, in a committed transaction, only if the row still carries our token (a
   sender whose claim went stale and was taken over marks nothing and drops its connection).
4. **Send the dot**, unless the server hung up meanwhile (it has not taken the message: the
   mark is reverted and the task retries), and read the reply. Accepted: `confirmed_at`.
   Refused (4xx/5xx): the mark is reverted and the task retries. Any failure before the dot:
   the mark (if made) is reverted, the connection dropped, nothing delivered.

What remains (the README says it too): a death between the commit of step 3 and the server's
receiving the dot (microseconds: one write of three bytes), or the server failing after it got
the dot but before it really queued the message, leaves a row marked sent but not confirmed,
whose email may or may not have gone out. A digest is then *not* sent again (exactly once per
day, except that such a digest may be lost); an immediate email is sent again after the claim
goes stale, with the same Message-ID (at least once; mail systems drop a repeated Message-ID).

Backends other than SMTP (the file, console and in-memory backends of development and tests) go
through the same claim, mark and confirm, with the backend's send in place of the dot.
"""

import re
import select
import smtplib
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone

from .models import Digest, Notification


@dataclass(frozen=True)
class Outbox:
    """A model whose rows are emails, and the prefix of its delivery columns."""

    model: type
    prefix: str
    resend_unconfirmed: bool  # at least once (True) or at most once once marked (False)

    def col(self, name: str) -> str:
        return self.prefix + name


DIGESTS = Outbox(Digest, "", resend_unconfirmed=False)
IMMEDIATE = Outbox(Notification, "email_", resend_unconfirmed=True)


class Refused(Exception):
    """The server refused the message at the dot (after our mark, now reverted)."""


class Unconfirmed(Exception):
    """The connection failed after the dot was sent: delivered or not, nobody knows."""


def checkpoint(point: str) -> None:
    """A named point of the send ("claimed", "data_sent", "marking", "marked", "dot_sent") where
    the fault tests make the process die; nothing happens here otherwise."""


def claim_seconds() -> int:
    return settings.EMAIL_CLAIM_SECONDS


def claim(outbox: Outbox, pk: int, *, now=None):
    """Step 1: a new token for the row if it may be sent now, else None."""
    now = now or timezone.now()
    c = outbox.col
    with transaction.atomic():
        row = (
            outbox.model.objects.select_for_update()
            .filter(pk=pk)
            .values(c("sent_at"), c("confirmed_at"), c("claimed_at"))
            .first()
        )
        if row is None or row[c("confirmed_at")] is not None:
            return None
        if row[c("sent_at")] is not None and not outbox.resend_unconfirmed:
            return None
        claimed_at = row[c("claimed_at")]
        if claimed_at is not None and claimed_at > now - timezone.timedelta(seconds=claim_seconds()):
            return None
        token = uuid.uuid4()
        outbox.model.objects.filter(pk=pk).update(
            **{c("claim_token"): token, c("claimed_at"): now, c("attempts"): F(c("attempts")) + 1, c("sent_at"): None}
        )
    return token


def _mark(outbox: Outbox, pk: int, token) -> bool:
    """Step 3: sent_at, committed, if our claim still holds."""
    c = outbox.col
    checkpoint("marking")
    with transaction.atomic():
        marked = outbox.model.objects.filter(pk=pk, **{c("claim_token"): token, c("sent_at") + "__isnull": True})
        return marked.update(**{c("sent_at"): timezone.now()}) == 1


def _confirm(outbox: Outbox, pk: int, token) -> None:
    c = outbox.col
    outbox.model.objects.filter(pk=pk, **{c("claim_token"): token}).update(
        **{c("confirmed_at"): timezone.now(), c("last_error"): ""}
    )


def _release(outbox: Outbox, pk: int, token, error: str) -> None:
    """Undo our mark and claim: nothing went out; the next attempt may claim at once."""
    c = outbox.col
    outbox.model.objects.filter(pk=pk, **{c("claim_token"): token}).update(
        **{c("sent_at"): None, c("claim_token"): None, c("claimed_at"): None, c("last_error"): error[:500]}
    )


def _note_unconfirmed(outbox: Outbox, pk: int, token, error: str) -> None:
    c = outbox.col
    outbox.model.objects.filter(pk=pk, **{c("claim_token"): token}).update(**{c("last_error"): error[:500]})


def _bookkeep(write, *args) -> None:
    """A write of the send's outcome (confirmed, released, the error noted): if the database
    connection was lost meanwhile (killed, the server restarted), once more on a new connection,
    so that a lost connection alone neither leaves a delivered email "unconfirmed" nor holds a
    claim for nothing until it goes stale. Within a caller's transaction nothing is retried."""
    try:
        write(*args)
    except (OperationalError, InterfaceError):
        if connection.in_atomic_block:
            raise
        connection.close()
        write(*args)


def deliver(outbox: Outbox, pk: int, build) -> bool:
    """Send the row's email once; `build(pk)` returns the EmailMessage (None: nothing to send,
    the row is closed as sent). Returns whether this call delivered it. Raises on a failure to
    retry (the row released first)."""
    token = claim(outbox, pk)
    if token is None:
        return False
    checkpoint("claimed")
    try:
        message = build(pk)
        if message is None:
            if _mark(outbox, pk, token):
                _bookkeep(_confirm, outbox, pk, token)
            return False
        _transmit(message, mark=lambda: _mark(outbox, pk, token))
    except Unconfirmed as exc:
        _bookkeep(_note_unconfirmed, outbox, pk, token, str(exc))
        raise
    except _Superseded:
        return False
    except Exception as exc:
        _bookkeep(_release, outbox, pk, token, f"{type(exc).__name__}: {exc}")
        raise
    _bookkeep(_confirm, outbox, pk, token)
    return True


class _Superseded(Exception):
    """Our claim was taken over (it went stale): the other sender owns the row."""


def _transmit(message, *, mark) -> None:
    connection = get_connection()
    if not isinstance(connection, SMTPBackend):
        if not mark():
            raise _Superseded()
        checkpoint("marked")
        connection.send_messages([message])
        return
    _transmit_smtp(connection, message, mark=mark)


_EOL = re.compile(rb"(?:\r\n|\n|\r(?!\n))")
_LEADING_DOT = re.compile(rb"(?m)^\.")


def _transmit_smtp(backend: SMTPBackend, message, *, mark) -> None:
    """Steps 2–4 on one SMTP connection: everything but the dot, the mark, the dot."""
    backend.open()
    smtp = backend.connection
    dot_sent = False
    try:
        sender = message.from_email
        recipients = message.recipients()
        data = message.message().as_bytes(linesep="\r\n")
        smtp.ehlo_or_helo_if_needed()
        code, reply = smtp.mail(sender)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, reply, sender)
        for address in recipients:
            code, reply = smtp.rcpt(address)
            if code not in (250, 251):
                raise smtplib.SMTPRecipientsRefused({address: (code, reply)})
        smtp.putcmd("data")
        code, reply = smtp.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        body = _LEADING_DOT.sub(b"..", _EOL.sub(b"\r\n", data))
        if not body.endswith(b"\r\n"):
            body += b"\r\n"
        smtp.send(body)
        checkpoint("data_sent")
        if not mark():
            raise _Superseded()
        checkpoint("marked")
        if _server_gone(smtp.sock):
            raise smtplib.SMTPServerDisconnected("the server closed the connection before the final dot")
        smtp.send(b".\r\n")
        dot_sent = True
        checkpoint("dot_sent")
        try:
            code, reply = smtp.getreply()
        except (OSError, smtplib.SMTPException) as exc:
            raise Unconfirmed(f"{type(exc).__name__}: {exc}") from exc
        if code != 250:
            raise Refused(f"{code} {reply.decode(errors='replace')}")
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            pass  # delivered; the goodbye does not matter
    finally:
        if not dot_sent or smtp.sock is not None:
            _drop(smtp)
        backend.connection = None


def _server_gone(sock) -> bool:
    """Whether the server hung up (or spoke unasked, say a 421) while we held back the dot: it
    is not waiting for it, so it has not taken the message, and the mark may be reverted. Sent
    into a closed connection, the dot would go out "successfully" and only the reply fail, and
    a digest that was never delivered would be taken for one that might have been."""
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


def _drop(smtp) -> None:
    """Close the socket without QUIT: in the middle of DATA a QUIT would be part of the message."""
    try:
        smtp.close()
    except OSError:
        pass


def message_id(kind: str, *parts) -> str:
    """A Message-ID fixed by what the email is (a person's digest of a day, one notification),
    so a copy sent again is the same message to every mail system that deduplicates."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    return f"<qlcb-{kind}-{'-'.join(str(p) for p in parts)}@{domain}>"
