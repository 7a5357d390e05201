"""Actor URLs: an ActivityStreams document for servers, a profile page for people."""

from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from node.appkeys import URLS
from node.i18n import N_
from node.i18n import gettext_ as _
from node.limits import MAX_JOIN_REQUEST
from node.services import join_requests, joining_organisations, organisation_admin
from node.services.actor_views import (
    deleted_local_actor,
    local_actor_document,
    local_actor_view,
)
from node.services.following_view import follow_uri
from node.services.privacy_settings import asks_noindex
from node.services.profiles import load_profile
from web.negotiate import activity_json_response, wants_activity_json
from web.robots import ask_no_index
from web.viewer import current_viewer

NO_ONE = N_("There is no one here by that name.")


async def actor(request: web.Request) -> web.StreamResponse:
    """GET /actors/{handle}."""
    handle = request.match_info["handle"]
    if wants_activity_json(request):
        document = await local_actor_document(handle, request.app[URLS])
        if document is None:
            return await _gone_or_no_one(handle)
        return activity_json_response(document)
    found = await local_actor_view(handle)
    if found is None:
        return await _gone_or_no_one(handle, page=True)
    viewer = await current_viewer(request)
    noindex = await asks_noindex(found.id)
    # its admins (and the node's) find the way to run an organisation from its profile
    runs_it = (
        viewer is not None
        and found.type.value == "Group"
        and await organisation_admin.runs_any(viewer.actor_id, handle)
    )
    context = {
        "noindex": noindex,
        "actor": found,
        "profile": await load_profile(found.id),
        "host": request.app[URLS].host,
        # a member sees Follow or Unfollow on anyone else's profile
        "may_follow": viewer is not None and viewer.actor_id != found.id,
        "follows_them": viewer is not None
        and await follow_uri(viewer.actor_id, found.uri) is not None,
        "runs_it": runs_it,
        "asking": await join_requests.pending_count(handle) if runs_it else 0,
        "join_request_limit": MAX_JOIN_REQUEST,
        # a member joins an organisation open to all (or asks to), or leaves one (not their last)
        "belonging": await joining_organisations.belonging(viewer.account_id, handle)
        if viewer is not None and found.type.value == "Group"
        else None,
    }
    response = aiohttp_jinja2.render_template("actor.html", request, context)
    response.headers["Vary"] = "Accept"
    return ask_no_index(response) if noindex else response


async def _gone_or_no_one(handle: str, *, page: bool = False) -> web.StreamResponse:
    """410 with a Tombstone for a member who deleted their account; else 404."""
    tombstone = await deleted_local_actor(handle)
    if tombstone is None:
        raise web.HTTPNotFound(text=_(NO_ONE))
    if page:
        raise web.HTTPGone(text=_("This member deleted their account."))
    return activity_json_response(tombstone, status=410)
