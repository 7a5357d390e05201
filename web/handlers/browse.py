"""Visitor pages: the list of proposals with filters and search."""

from __future__ import annotations

from aiohttp import web


def add_routes(app: web.Application) -> None:
    """Mount this module's pages."""
