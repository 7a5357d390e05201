"""Choosing a new password through a reset link (an admin's, or one mailed to a member who
forgot theirs), and asking for such a link by email."""

from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from node.appkeys import MAIL_QUEUE
from node.i18n import gettext_ as _
from node.mail.addresses import InvalidAddress, normalise_address
from node.services.account_mail import request_reset
from node.services.errors import ServiceError
from node.services.password_resets import reset_handle, use_reset
from web.forms import form_values
from web.page_context import flash
from web.ratelimit import RateLimit, client_address, too_many
from web.viewer import sign_in

RESETS_BY_ADDRESS = web.AppKey("resets_by_address", RateLimit)
RESETS_BY_CLIENT = web.AppKey("resets_by_client", RateLimit)


async def forgot_form(request: web.Request) -> web.Response:
    """GET /forgot-password: a form asking for the member's address."""
    return _render_forgot(request, {"address": ""}, {})


async def submit_forgot(request: web.Request) -> web.Response:
    """Mail a reset link if the address is a member's; the same answer whether or not it is."""
    values = await form_values(request, ("address",))
    try:
        address = normalise_address(values["address"])
    except InvalidAddress as error:
        return _render_forgot(request, values, {"address": error.translated()}, status=400)
    by_address, by_client = request.app[RESETS_BY_ADDRESS], request.app[RESETS_BY_CLIENT]
    client = client_address(request)
    wait = max(await by_address.retry_after(address), await by_client.retry_after(client))
    if wait:
        raise too_many(wait, _("Too many requests for a new password."))
    await by_address.record(address)
    await by_client.record(client)
    await request_reset(request.app[MAIL_QUEUE], address)
    await flash(
        request,
        _("If that address belongs to a member, we have sent a link to it. It works for one hour."),
    )
    raise web.HTTPSeeOther("/sign-in")


def _render_forgot(
    request: web.Request, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> web.Response:
    context = {"values": values, "errors": errors}
    return aiohttp_jinja2.render_template("forgot_password.html", request, context, status=status)


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
        return _render(request, handle, {"new": error.translated()}, status=400)
    await sign_in(request, member)
    await flash(request, _("Your new password is set. You are signed in."))
    raise web.HTTPSeeOther("/")


def _render(
    request: web.Request, handle: str, errors: dict[str, str], status: int = 200
) -> web.Response:
    context = {"handle": handle, "errors": errors, "values": {}, "action": request.path}
    return aiohttp_jinja2.render_template("password_reset.html", request, context, status=status)
