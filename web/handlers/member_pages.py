"""Members' pages: writing proposals, taking part in threads, following, notifications, settings."""

from __future__ import annotations

from aiohttp import web

from web.handlers import compose, discussion, following, notifications, profile_settings


def add_routes(app: web.Application) -> None:
    """Mount every member page."""
    for module in (compose, discussion, following, notifications, profile_settings):
        module.add_routes(app)
