"""A member's API tokens: when each was made and last used, and a button to revoke it."""

from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from node.i18n import gettext_ as _
from node.services.errors import NotFound
from node.services.tokens import revoke_token, tokens_of
from web.page_context import flash
from web.viewer import require_member


async def tokens_page(request: web.Request) -> web.Response:
    """The signed-in member's tokens (never the tokens themselves: only digests are kept)."""
    viewer = await require_member(request)
    context = {"tokens": await tokens_of(viewer.account_id)}
    return aiohttp_jinja2.render_template("settings_tokens.html", request, context)


async def submit_revoke(request: web.Request) -> web.Response:
    """Revoke one of the member's own tokens; another's is a 404, as if it did not exist."""
    viewer = await require_member(request)
    token_id = int(request.match_info["id"])
    try:
        await revoke_token(token_id, account_id=viewer.account_id)
    except NotFound:
        raise web.HTTPNotFound(text=_("You have no token with that number.")) from None
    await flash(request, _("The token is revoked: programs using it can no longer act for you."))
    raise web.HTTPSeeOther("/settings/tokens")
