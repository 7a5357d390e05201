"""Sending queued mail: claim what is due, hand it to SMTP (or the .eml folder), record how
it went. A message refused for good (5xx) is failed at once and never retried; an
unreachable server means another attempt later, with back-off, up to MAX_ATTEMPTS.

A claim is a conditional UPDATE, so two workers never send one message. A worker that dies
after claiming leaves the message `sending`; once its lease has run out another worker sends
it. (The one window in which a message can go twice is between the server's 250 and the
UPDATE that records it: a crash exactly there.)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from aiohttp import web
from tortoise.expressions import F, Q

from node.appkeys import CONFIG, MAIL_QUEUE
from node.config import Config
from node.mail.addresses import without_addresses
from node.mail.transport import (
    FileTransport,
    PermanentFailure,
    TemporaryFailure,
    Transport,
    transport_for,
)
from node.models import MailState, OutgoingMail
from node.services.mail_queue import MailSettings

log = logging.getLogger("townhall.mail")

# seconds before attempt n+1 after n failures: 1 min, 5 min, 15 min, 1 h, then every 3 h
BACKOFF_SECONDS = (60, 300, 900, 3600, 10800)
MAX_ATTEMPTS = 16  # about two days of trying
LEASE = timedelta(minutes=10)
BATCH = 64
CONCURRENCY = 8


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after `attempts` failed attempts."""
    return timedelta(seconds=BACKOFF_SECONDS[min(attempts, len(BACKOFF_SECONDS)) - 1])


@dataclass
class MailWorker:
    """Sends due mail until stopped; `wake()` after queueing to send without waiting."""

    transport: Transport
    poll_seconds: float = 2.0
    backoff_scale: float = 1.0  # tests shorten the back-off
    lease: timedelta = LEASE  # …and the lease of a worker that died

    def __post_init__(self) -> None:
        self._wake = asyncio.Event()
        self._slots = asyncio.Semaphore(CONCURRENCY)

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        while True:
            try:
                handled = await self.send_due()
            except Exception:
                log.exception("mail.pass_failed")
                handled = 0
            if handled < BATCH:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self.poll_seconds):
                        await self._wake.wait()
                self._wake.clear()

    async def send_due(self) -> int:
        """Send what is due now; the number of messages tried."""
        now = datetime.now(UTC)
        due = (
            await OutgoingMail.filter(
                Q(state=MailState.PENDING, next_attempt_at__lte=now)
                | Q(state=MailState.SENDING, claimed_at__lt=now - self.lease)
            )
            .order_by("id")
            .limit(BATCH)
            .values("id")
        )
        results = await asyncio.gather(*(self._send_one(row["id"], now) for row in due))
        return sum(results)

    async def _send_one(self, mail_id: int, now: datetime) -> int:
        async with self._slots:
            claimed = await OutgoingMail.filter(
                Q(id=mail_id)
                & (
                    Q(state=MailState.PENDING, next_attempt_at__lte=now)
                    | Q(state=MailState.SENDING, claimed_at__lt=now - self.lease)
                )
            ).update(state=MailState.SENDING, claimed_at=now, attempts=F("attempts") + 1)
            if not claimed:
                return 0  # another worker took it
            mail = await OutgoingMail.get(id=mail_id)
            try:
                await self.transport.send(mail.recipient, mail.message.encode("utf-8"))
            except PermanentFailure as refusal:
                await self._record(mail, MailState.FAILED, str(refusal))
                log.warning(
                    "mail.refused",
                    extra={"mail": mail_id, "error": without_addresses(str(refusal))},
                )
            except TemporaryFailure as failure:
                gave_up = mail.attempts >= MAX_ATTEMPTS
                await self._record(
                    mail, MailState.FAILED if gave_up else MailState.PENDING, str(failure)
                )
                log.info(
                    "mail.retry_later",
                    extra={"mail": mail_id, "error": without_addresses(str(failure))},
                )
            else:
                await OutgoingMail.filter(id=mail_id).update(
                    state=MailState.SENT, sent_at=datetime.now(UTC), last_error=""
                )
            return 1

    async def _record(self, mail: OutgoingMail, state: MailState, error: str) -> None:
        delay = retry_delay(mail.attempts) * self.backoff_scale
        await OutgoingMail.filter(id=mail.id).update(
            state=state, last_error=error[:2000], next_attempt_at=datetime.now(UTC) + delay
        )


async def mail_context(app: web.Application) -> AsyncIterator[None]:
    """aiohttp cleanup context: send queued mail in the node process while the app runs."""
    async with running_mail_worker(app[CONFIG]) as worker:
        app[MAIL_QUEUE].wake = worker.wake
        yield


@contextlib.asynccontextmanager
async def running_mail_worker(config: Config) -> AsyncIterator[MailWorker]:
    """The mail worker sending in the background for the length of the block."""
    settings = MailSettings.from_config(config)
    transport = transport_for(config, settings.sender_address)
    if isinstance(transport, FileTransport):
        log.warning(
            "mail.written_to_files",
            extra={"folder": str(transport.folder), "why": "no [email] smtp_url is set"},
        )
    worker = MailWorker(
        transport,
        poll_seconds=seconds_from_env("TOWNHALL_MAIL_POLL_SECONDS", 2.0),
        backoff_scale=seconds_from_env("TOWNHALL_MAIL_RETRY_BASE_SECONDS", 60.0) / 60.0,
        lease=timedelta(
            seconds=seconds_from_env("TOWNHALL_MAIL_LEASE_SECONDS", LEASE.total_seconds())
        ),
    )
    task = asyncio.create_task(worker.run(), name="mail-worker")
    try:
        yield worker
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def seconds_from_env(name: str, default: float) -> float:
    """A timing that tests shorten through the environment; `default` when unset or unclear."""
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value >= 0 else default
