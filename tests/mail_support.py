"""A real SMTP server for the tests (aiosmtpd on a local socket), and helpers to read mail."""

from __future__ import annotations

import socket
import threading
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """aiosmtpd handler that keeps every message it accepts."""

    def __init__(self):
        self._lock = threading.Lock()
        self._messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = message_from_bytes(envelope.content, policy=default)
        with self._lock:
            self._messages.append(message)
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[EmailMessage]:
        with self._lock:
            return list(self._messages)

    def clear(self) -> None:
        with self._lock:
            self._messages.clear()

    def to(self, address: str) -> list[EmailMessage]:
        """Messages addressed to ``address``."""
        return [m for m in self.messages if address in m["To"]]


class RefusingMailbox(Mailbox):
    """A server that is up but refuses every recipient (550)."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        return "550 5.7.1 Relaying denied"


def start_server(handler: Mailbox) -> tuple[Controller, int]:
    """Start ``handler`` on a free local port; returns the controller (``.stop()``) and port."""
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, port


def body(message: EmailMessage, kind: str = "plain") -> str:
    """The text/plain or text/html part of a multipart message."""
    part = message.get_body(preferencelist=(kind,))
    assert part is not None and part.get_content_type() == f"text/{kind}", kind
    return part.get_content()
