"""A member's notifications page."""

from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from node.i18n import gettext_ as _
from node.services.notification_lines import outcome_text
from node.services.notifications import mark_seen, notifications_for
from web.page_context import flash
from web.viewer import require_member


async def notifications_page(request: web.Request) -> web.Response:
    """GET /notifications: newest first, unread ones marked."""
    viewer = await require_member(request)
    items = await notifications_for(viewer.account_id)
    context = {
        "items": items,
        "unread": sum(1 for item in items if item.unread),
        "outcome_text": outcome_text,  # what a reporter is told, as their mail says it
    }
    return aiohttp_jinja2.render_template("notifications.html", request, context)


async def submit_seen(request: web.Request) -> web.Response:
    """POST /notifications/seen: mark everything read."""
    viewer = await require_member(request)
    await mark_seen(viewer.account_id)
    await flash(request, _("All notifications are marked as read."))
    raise web.HTTPSeeOther("/notifications")
