"""A member's own comments: edit them (an `Update`), delete them (a `Delete`), and anyone's
comment's earlier versions (its history)."""

from __future__ import annotations

from typing import Any

import aiohttp_jinja2
from aiohttp import web

from node.appkeys import CLIENT_API
from node.i18n import gettext_ as _
from node.limits import MAX_COMMENT
from node.markdown import render_markdown
from node.services.errors import ServiceError
from node.services.own_comments import OwnComment, own_comment
from node.services.remote_pages import thread_home
from node.services.revisions import comment_history
from web.forms import form_values
from web.handlers.discussion import page_object
from web.object_paths import object_path
from web.page_context import flash
from web.viewer import require_member


async def _own(request: web.Request) -> tuple[int, OwnComment, str]:
    """The signed-in member's actor id, their comment in the URL (403 for another's), and the
    page of its thread to go back to."""
    viewer = await require_member(request)
    row = await page_object(request)
    comment = await own_comment(viewer.actor_id, row.uri)
    back = object_path(request, await thread_home(row))
    return viewer.actor_id, comment, f"{back}#c{comment.id}"


async def edit_form(request: web.Request) -> web.Response:
    """GET /objects/{key}/edit-comment: the comment's text, to change."""
    _actor_id, comment, back = await _own(request)
    return _edit_page(request, comment, back, {"content": comment.text}, {})


async def submit_edit(request: web.Request) -> web.Response:
    """POST /objects/{key}/edit-comment: the new text goes out as an `Update`; the old one is
    kept as the comment's history."""
    actor_id, comment, back = await _own(request)
    if not comment.changeable:  # the consultation closed since the form was shown
        return _edit_page(request, comment, back, {}, {}, status=409)
    values = await form_values(request, ("content",))
    text = values["content"].strip()
    error = (
        _("Write something, or delete the comment instead.")
        if not text
        else _("Keep a comment under 10,000 characters.")
        if len(text) > MAX_COMMENT
        else ""
    )
    if not error and text == comment.text.strip():
        error = _("The text is the same as before: change it, or go back.")
    if not error:
        changes: dict[str, Any] = {
            "id": comment.uri,
            "type": "Note",
            "content": render_markdown(text),
            "source": {"content": text, "mediaType": "text/markdown"},
        }
        try:
            await request.app[CLIENT_API].post_as(actor_id, {"type": "Update", "object": changes})
        except ServiceError as failure:
            error = str(failure)
    if error:
        return _edit_page(request, comment, back, values, {"content": error}, status=400)
    await flash(request, _("Your comment is changed."))
    raise web.HTTPSeeOther(back)


def _edit_page(
    request: web.Request,
    comment: OwnComment,
    back: str,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> web.Response:
    context = {
        "comment": comment,
        "values": values,
        "errors": errors,
        "back": back,
        "action": request.path,
        "delete_path": f"/objects/{request.match_info['key']}/delete",
    }
    return aiohttp_jinja2.render_template("comment_edit.html", request, context, status=status)


async def delete_form(request: web.Request) -> web.Response:
    """GET /objects/{key}/delete: what will be deleted, and a button to confirm."""
    _actor_id, comment, back = await _own(request)
    context = {"comment": comment, "back": back, "action": request.path}
    return aiohttp_jinja2.render_template("comment_delete.html", request, context)


async def submit_delete(request: web.Request) -> web.Response:
    """POST /objects/{key}/delete: the comment goes (a `Delete` with its Tombstone, wherever
    it went); replies to it keep their place."""
    actor_id, comment, back = await _own(request)
    await form_values(request, ())
    await request.app[CLIENT_API].post_as(actor_id, {"type": "Delete", "object": comment.uri})
    await flash(request, _("Your comment is deleted."))
    raise web.HTTPSeeOther(back.split("#", 1)[0] + "#discussion")


async def history_page(request: web.Request) -> web.Response:
    """GET /objects/{key}/revisions (or /remote/objects/{id}/revisions): what a comment said
    before each edit, newest first."""
    row = await page_object(request)
    history = await comment_history(row.id)
    if history is None or row.type == "Article":
        raise web.HTTPNotFound(text=_("Only comments keep their earlier versions here."))
    back = object_path(request, await thread_home(row))
    context = {"history": history, "back": f"{back}#c{row.id}"}
    return aiohttp_jinja2.render_template("comment_history.html", request, context)
