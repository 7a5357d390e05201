"""Typed keys for what the composition root stores on the aiohttp application."""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web

from federation.client import FederationClient
from federation.inbox import Handler
from node.config import Config
from node.services.client_api import ClientApi
from node.services.delivery_queue import DeliveryWakeup
from node.services.keyring import KeyRing
from node.services.mail_queue import MailQueue
from node.services.outbox import Outbox
from node.services.proxy import RemoteLookup
from node.services.remote_actors import RemoteActors
from node.urls import NodeUrls

CONFIG = web.AppKey("config", Config)
URLS = web.AppKey("urls", NodeUrls)
KEYRING = web.AppKey("keyring", KeyRing)
FETCH_CLIENT = web.AppKey("fetch_client", FederationClient)
REMOTE_ACTORS = web.AppKey("remote_actors", RemoteActors)
OUTBOX = web.AppKey("outbox", Outbox)
DELIVERY_WAKE: web.AppKey[Callable[[], None]] = web.AppKey("delivery_wake")
DELIVERY_WAKEUP = web.AppKey("delivery_wakeup", DeliveryWakeup)
CLIENT_API = web.AppKey("client_api", ClientApi)
REMOTE_LOOKUP = web.AppKey("remote_lookup", RemoteLookup)
INBOX_HANDLER: web.AppKey[Handler] = web.AppKey("inbox_handler")
MAIL_QUEUE = web.AppKey("mail_queue", MailQueue)
