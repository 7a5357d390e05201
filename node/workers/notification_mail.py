"""Notifications by email: a timed pass in the node process (never a page view) that makes
the closing-soon reminders due (node/services/closing_reminders.py) and queues the notification
mail and digests due (node/services/notification_mail.py), which the mail worker then sends.
Two passes at once (two processes) mail nothing twice: see those modules."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

from aiohttp import web

from node.appkeys import CONFIG, MAIL_QUEUE
from node.services.closing_reminders import remind_closing
from node.services.notification_mail import SETTLE, NotificationMailer
from node.workers.mail import seconds_from_env

log = logging.getLogger("townhall.notifications")

CHECK_SECONDS = 30.0  # "email at once" means within this long; digests wait for their hour


async def notify_once(mailer: NotificationMailer) -> int:
    """One pass: reminders made, then the mail due queued; how many mails were queued."""
    moment = datetime.now(UTC)
    await remind_closing(moment)
    return await mailer.mail_due(datetime.now(UTC))


async def notify_every(mailer: NotificationMailer, seconds: float) -> None:
    """A pass at once, then every `seconds`, until cancelled; a failure is logged and the
    pass tried again next time."""
    while True:
        try:
            await notify_once(mailer)
        except Exception:
            log.exception("notifications.pass_failed")
        await asyncio.sleep(seconds)


async def notification_mail_context(app: web.Application) -> AsyncIterator[None]:
    """aiohttp cleanup context: the pass runs while the app runs (after the database)."""
    settle = seconds_from_env("TOWNHALL_NOTIFY_SETTLE_SECONDS", SETTLE.total_seconds())
    mailer = NotificationMailer(
        app[MAIL_QUEUE], app[CONFIG].secret_key, settle=timedelta(seconds=settle)
    )
    seconds = seconds_from_env("TOWNHALL_NOTIFY_POLL_SECONDS", CHECK_SECONDS)
    task = asyncio.create_task(notify_every(mailer, seconds), name="notification-mail")
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
