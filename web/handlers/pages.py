"""Plain pages: the organisation's home and the health check."""

from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web
from tortoise import connections

from node.appkeys import URLS
from node.services.actor_views import organisation_view
from node.services.proposal_search import open_consultations, recent_comments, recently_decided
from web.readers import request_reader


@aiohttp_jinja2.template("home.html")
async def home(request: web.Request) -> dict[str, object]:
    """The organisation's home page: open consultations first, then what happened lately."""
    reader = await request_reader(request)
    return {
        "organisation": await organisation_view(),
        "host": request.app[URLS].host,
        "open": await open_consultations(reader=reader),
        "decided": await recently_decided(reader=reader),
        "recent": await recent_comments(),
    }


async def healthz(request: web.Request) -> web.Response:
    """200 when the node can reach its database, 503 otherwise."""
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception as error:  # any database failure means unhealthy, and says which
        return web.json_response({"status": "unhealthy", "error": type(error).__name__}, status=503)
    return web.json_response({"status": "ok"})
