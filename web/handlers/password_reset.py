"""Choosing a new password through a reset link an admin made."""

from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from node.i18n import gettext_ as _
from node.services.errors import ServiceError
from node.services.password_resets import reset_handle, use_reset
from web.forms import form_values
from web.page_context import flash
from web.viewer import sign_in


async def reset_form(request: web.Request) -> web.Response:
    """The form, when the link can still be used (404 or 410 page otherwise)."""
    return _render(request, await reset_handle(request.match_info["code"]), {})


async def submit_reset(request: web.Request) -> web.Response:
    """Set the new password, end the member's other sessions, and sign this one in."""
    code = request.match_info["code"]
    handle = await reset_handle(code)
    values = await form_values(request, ("new", "confirm"))
    if values["new"] != values["confirm"]:
        errors = {"confirm": _("The two passwords are not the same.")}
        return _render(request, handle, errors, status=400)
    try:
        member = await use_reset(code, values["new"])
    except ServiceError as error:
        if error.status != 400:
            raise
        return _render(request, handle, {"new": str(error)}, status=400)
    await sign_in(request, member)
    await flash(request, _("Your new password is set. You are signed in."))
    raise web.HTTPSeeOther("/")


def _render(
    request: web.Request, handle: str, errors: dict[str, str], status: int = 200
) -> web.Response:
    context = {"handle": handle, "errors": errors, "values": {}, "action": request.path}
    return aiohttp_jinja2.render_template("password_reset.html", request, context, status=status)
