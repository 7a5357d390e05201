"""Members' pages: writing proposals, commenting, endorsing, amending, voting, following."""

from __future__ import annotations

from aiohttp import web


def add_routes(app: web.Application) -> None:
    """Mount this module's pages."""
