"""Taking part from your own account: a visitor of a proposal or comment is sent to their own
server to answer it there (POST /objects/{key}/from-your-account), and this node serves the same
interaction template for its members (GET and POST /authorize_interaction?uri=…)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import aiohttp_jinja2
from aiohttp import web

from node.appkeys import FETCH_CLIENT, URLS
from node.i18n import gettext_ as _
from node.services.errors import ServiceError
from node.services.interaction import (
    REMEMBER_SECONDS,
    REMEMBERED_SERVER_COOKIE,
    interaction_url,
)
from node.services.remote_search import OPENABLE_TYPES, address_in
from node.services.served_objects import served_object
from node.services.visibility import NOBODY, Seen
from web.forms import form_values
from web.handlers.search import looked_up
from web.ratelimit import RateLimit, client_address, too_many
from web.remote_links import remote_page_path
from web.viewer import require_member

# each visitor's form asks another server: a few a minute from one address is plenty
VISITOR_LOOKUPS = web.AppKey("visitor_lookups", RateLimit)


async def submit_from_your_account(request: web.Request) -> web.Response:
    """POST /objects/{key}/from-your-account (handle=, remember=): off to the visitor's server."""
    served = await served_object(request.app[URLS].object(request.match_info["key"]), NOBODY)
    if served is None or served.seen is not Seen.SHOWN:
        raise web.HTTPNotFound(text=_("There is no such proposal or comment."))
    if served.view.type not in OPENABLE_TYPES:
        raise web.HTTPBadRequest(
            text=_("Only proposals and comments can be answered from elsewhere.")
        )
    values = await form_values(request, ("handle", "remember"))
    limit, address = request.app[VISITOR_LOOKUPS], client_address(request)
    wait = await limit.take(address)
    if wait:
        raise too_many(wait, _("Too many look-ups from your connection."))
    try:
        target = await interaction_url(
            values["handle"], served.view.uri, request.app[FETCH_CLIENT], request.app[URLS]
        )
    except ServiceError as error:
        context = {
            "object": served.view,
            "from_key": request.match_info["key"],
            "values": values,
            "errors": {"handle": error.translated()},
        }
        return aiohttp_jinja2.render_template(
            "from_your_account.html", request, context, status=400
        )
    redirect = web.HTTPSeeOther(target)
    if values["remember"]:
        redirect.set_cookie(
            REMEMBERED_SERVER_COOKIE,
            address_in(values["handle"]),
            max_age=REMEMBER_SECONDS,
            httponly=True,
            samesite="Lax",
            secure=request.app[URLS].base.startswith("https:"),
        )
    else:
        redirect.del_cookie(REMEMBERED_SERVER_COOKIE)
    raise redirect


def remembered_handle(request: web.Request) -> str:
    """The visitor's own @name@server, if they asked us to remember it."""
    kept = request.cookies.get(REMEMBERED_SERVER_COOKIE, "")
    handle = address_in(kept)
    return handle if handle and not handle.startswith("http") else ""


async def authorize_interaction(request: web.Request) -> web.Response:
    """GET /authorize_interaction?uri=: a member confirms opening `uri` here (GET writes
    nothing: the POST fetches); visitors sign in first and come back."""
    await require_member(request)
    uri = request.query.get("uri", "").strip()
    return _confirm_page(request, uri, {} if address_in(uri) else {"uri": _bad_uri(uri)})


async def submit_authorize_interaction(request: web.Request) -> web.Response:
    """POST /authorize_interaction (uri=): look it up; open its page here, or follow an account."""
    await require_member(request)
    uri = (await form_values(request, ("uri",)))["uri"].strip()
    if not address_in(uri):
        return _confirm_page(request, uri, {"uri": _bad_uri(uri)})
    try:
        found = await looked_up(request, uri)
    except ServiceError as error:
        message = _("We could not open %(uri)s: %(reason)s") % {
            "uri": uri,
            "reason": error.translated(),
        }
        return _confirm_page(request, uri, {"uri": message})
    if found.is_account:
        raise web.HTTPSeeOther(f"/follow?address={quote(found.handle, safe='@')}")
    if found.local_path:
        raise web.HTTPSeeOther(found.local_path)
    assert found.object_id is not None  # look_up keeps every post it finds
    raise web.HTTPSeeOther(remote_page_path(found.object_id))


def _bad_uri(uri: str) -> str:
    if not uri:
        return _("No address was given: the link you followed is incomplete.")
    return _("%(uri)s is neither a link nor an @name@server address.") % {"uri": uri}


def _confirm_page(request: web.Request, uri: str, errors: dict[str, str]) -> web.Response:
    context: dict[str, Any] = {"uri": uri, "errors": errors}
    status = 400 if errors else 200
    return aiohttp_jinja2.render_template(
        "authorize_interaction.html", request, context, status=status
    )
