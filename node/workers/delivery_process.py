"""How delivery workers are started: beside the web app (`townhall run`) or on their own
(`townhall worker`), each with a FederationClient that signs as the delivery's actor."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from collections.abc import AsyncIterator

from aiohttp import web

from federation.addresses import AddressPolicy
from federation.client import FederationClient
from federation.delivery import ContextSigner
from federation.signing_process import SigningProcess
from node.appkeys import CONFIG, DELIVERY_WAKEUP, KEYRING
from node.config import Config
from node.db import close_database, open_database
from node.federation_setup import address_policy, allows_private_addresses
from node.services.delivery_queue import DeliveryWakeup
from node.services.keyring import KeyRing
from node.workers.delivery import DeliveryWorker, SignerKeys
from node.workers.delivery_settings import DeliverySettings

log = logging.getLogger("townhall.delivery")


def delivery_client(config: Config, signer: ContextSigner) -> FederationClient:
    """The client deliveries go through; loopback targets only for loopback nodes, private
    ones only for opted-in nodes (the same rules as the fetch client's)."""
    allow_private = allows_private_addresses(config)
    policy = address_policy(config)
    return sending_client(f"Townhall (+{config.url})", allow_private, signer, policy)


def sending_client(
    user_agent: str,
    allow_private: bool,
    signer: ContextSigner,
    policy: AddressPolicy | None = None,
) -> FederationClient:
    """A client for deliveries, signing with `signer` (give it a SigningProcess)."""
    return FederationClient(
        user_agent=user_agent,
        allow_private_addresses=allow_private,
        signer=signer,
        address_policy=policy,
    )


@contextlib.asynccontextmanager
async def running_worker(
    config: Config, keyring: KeyRing, wakeup: DeliveryWakeup
) -> AsyncIterator[DeliveryWorker]:
    """A delivery worker running in the background for the length of the block; its RSA
    signatures are computed in a child process (see federation/signing_process.py)."""
    signing = SigningProcess()
    signer = ContextSigner(process=signing)
    client = delivery_client(config, signer)
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
    """`townhall worker`: deliver without the web server until SIGTERM or SIGINT."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await open_database(config.database_url)
    try:
        async with running_worker(config, KeyRing(), DeliveryWakeup()):
            log.info("delivery.process_ready", extra={"pid": os.getpid()})
            await stop.wait()
    finally:
        await close_database()
    log.info("delivery.process_stopped", extra={"pid": os.getpid()})
