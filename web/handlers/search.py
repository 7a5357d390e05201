"""The search page: proposals, comments and decisions that say the words asked for, and an
address on another server looked up for a member (a POST: what is found is stored)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import aiohttp_jinja2
from aiohttp import web

from node.appkeys import REMOTE_ACTORS, REMOTE_LOOKUP
from node.i18n import gettext_ as _
from node.search_text import MAX_QUERY
from node.services.errors import ServiceError
from node.services.remote_search import LookedUp, address_in, look_up
from node.services.search import SearchQuery, parse_search, search
from web.forms import form_values
from web.readers import request_reader
from web.remote_links import remote_page_path
from web.viewer import current_viewer, require_member


async def search_page(request: web.Request) -> web.Response:
    """GET /search?q=&kind=&page=: every group's best hits, or one group's pages."""
    text = request.query.get("q", "").strip()
    kind = request.query.get("kind", "").strip()
    try:
        query = parse_search(text, kind, request.query.get("page", ""))
    except ServiceError as error:
        return await _render(request, text[:MAX_QUERY], {"q": error.translated()}, status=400)
    return await _render(request, text, {}, query)


async def submit_lookup(request: web.Request) -> web.Response:
    """POST /search/lookup (address=): fetch an @name@server or a link for a member; a proposal
    or comment found opens on its page here, an account is shown with a button to follow it."""
    await require_member(request)
    address = (await form_values(request, ("address",)))["address"].strip()
    try:
        found = await looked_up(request, address)
    except ServiceError as error:
        message = _("We could not look up %(address)s: %(reason)s") % {
            "address": address,
            "reason": error.translated(),
        }
        return await _render(request, address, {"address": message}, status=400)
    if found.local_path:  # a post of ours
        raise web.HTTPSeeOther(found.local_path)
    if found.object_id is not None:  # a proposal or comment held here: read and answer it here
        raise web.HTTPSeeOther(remote_page_path(found.object_id))
    return await _render(request, address, {}, found=found)


async def looked_up(request: web.Request, address: str) -> LookedUp:
    """What `address` names, fetched for the member making `request` (ServiceError: why not)."""
    return await look_up(
        address,
        request.app[REMOTE_LOOKUP],
        request.app[REMOTE_ACTORS],
        await request_reader(request),
    )


async def _render(
    request: web.Request,
    text: str,
    errors: dict[str, str],
    query: SearchQuery | None = None,
    found: LookedUp | None = None,
    status: int = 200,
) -> web.Response:
    address = address_in(text)
    if query is None and not errors.get("q"):
        query = parse_search(text[:MAX_QUERY])
    # an address is looked up, not searched for (its words are those of a URL)
    viewer = await current_viewer(request)
    searcher = viewer.actor_id if viewer is not None else None
    groups = await search(query, searcher) if query is not None and not address else []
    shown = {"q": text}
    if query is not None and query.group is not None:
        shown["kind"] = query.group.value

    def page_link(kind: str, number: int) -> str:
        return "/search?" + urlencode({"q": text, "kind": kind, "page": number})

    context: dict[str, Any] = {
        "values": shown,
        "errors": errors,
        "query": query,
        "groups": groups,
        "address": address,
        "found": found,
        "signed_in": await current_viewer(request) is not None,
        "page_link": page_link,
        "max_query": MAX_QUERY,
    }
    return aiohttp_jinja2.render_template("search.html", request, context, status=status)
