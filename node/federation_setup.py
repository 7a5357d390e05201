"""Wiring of the federation side of a node: client, key lookup, the inboxes' pipeline, outbox,
inbox worker (web/routes.py mounts the inbox routes)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

from aiohttp import web

from federation.client import Signer
from federation.inbox import inbox_handler
from federation.signatures import SigningKey
from federation.signing import sign_request
from node.appkeys import (
    CLIENT_API,
    CONFIG,
    DELIVERY_WAKE,
    FETCH_CLIENT,
    INBOX_HANDLER,
    KEYRING,
    OUTBOX,
    REMOTE_ACTORS,
    REMOTE_LOOKUP,
    URLS,
)
from node.http_client import node_client
from node.models import InboxItem
from node.services.actors import get_organisation
from node.services.backfill import ThreadBackfill
from node.services.client_api import ClientApi
from node.services.decisions import AfterDecision
from node.services.forwarding import forward
from node.services.inbound import NodeActivityPorts
from node.services.inbox_store import InboxStore
from node.services.outbox import Outbox
from node.services.proxy import RemoteLookup
from node.services.remote_actors import RemoteActors
from node.services.report_freeze import freeze_report
from node.workers.backfill import BackfillWorker
from node.workers.inbox import InboxWorker
from node.workers.remote_figures import RemoteFiguresWorker

log = logging.getLogger("townhall.federation")
STOP_TIMEOUT_SECONDS = 5.0


def make_signer(key: SigningKey) -> Signer:
    """A request signer for the fetch client, signing as `key`'s actor."""

    async def sign(
        method: str, url: str, headers: dict[str, str], body: bytes | None
    ) -> dict[str, str]:
        return sign_request(method, url, headers, body, key)

    return sign


def after_decision(outbox: Outbox) -> tuple[AfterDecision, ...]:
    """What runs when a decision is published, given the proposal's id, in its transaction
    (node/services/decisions.py): "what we heard" is frozen and published as an Article."""

    async def freeze(proposal_id: int) -> None:
        await freeze_report(outbox, proposal_id)

    return (freeze,)


def setup_federation(app: web.Application) -> None:
    """Register the start-up of the federation services (the inbox pipeline among them)."""
    app.cleanup_ctx.append(_federation_services)


async def _federation_services(app: web.Application) -> AsyncIterator[None]:
    config = app[CONFIG]
    organisation = await get_organisation()
    signing_key = await app[KEYRING].signing_key(organisation) if organisation else None
    client = node_client(config, make_signer(signing_key) if signing_key else None)
    remote_actors = RemoteActors(client, config.url)
    wake_delivery = app[DELIVERY_WAKE]
    outbox = Outbox(app[URLS], wake_delivery)
    backfill = BackfillWorker(ThreadBackfill(remote_actors, app[URLS]))
    figures = RemoteFiguresWorker(client)

    async def forward_received(item: InboxItem, activity: dict[str, Any]) -> int:
        figures.activity_arrived(activity)
        return await forward(item, activity, app[URLS], wake_delivery)

    worker = InboxWorker(
        NodeActivityPorts(outbox, remote_actors, client, backfill),
        app[URLS].actor(""),
        forward_received,
    )
    store = InboxStore(remote_actors, worker.wake)
    app[FETCH_CLIENT], app[REMOTE_ACTORS], app[OUTBOX] = client, remote_actors, outbox
    app[REMOTE_LOOKUP] = RemoteLookup(remote_actors, app[URLS], backfill)
    app[CLIENT_API] = ClientApi(
        outbox, remote_actors, app[REMOTE_LOOKUP], after_decision=after_decision(outbox)
    )
    app[INBOX_HANDLER] = inbox_handler(
        store, public_base=config.url, recipient_of=_personal_recipient
    )
    store.start()
    backfill.start()
    figures.start()
    task = asyncio.create_task(worker.run(), name="inbox-worker")
    yield
    await store.stop()
    worker.stop()
    try:
        await asyncio.wait_for(task, timeout=STOP_TIMEOUT_SECONDS)
    except TimeoutError:
        log.warning("inbox_worker.stop_timed_out")
    await backfill.close()
    await figures.close()
    await client.close()


def _personal_recipient(request: web.Request) -> str | None:
    handle = request.match_info.get("handle")
    return request.app[URLS].actor(handle) if handle else None
