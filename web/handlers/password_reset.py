"""Choosing a new password through a reset link an admin made."""

from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from node.i18n import gettext_ as _
from node.services.errors import ServiceError
from node.services.password_resets import usable_reset, use_reset
from web.forms import form_values
from web.page_context import flash
from web.viewer import sign_in


async def reset_form(request: web.Request) -> web.Response:
    """The form, when the link can still be used (404 or 410 page otherwise)."""
    reset = await usable_reset(request.match_info["code"])
    return _render(request, reset.account.actor.handle, {})


async def submit_reset(request: web.Request) -> web.Response:
    """Set the new password, end the member's other sessions, and sign this one in."""
    code = request.match_info["code"]
    reset = await usable_reset(code)
    values = await form_values(request, ("new", "confirm"))
    if values["new"] != values["confirm"]:
        errors = {"confirm": _("The two passwords are not the same.")}
        return _render(request, reset.account.actor.handle, errors, status=400)
    try:
        account = await use_reset(code, values["new"])
    except ServiceError as error:
        if error.status != 400:
            raise
        return _render(request, reset.account.actor.handle, {"new": str(error)}, status=400)
    await sign_in(request, account)
    await flash(request, _("Your new password is set. You are signed in."))
    raise web.HTTPSeeOther("/")


def _render(
    request: web.Request, handle: str, errors: dict[str, str], status: int = 200
) -> web.Response:
    context = {"handle": handle, "errors": errors, "values": {}, "action": request.path}
    return aiohttp_jinja2.render_template("password_reset.html", request, context, status=status)
