"""Closing polls at their end time: a timed pass in the node process, never a page.

A poll past its `endTime` takes no votes and is shown closed at once (node/services/polls.py
works that out when it reads); this pass stores the closing — `closed_at` and the Question's
final counts — so that no GET has to, and publishes it (an Update with the final counts,
which a question that keeps its results until the close shows only then). Two nodes' passes
at once close nothing twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from node.appkeys import OUTBOX
from node.services.outbox import Outbox
from node.services.polls import close_due_polls

log = logging.getLogger("townhall.polls")

CHECK_SECONDS = 30.0


async def close_polls_every(seconds: float, outbox: Outbox) -> None:
    """Close the polls that are due at once, then every `seconds`, until cancelled, publishing
    each closing through `outbox`; a failure is logged and tried again next time."""
    while True:
        try:
            await close_due_polls(outbox)
        except Exception:
            log.exception("poll.closing_failed")
        await asyncio.sleep(seconds)


async def poll_closing_context(app: web.Application) -> AsyncIterator[None]:
    """aiohttp cleanup context: close due polls while the app runs."""
    task = asyncio.create_task(close_polls_every(CHECK_SECONDS, app[OUTBOX]), name="poll-closing")
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
