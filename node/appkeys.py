"""Typed keys for what the composition root stores on the aiohttp application."""

from __future__ import annotations

from aiohttp import web

from node.config import Config
from node.services.keyring import KeyRing
from node.urls import NodeUrls

CONFIG = web.AppKey("config", Config)
URLS = web.AppKey("urls", NodeUrls)
KEYRING = web.AppKey("keyring", KeyRing)
