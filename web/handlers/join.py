"""Joining the node: sign-up by invitation, by approval or open."""

from __future__ import annotations

from aiohttp import web


def add_routes(app: web.Application) -> None:
    """Mount this module's pages."""
