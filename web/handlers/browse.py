"""Visitor pages: the list of proposals with filters and search, and versions compared."""

from __future__ import annotations

from urllib.parse import urlencode

import aiohttp_jinja2
from aiohttp import web

from node.appkeys import URLS
from node.i18n import gettext_ as _
from node.services.errors import ServiceError
from node.services.proposal_search import find_proposals, parse_query
from node.services.version_diff import diff_versions, public_versioned_proposal
from web.forms import parse_id
from web.readers import request_reader

STATUS_CHOICES = ("open", "closed", "adopted", "changed", "dropped")


async def proposal_list(request: web.Request) -> web.Response:
    """GET /proposals?status=&tag=&org=&q=&page=: filters and search, 20 a page."""
    asked = {
        name: request.query.get(name, "").replace("\x00", "").strip()
        for name in ("status", "tag", "org", "q")
    }
    errors: dict[str, str] = {}
    try:
        query = parse_query(
            asked["status"], asked["tag"], asked["org"], asked["q"], request.query.get("page", "")
        )
    except ServiceError as error:
        errors["form"] = error.translated()
        query = parse_query(words=asked["q"][:200])
    found = await find_proposals(query, await request_reader(request))
    filters = {name: value for name, value in asked.items() if value}
    context = {
        "found": found,
        "values": asked,
        "errors": errors,
        "statuses": STATUS_CHOICES,
        "feed_tag": query.tag,  # a hashtag asked for has a feed of its own
        "page_link": lambda number: "/proposals?" + urlencode({**filters, "page": number}),
    }
    status = 400 if errors else 200
    return aiohttp_jinja2.render_template("proposals.html", request, context, status=status)


async def compare_versions(request: web.Request) -> web.Response:
    """GET /objects/{key}/versions?from=N&to=M: what changed between two versions."""
    uri = request.app[URLS].object(request.match_info["key"])
    proposal = await public_versioned_proposal(uri)
    if proposal is None:
        raise web.HTTPNotFound(text=_("There is no such proposal."))
    old = parse_id(request.query.get("from", str(proposal.version - 1)), "from")
    new = parse_id(request.query.get("to", str(proposal.version)), "to")
    diffs = await diff_versions(proposal, old, new)
    context = {
        "proposal": proposal,
        "old": old,
        "new": new,
        "diffs": diffs,
    }
    return aiohttp_jinja2.render_template("versions.html", request, context)
