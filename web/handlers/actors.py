"""Actor URLs: an ActivityStreams document for servers, a profile page for people."""

from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from node.activitypub import to_actor
from node.appkeys import URLS
from node.services.actor_views import actor_view
from node.services.actors import get_local_actor
from node.services.profiles import load_profile
from web.negotiate import activity_json_response, wants_activity_json


async def actor(request: web.Request) -> web.StreamResponse:
    """GET /actors/{handle}."""
    found = await get_local_actor(request.match_info["handle"])
    if found is None:
        raise web.HTTPNotFound(text="There is no one here by that name.")
    if wants_activity_json(request):
        return activity_json_response(to_actor(found, request.app[URLS]))
    context = {
        "actor": actor_view(found),
        "profile": await load_profile(found.id),
        "host": request.app[URLS].host,
    }
    response = aiohttp_jinja2.render_template("actor.html", request, context)
    response.headers["Vary"] = "Accept"
    return response
