"""SMTP servers on 127.0.0.1 for the fault suite: a sink that can be stopped and started again
on its port (aiosmtpd), and a tiny raw server that drops the connection at a chosen moment of
DATA (which aiosmtpd cannot: it hands a message over only once the final dot is in)."""

import asyncio
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """What the server accepted: envelopes with `rcpt_tos` and `content`."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    def add(self, envelope):
        with self.lock:
            self.messages.append(envelope)

    def per_recipient(self) -> Counter:
        with self.lock:
            return Counter(rcpt for m in self.messages for rcpt in m.rcpt_tos)

    def wait_for(self, count, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.5)
        with self.lock:
            return list(self.messages)


class RestartableSink(Inbox):
    """aiosmtpd on a fixed port; `stop()` makes the port refuse connections, `start()` opens it
    again (the worker's EMAIL_URL names the port once)."""

    def __init__(self, port=None):
        super().__init__()
        self.port = port or free_port()
        self.controller = None

    async def handle_DATA(self, server, session, envelope):
        self.add(envelope)
        return "250 Message accepted for delivery"

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@dataclass
class Envelope:
    mail_from: str = ""
    rcpt_tos: list = field(default_factory=list)
    content: bytes = b""


class DroppingServer(Inbox):
    """A minimal SMTP server that, for the first `drops` messages, drops the connection:
    - "in_data": right after its 354 reply to DATA, before the message and its final dot
      (RFC 5321: the server discards it; the client must send it again);
    - "after_dot_kept": once the dot is in, the message kept, no reply (delivered, unconfirmed);
    - "after_dot_lost": once the dot is in, the message discarded, no reply (the server died).
    Otherwise it accepts every message with 250."""

    def __init__(self, mode: str, drops: int):
        super().__init__()
        assert mode in ("in_data", "after_dot_kept", "after_dot_lost")
        self.mode, self.drops, self.dropped = mode, drops, 0
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.server = None
        self.hung_up = threading.Event()  # set when an "in_data" drop has happened

    def start(self):
        self.thread.start()
        started = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._session, "127.0.0.1", self.port), self.loop
        )
        self.server = started.result(timeout=10)

    def stop(self):
        async def close():
            self.server.close()

        asyncio.run_coroutine_threadsafe(close(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)

    def _take_drop(self) -> bool:
        with self.lock:
            if self.dropped < self.drops:
                self.dropped += 1
                return True
            return False

    async def _session(self, reader, writer):
        def reply(line):
            writer.write(line.encode() + b"\r\n")

        envelope = Envelope()
        try:
            reply("220 127.0.0.1 fault-test ESMTP")
            while True:
                line = await reader.readline()
                if not line:
                    return
                verb = line.decode(errors="replace").strip().split(" ", 1)[0].upper()
                if verb in ("EHLO", "HELO"):
                    reply("250 127.0.0.1")
                elif verb == "MAIL":
                    envelope = Envelope(mail_from=line.decode().split(":", 1)[1].strip(" <>\r\n"))
                    reply("250 OK")
                elif verb == "RCPT":
                    envelope.rcpt_tos.append(line.decode().split(":", 1)[1].strip(" <>\r\n"))
                    reply("250 OK")
                elif verb == "DATA":
                    reply("354 End data with <CR><LF>.<CR><LF>")
                    await writer.drain()
                    if not await self._data(reader, writer, envelope):
                        return
                elif verb == "QUIT":
                    reply("221 Bye")
                    await writer.drain()
                    return
                elif verb in ("RSET", "NOOP"):
                    reply("250 OK")
                else:
                    reply("502 Command not implemented")
                await writer.drain()
        except (ConnectionError, OSError):
            return
        finally:
            writer.close()

    async def _data(self, reader, writer, envelope) -> bool:
        """Read the message up to its dot; False when the connection is to be dropped."""
        drop = self._take_drop()
        if drop and self.mode == "in_data":
            writer.transport.abort()  # mid-transaction: the dot never arrives here
            # abort() closes the socket on the loop's next turn (call_soon): told after that, so
            # whoever waits on hung_up finds the connection really closed.
            asyncio.get_running_loop().call_soon(self.hung_up.set)
            return False
        lines = []
        while True:
            line = await reader.readline()
            if not line:
                return False
            if line == b".\r\n":
                break
            lines.append(line[1:] if line.startswith(b"..") else line)
        envelope.content = b"".join(lines)
        if drop:
            if self.mode == "after_dot_kept":
                self.add(envelope)
            writer.transport.abort()  # no reply to the dot
            return False
        self.add(envelope)
        writer.write(b"250 OK queued\r\n")
        return True
