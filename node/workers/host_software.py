"""Learning the software of follower servers: a timed pass in the node process, never a page.

Every `TOWNHALL_NODEINFO_CHECK_SECONDS` (60; tests shrink it) the servers of local actors'
followers whose software is unknown or a day old are asked for their NodeInfo
(node/services/host_software.py), so that publishing knows which of them need a preview Note.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator

from aiohttp import web

from federation.client import FederationClient
from node.appkeys import FETCH_CLIENT
from node.models import Actor, Follow, FollowState
from node.services.host_software import inboxes_to_check, learn_software

log = logging.getLogger("townhall.host_software")

CHECK_SECONDS = 60.0
CHECK_SECONDS_VARIABLE = "TOWNHALL_NODEINFO_CHECK_SECONDS"


async def check_follower_servers(client: FederationClient) -> int:
    """One pass: ask each follower server due a check; return how many were asked."""
    followed = await Follow.filter(
        state=FollowState.ACCEPTED, follower__is_local=False, followee__is_local=True
    ).values_list("followee_id", flat=True)
    actors = await Actor.filter(id__in=list(set(followed)))
    inboxes = await inboxes_to_check(actors)
    for inbox in inboxes:
        await learn_software(client, inbox)
    return len(inboxes)


async def check_every(seconds: float, app: web.Application) -> None:
    """Run a pass at once, then every `seconds`, until cancelled; a failure is logged."""
    while True:
        try:
            await check_follower_servers(app[FETCH_CLIENT])
        except Exception:
            log.exception("nodeinfo.pass_failed")
        await asyncio.sleep(seconds)


def check_seconds() -> float:
    """The pass interval, from the environment when it says a positive number."""
    try:
        seconds = float(os.environ.get(CHECK_SECONDS_VARIABLE, CHECK_SECONDS))
    except ValueError:
        return CHECK_SECONDS
    return seconds if seconds > 0 else CHECK_SECONDS


async def host_software_context(app: web.Application) -> AsyncIterator[None]:
    """aiohttp cleanup context: learn follower servers' software while the app runs."""
    task = asyncio.create_task(check_every(check_seconds(), app), name="host-software")
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
