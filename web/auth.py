"""Bearer-token authentication for the client API."""

from __future__ import annotations

from aiohttp import web

from node.services.actor_views import local_actor_view
from node.services.viewers import Viewer, token_viewer

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="townhall"'}


async def token_holder(request: web.Request) -> Viewer:
    """The member whose bearer token the request carries; 401 without a valid one."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise web.HTTPUnauthorized(text="a bearer token is required", headers=CHALLENGE)
    holder = await token_viewer(token.strip(), record_use=request.method not in ("GET", "HEAD"))
    if holder is None:
        raise web.HTTPUnauthorized(text="the bearer token is not valid", headers=CHALLENGE)
    return holder


async def owned_actor(request: web.Request) -> Viewer:
    """The member whose actor the URL names, if the request's token is theirs (else 401/403/404)."""
    holder = await token_holder(request)
    handle = request.match_info["handle"]
    if holder.handle != handle:
        if await local_actor_view(handle) is None:
            raise web.HTTPNotFound(text="no such actor")
        raise web.HTTPForbidden(text="this token belongs to another actor")
    return holder
