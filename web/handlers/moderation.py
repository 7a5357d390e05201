"""Moderating the discussion: hide, show again, remove; members report what is wrong."""

from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from node.appkeys import CLIENT_API, URLS
from node.i18n import gettext_ as _
from node.services import moderation
from node.services.errors import ServiceError
from node.services.moderation_view import PostPlace, ReportablePost, reportable_post
from node.services.remote_pages import remote_object_uri, thread_home_of
from node.services.visibility import Seen, seen_of_uri
from web.forms import form_values, path_id
from web.handlers.discussion import page_object
from web.object_paths import object_path
from web.page_context import flash
from web.readers import reader_for
from web.viewer import Viewer, require_member, require_moderating


def _uri(request: web.Request) -> str:
    return request.app[URLS].object(request.match_info["key"])


async def moderated_uri(request: web.Request, viewer: Viewer) -> str:
    """The object in the URL (ours at /objects/{key}, another server's held here at
    /remote/objects/{id}), if this moderator may see it (hidden ones included; others'
    private messages not); else 404."""
    uri = (
        _uri(request) if "key" in request.match_info else await remote_object_uri(path_id(request))
    )
    if uri is None or await seen_of_uri(uri, reader_for(viewer)) is Seen.NOTHING:
        raise web.HTTPNotFound(text=_("There is nothing here (or it was already removed)."))
    return uri


async def _back_to_thread(request: web.Request, place: PostPlace) -> str:
    home = await thread_home_of(place.context_uri)
    return "/" if home is None else f"{object_path(request, home)}#c{place.id}"


async def submit_hide(request: web.Request) -> web.Response:
    """POST /objects/{key}/hide or /remote/objects/{id}/hide (the node's moderators, and an
    organisation's in its threads): hide a comment, keeping it."""
    viewer = await require_moderating(request)
    uri = await moderated_uri(request, viewer)
    values = await form_values(request, ("reason",))
    place = await moderation.hide(uri, values["reason"], by_account_id=viewer.account_id)
    await flash(request, _("The comment is hidden."))
    raise web.HTTPSeeOther(await _back_to_thread(request, place))


async def submit_unhide(request: web.Request) -> web.Response:
    """POST /objects/{key}/unhide (moderators)."""
    viewer = await require_moderating(request)
    uri = await moderated_uri(request, viewer)
    place = await moderation.unhide(uri, by_account_id=viewer.account_id)
    await flash(request, _("The comment is shown again."))
    raise web.HTTPSeeOther(await _back_to_thread(request, place))


async def submit_remove(request: web.Request) -> web.Response:
    """POST /objects/{key}/remove or /remote/objects/{id}/remove (moderators): withdraw a
    post for good (another server's: here, and on the servers that follow our organisation)."""
    viewer = await require_moderating(request)
    uri = await moderated_uri(request, viewer)
    place = await moderation.remove(request.app[CLIENT_API], uri, by_account_id=viewer.account_id)
    await flash(request, _("The post is removed."))
    raise web.HTTPSeeOther(await _back_to_thread(request, place))


async def _reported(request: web.Request, viewer: Viewer) -> ReportablePost:
    """The local object in the URL, or a remote one named by ?uri= (remote comments), if the
    member may see it."""
    uri = request.query.get("uri", "").strip()
    if not uri:
        uri = (await page_object(request)).uri if "id" in request.match_info else _uri(request)
    row = await reportable_post(uri, reader_for(viewer))
    if row is None:
        raise web.HTTPNotFound(text=_("There is nothing here to report."))
    return row


async def report_form(request: web.Request) -> web.Response:
    """GET /objects/{key}/report[?uri=]: what is reported, and a reason box."""
    row = await _reported(request, await require_member(request))
    return _render_report(request, row, {"reason": "", "forward": ""}, {})


async def submit_report(request: web.Request) -> web.Response:
    """POST /objects/{key}/report: the moderators get it in their queue; a report of another
    server's post may also go to that server's moderators (a Flag, when the member asks)."""
    viewer = await require_member(request)
    row = await _reported(request, viewer)
    values = await form_values(request, ("reason", "forward"))
    forward = values["forward"] == "1" and not row.author.is_local
    try:
        if forward:
            flag = {"type": "Flag", "object": row.uri, "content": values["reason"].strip()}
            await request.app[CLIENT_API].post_as(viewer.actor_id, flag)
        else:
            await moderation.report(viewer.actor_id, row.uri, values["reason"])
    except ServiceError as error:
        return _render_report(
            request, row, values, {"reason": error.translated()}, status=error.status
        )
    if forward:
        message = _("Thank you. Our moderators will look at it, and so will those of %(host)s.")
        await flash(request, message % {"host": row.author.domain})
    else:
        await flash(request, _("Thank you. The moderators will look at it."))
    raise web.HTTPSeeOther(await _back_to_thread(request, row.place))


def _render_report(
    request: web.Request,
    row: ReportablePost,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> web.Response:
    context = {"row": row, "values": values, "errors": errors, "action": request.path_qs}
    return aiohttp_jinja2.render_template("report.html", request, context, status=status)
