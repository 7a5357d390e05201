"""Handing a finished message on: to an SMTP server (aiosmtplib), or, with none set, to an
.eml file under the data dir so the whole flow can be tried on one machine."""

from __future__ import annotations

import asyncio
import logging
import secrets
import ssl
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

import aiosmtplib

from node.config import Config

log = logging.getLogger("townhall.mail")

SMTP_TIMEOUT_SECONDS = 30.0
OUTBOX_FOLDER = "mail-outbox"


class TemporaryFailure(Exception):
    """The message could not be handed on now; try again later."""


class PermanentFailure(Exception):
    """The server refused the message for good (an unknown or refused recipient)."""


class Transport(Protocol):
    async def send(self, recipient: str, message: bytes) -> None:
        """Hand `message` on for `recipient`, or raise TemporaryFailure or PermanentFailure."""
        ...


class SmtpTransport:
    """One SMTP connection a message, with TLS as the URL says and login when it holds one."""

    def __init__(self, smtp_url: str, sender: str) -> None:
        parts = urlsplit(smtp_url)
        self._sender = sender
        self._host = parts.hostname or ""
        self._implicit_tls = parts.scheme == "smtps"
        self._port = parts.port or (465 if self._implicit_tls else 25)
        self._require_starttls = parts.scheme == "smtp+starttls"
        self._username = unquote(parts.username) if parts.username else None
        self._password = unquote(parts.password) if parts.password else None
        # made once: loading the system's certificates takes ~50 ms of CPU, per message before
        self._tls_context = ssl.create_default_context()

    async def send(self, recipient: str, message: bytes) -> None:
        try:
            await aiosmtplib.send(
                message,
                sender=self._sender,
                recipients=[recipient],
                hostname=self._host,
                port=self._port,
                use_tls=self._implicit_tls,
                # None: upgrade when the server offers STARTTLS; True: refuse to go on without
                start_tls=True if self._require_starttls else None,
                username=self._username,
                password=self._password,
                tls_context=self._tls_context,
                timeout=SMTP_TIMEOUT_SECONDS,
            )
        except aiosmtplib.SMTPRecipientsRefused as error:
            refusals = [refusal for refusal in error.recipients]
            if refusals and all(500 <= refusal.code < 600 for refusal in refusals):
                raise PermanentFailure(_describe(refusals[0])) from None
            raise TemporaryFailure(str(error)) from None
        except aiosmtplib.SMTPResponseException as error:
            if 500 <= error.code < 600 and error.code != 530:  # 530: log in first (a setting)
                raise PermanentFailure(f"{error.code} {error.message}") from None
            raise TemporaryFailure(f"{error.code} {error.message}") from None
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
            raise TemporaryFailure(f"{type(error).__name__}: {error}") from None

    @property
    def where(self) -> str:
        """host:port, for messages."""
        return f"{self._host}:{self._port}"

    async def probe(self, within_seconds: float) -> None:
        """Connect (with TLS as the URL says), EHLO and QUIT, sending nothing; raise
        aiosmtplib.SMTPException, OSError or TimeoutError when that fails."""
        client = aiosmtplib.SMTP(
            hostname=self._host,
            port=self._port,
            use_tls=self._implicit_tls,
            start_tls=True if self._require_starttls else None,
            tls_context=ssl.create_default_context(),
            timeout=within_seconds,
        )
        async with asyncio.timeout(within_seconds):
            await client.connect()
            try:
                await client.ehlo()
            finally:
                await client.quit()


def _describe(refusal: aiosmtplib.SMTPRecipientRefused) -> str:
    return f"{refusal.code} {refusal.message} ({refusal.recipient})"


class FileTransport:
    """Writes each message to <data dir>/mail-outbox/<n>-<recipient>.eml."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def send(self, recipient: str, message: bytes) -> None:
        await asyncio.to_thread(self._write, recipient, message)

    def _write(self, recipient: str, message: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        safe = "".join(c if c.isalnum() or c in "@.-_" else "_" for c in recipient)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        path = self.folder / f"{stamp}-{secrets.token_hex(3)}-{safe}.eml"
        path.write_bytes(message)
        log.info("mail.written_to_file", extra={"path": str(path)})


def transport_for(config: Config, sender: str) -> Transport:
    """SMTP when the config names a server, else .eml files in the data dir."""
    if config.email.smtp_url:
        return SmtpTransport(config.email.smtp_url, sender)
    return FileTransport(config.data_dir / OUTBOX_FOLDER)
