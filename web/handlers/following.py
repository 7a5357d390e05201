"""Following organisations and people, here or anywhere on the fediverse, and the timeline."""

from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from node.appkeys import CLIENT_API
from node.i18n import gettext_ as _
from node.proposal_documents import clean_hashtag
from node.services.errors import ServiceError
from node.services.following_view import follow_uri, followed_by
from node.services.following_view import timeline_page as read_timeline
from node.services.remote_search import MAX_ADDRESS
from web.forms import form_values, parse_id
from web.page_context import flash
from web.viewer import require_member

TIMELINE_PAGE = 30


async def follow_form(request: web.Request) -> web.Response:
    """Who the member follows, and a form to follow someone else (?address= fills it in)."""
    viewer = await require_member(request)
    address = request.query.get("address", "").strip()[:MAX_ADDRESS]
    return await _follow_page(request, viewer.actor_id, {"address": address}, {})


async def _follow_page(
    request: web.Request,
    actor_id: int,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> web.Response:
    context = {"follows": await followed_by(actor_id), "values": values, "errors": errors}
    return aiohttp_jinja2.render_template("follow.html", request, context, status=status)


async def submit_follow(request: web.Request) -> web.Response:
    """POST /follow: an @handle@host (found through WebFinger) or a pasted profile URL."""
    viewer = await require_member(request)
    values = await form_values(request, ("address",))
    address = values["address"].strip()
    error = ""
    if not address:
        error = _("Give an address such as @advice@charity.example, or paste a link.")
    elif not (address.startswith(("https://", "http://")) or address.count("@") >= 1):
        error = _("That is neither an @name@server address nor a link.")
    if not error:
        target = address if address.startswith("http") else "@" + address.lstrip("@")
        try:
            await request.app[CLIENT_API].post_as(
                viewer.actor_id, {"type": "Follow", "object": target}
            )
        except ServiceError as failure:
            error = _("We could not follow %(address)s: %(reason)s") % {
                "address": address,
                "reason": str(failure),
            }
    if error:
        status = 400
        return await _follow_page(request, viewer.actor_id, values, {"address": error}, status)
    await flash(request, _("Follow request sent to %(address)s.") % {"address": address})
    raise web.HTTPSeeOther("/follow")


async def submit_unfollow(request: web.Request) -> web.Response:
    """POST /unfollow: stop following an actor (by its id)."""
    viewer = await require_member(request)
    values = await form_values(request, ("actor",))
    uri = await follow_uri(viewer.actor_id, values["actor"])
    if uri is None:
        raise web.HTTPNotFound(text=_("You do not follow that account."))
    await request.app[CLIENT_API].post_as(viewer.actor_id, {"type": "Undo", "object": uri})
    await flash(request, _("You no longer follow them."))
    raise web.HTTPSeeOther("/follow")


async def timeline_page(request: web.Request) -> web.Response:
    """GET /timeline[?tag=&before=N]: what the followed publish, newest first."""
    viewer = await require_member(request)
    raw_tag = request.query.get("tag", "").strip()
    tag = clean_hashtag(raw_tag) if raw_tag else ""
    if raw_tag and not tag:
        raise web.HTTPBadRequest(text=_("A hashtag is letters, digits or underscores."))
    before = request.query.get("before", "")
    page = await read_timeline(
        viewer.actor_id, tag, parse_id(before, "before") if before else None, TIMELINE_PAGE
    )
    items, more = page.items, page.more
    context = {
        "items": items,
        "tag": tag,
        "older": f"/timeline?{'tag=' + tag + '&' if tag else ''}before={items[-1].id}"
        if more
        else "",
    }
    return aiohttp_jinja2.render_template("timeline.html", request, context)
