"""The door of authorised fetch (node/services/authorized_fetch.py decides): ActivityStreams
GETs are checked before their handler runs, and any other GET whose answer turns out to be
ActivityStreams (a collection served whatever was asked) after it, so nothing AS2 leaves
unsigned. Handlers of GETs never write, so running one first changes nothing."""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler

from federation.vocab import AS2_MEDIA_TYPES
from node.appkeys import REMOTE_ACTORS, URLS
from node.services import authorized_fetch as policy
from web.negotiate import wants_activity_json


@web.middleware
async def authorized_fetch(request: web.Request, handler: Handler) -> web.StreamResponse:
    """401 or 404 for an unsigned or refused GET of ActivityStreams, when the setting is on."""
    if request.method not in ("GET", "HEAD") or request.path.startswith(("/.well-known/",)):
        return await handler(request)
    asked = wants_activity_json(request)
    if asked and await policy.is_required(request.path):
        await _check(request)
        return await handler(request)
    response = await handler(request)
    served = response.content_type.lower() in AS2_MEDIA_TYPES and response.status < 400
    if not asked and served and await policy.is_required(request.path):
        await _check(request)
    return response


async def _check(request: web.Request) -> None:
    url = request.app[URLS].base + str(request.rel_url)
    found = await policy.refusal(
        request.method, url, request.headers, request.app[REMOTE_ACTORS].resolve_key
    )
    if found is None:
        return
    if found.status == 404:
        raise web.HTTPNotFound(text=found.reason)
    raise web.HTTPUnauthorized(text=found.reason, headers={"WWW-Authenticate": "Signature"})
