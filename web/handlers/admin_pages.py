"""Admin and moderator pages: members, invitations, settings, moderation, delivery health."""

from __future__ import annotations

from aiohttp import web


def add_routes(app: web.Application) -> None:
    """Mount this module's pages."""
