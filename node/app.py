"""The composition root: builds the aiohttp application of a configured node."""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiohttp import web

from node.appkeys import CONFIG, DELIVERY_WAKE, DELIVERY_WAKEUP, KEYRING, MAIL_QUEUE, URLS
from node.config import Config
from node.db import close_database, open_database
from node.federation_setup import setup_federation
from node.services.delivery_queue import DeliveryWakeup
from node.services.keyring import KeyRing
from node.services.mail_queue import MailQueue, MailSettings
from node.serving_limits import ServingLimits
from node.urls import NodeUrls
from node.workers.delivery_process import delivery_context
from node.workers.host_software import host_software_context
from node.workers.mail import mail_context
from node.workers.notification_mail import notification_mail_context
from node.workers.opinion_map import opinion_map_context
from node.workers.poll_closing import poll_closing_context
from node.workers.proposal_closing import proposal_closing_context
from web.csrf import csrf_protect
from web.handlers.setup import INSTALLER, SETUP_STATE, Installer, SetupState
from web.middlewares import (
    body_deadline,
    error_pages,
    refuse_unstorable_urls,
    security_headers,
)
from web.page_cache import PAGE_CACHE, PageCache, visitor_page_cache
from web.page_context import page_context
from web.routes import setup_first_run_routes, setup_routes
from web.sessions import sessions_middleware
from web.templating import setup_templates

MAX_REQUEST_BYTES = 1_048_576


def create_app(config: Config) -> web.Application:
    """A node's web application: pages, discovery, actors; the database opens at start-up."""
    app = web.Application(
        middlewares=[
            security_headers,
            error_pages,
            body_deadline(ServingLimits.for_this_process().body_seconds),
            refuse_unstorable_urls,
            visitor_page_cache,  # outside the sessions: it sees every cookie a page sets
            sessions_middleware(config),
            page_context,
            csrf_protect,
        ],
        client_max_size=MAX_REQUEST_BYTES,
    )
    app[CONFIG] = config
    app[URLS] = NodeUrls(config.url)
    app[KEYRING] = KeyRing()
    app[PAGE_CACHE] = PageCache()
    wakeup = DeliveryWakeup()
    app[DELIVERY_WAKEUP], app[DELIVERY_WAKE] = wakeup, wakeup.wake
    app[MAIL_QUEUE] = MailQueue(MailSettings.from_config(config))
    app.cleanup_ctx.append(_database)
    app.cleanup_ctx.append(delivery_context)  # after the database: stops before it closes
    app.cleanup_ctx.append(mail_context)
    app.cleanup_ctx.append(notification_mail_context)  # queues for the mail worker
    setup_federation(app)
    app.cleanup_ctx.append(poll_closing_context)  # after federation: it publishes closings
    app.cleanup_ctx.append(proposal_closing_context)  # after the federation services' outbox
    app.cleanup_ctx.append(host_software_context)  # uses the federation services' client
    app.cleanup_ctx.append(opinion_map_context)  # the maths in a child process, debounced
    setup_templates(app)
    setup_routes(app)
    return app


def create_setup_app(state: SetupState, installer: Installer) -> web.Application:
    """An application that serves only the first-run setup form until set-up succeeds."""
    app = web.Application(middlewares=[security_headers])
    app[SETUP_STATE] = state
    app[INSTALLER] = installer
    setup_templates(app)
    setup_first_run_routes(app)
    return app


async def _database(app: web.Application) -> AsyncIterator[None]:
    await open_database(app[CONFIG].database_url)
    yield
    await close_database()
