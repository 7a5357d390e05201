"""The client API (ActivityPub C2S): POST to an outbox, read one's inbox, proxyUrl."""

from __future__ import annotations

from aiohttp import web

from federation.errors import FetchError
from federation.inbox import InboxRefusal, check_content_type, parse_activity, read_body
from node.appkeys import CLIENT_API, REMOTE_LOOKUP, URLS
from node.services import collections
from node.services.visibility import Reader
from web.auth import owned_actor, token_holder
from web.forms import read_form
from web.negotiate import activity_json_response
from web.readers import reader_for


async def post_outbox(request: web.Request) -> web.StreamResponse:
    """POST /actors/{handle}/outbox: carry out an activity; 201 with its id in Location."""
    actor = await owned_actor(request)
    try:
        body = await read_body(request)
        check_content_type(request.content_type)
        submitted = parse_activity(body)
    except InboxRefusal as refusal:
        return web.json_response({"error": refusal.reason}, status=refusal.http_status)
    activity = await request.app[CLIENT_API].post_as(actor.actor_id, submitted)
    response = activity_json_response(activity, status=201)
    response.headers["Location"] = activity["id"]
    return response


async def get_inbox(request: web.Request) -> web.StreamResponse:
    """GET /actors/{handle}/inbox with the actor's token: what it received, newest first."""
    actor = await owned_actor(request)
    query = collections.CollectionQuery(
        request.app[URLS].actor_part(actor.handle, "inbox"),
        collections.parse_page(request.query.get("page")),
    )
    document = await collections.inbox(Reader(actor.actor_id, actor.actor_uri), query)
    return activity_json_response(document)


async def proxy(request: web.Request) -> web.StreamResponse:
    """POST /proxy (form id=URL) with a token: the node's copy of a remote object, or 404; a
    newly fetched post's thread is backfilled later, by the backfill worker."""
    reader = reader_for(await token_holder(request))
    form = await read_form(request)
    target = form.get("id")
    if not isinstance(target, str) or not target.startswith(("http://", "https://")):
        raise web.HTTPBadRequest(text="give the object's URL in the form field 'id'")
    try:
        document = await request.app[REMOTE_LOOKUP].proxied(target, reader)
    except FetchError as error:
        raise web.HTTPNotFound(text=f"cannot fetch {target}: {error.reason}") from None
    return activity_json_response(document)
