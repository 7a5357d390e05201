"""How delivery workers are started: beside the web app (`townhall run`) or on their own
(`townhall worker`), each with the node's client (node/http_client.py) signing as the
delivery's actor."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from collections.abc import AsyncIterator

from aiohttp import web

from federation.delivery import ContextSigner
from federation.signing_process import SigningProcess
from node.appkeys import CONFIG, DELIVERY_WAKEUP, KEYRING
from node.config import Config
from node.db import close_database, open_database
from node.http_client import node_client
from node.services.delivery_queue import DeliveryWakeup
from node.services.keyring import KeyRing
from node.workers.delivery import DeliveryWorker, SignerKeys
from node.workers.delivery_settings import DeliverySettings
from node.workers.mail import running_mail_worker
from node.workers.opinion_map import running_opinion_worker

log = logging.getLogger("townhall.delivery")


@contextlib.asynccontextmanager
async def running_worker(
    config: Config, keyring: KeyRing, wakeup: DeliveryWakeup
) -> AsyncIterator[DeliveryWorker]:
    """A delivery worker running in the background for the length of the block; its RSA
    signatures are computed in a child process (see federation/signing_process.py)."""
    signing = SigningProcess()
    signer = ContextSigner(process=signing)
    client = node_client(config, signer)
    settings = DeliverySettings.from_config(config)
    worker = DeliveryWorker(client, signer, SignerKeys(keyring), wakeup, settings)
    task = asyncio.create_task(worker.run(), name="delivery-worker")
    try:
        yield worker
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        try:
            await client.close()
        finally:
            await signing.close()


async def delivery_context(app: web.Application) -> AsyncIterator[None]:
    """aiohttp cleanup context: deliver in the node process while the app runs."""
    async with running_worker(app[CONFIG], app[KEYRING], app[DELIVERY_WAKEUP]):
        yield


async def run_delivery_worker(config: Config) -> None:
    """`townhall worker`: deliver activities and send mail, without the web server, until
    SIGTERM or SIGINT."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await open_database(config.database_url)
    try:
        async with (
            running_worker(config, KeyRing(), DeliveryWakeup()),
            running_mail_worker(config),
            running_opinion_worker(),
        ):
            log.info("delivery.process_ready", extra={"pid": os.getpid()})
            await stop.wait()
    finally:
        await close_database()
    log.info("delivery.process_stopped", extra={"pid": os.getpid()})
