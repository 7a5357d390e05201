"""Replies held for a moderator (node/services/held_replies.py): the list, approving one, and
a proposal's own rule for who may reply."""

from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from node.appkeys import CLIENT_API, URLS
from node.i18n import gettext_ as _
from node.services import held_replies, statement_view
from web.forms import form_values
from web.handlers.discussion import page_object
from web.handlers.moderation import moderated_uri
from web.object_paths import object_path
from web.page_context import flash
from web.viewer import require_member, require_moderating


async def held_page(request: web.Request) -> web.Response:
    """GET /admin/held (the node's moderators; an organisation's, what is in its threads): the
    replies and statements waiting for approval, oldest first."""
    viewer = await require_moderating(request)
    scope = viewer.moderation_scope
    context = {
        "held": await held_replies.held_replies(scope),
        "pending_statements": await statement_view.pending_for_moderators(scope),
        "local_key": request.app[URLS].object_key,
    }
    return aiohttp_jinja2.render_template("admin/held.html", request, context)


async def submit_approve(request: web.Request) -> web.Response:
    """POST /remote/objects/{id}/approve (moderators of its thread): show a held reply, and
    announce it."""
    viewer = await require_moderating(request)
    uri = await moderated_uri(request, viewer)
    # a ServiceError (not held, gone) becomes its page through web/middlewares.error_pages
    await held_replies.approve(request.app[CLIENT_API].outbox, uri, by_account_id=viewer.account_id)
    await flash(request, _("The reply is approved: it is shown and passed on."))
    raise web.HTTPSeeOther("/admin/held")


async def submit_reply_rule(request: web.Request) -> web.Response:
    """POST /objects/{key}/reply-rule: who may reply to this proposal (its author, an admin)."""
    viewer = await require_member(request)
    row = await page_object(request)
    values = await form_values(request, ("reply_policy",))
    await held_replies.set_proposal_rule(viewer.actor_id, row.uri, values["reply_policy"])
    await flash(request, _("Who may reply is saved."))
    raise web.HTTPSeeOther(object_path(request, row))
