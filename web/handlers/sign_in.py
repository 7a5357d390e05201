"""Signing in and out of the node's pages."""

from __future__ import annotations

import logging

import aiohttp_jinja2
from aiohttp import web

from node.i18n import gettext_ as _
from node.services.members import AccountStatus
from node.services.viewers import authenticate, record_sign_in
from web.forms import form_values, safe_next
from web.known_devices import known_device, remember_device
from web.page_context import flash
from web.ratelimit import client_address, too_many
from web.sign_in_limits import SIGN_IN_LIMITS
from web.viewer import current_viewer, sign_in, sign_out

log = logging.getLogger("townhall.web")


async def sign_in_form(request: web.Request) -> web.Response:
    """The sign-in form (signed-in members go straight on)."""
    next_url = safe_next(request.query.get("next"))
    if await current_viewer(request) is not None:
        raise web.HTTPSeeOther(next_url)
    return _render(request, {"handle": "", "next": next_url}, {})


async def submit_sign_in(request: web.Request) -> web.Response:
    """Check the handle and password, within the rate limits."""
    values = await form_values(request, ("handle", "password", "next"))
    handle = values["handle"].strip().lstrip("@").lower()
    values["next"] = safe_next(values["next"])
    limits = request.app[SIGN_IN_LIMITS]
    address, known = client_address(request), await known_device(request, handle)
    wait = await limits.attempt(handle, address, known)
    if wait:
        log.warning("sign_in.rate_limited", extra={"handle": handle})
        raise too_many(wait, _("Too many attempts to sign in."))
    member = await authenticate(handle, values["password"])
    if member is None:
        error = _("That handle and password do not match an account here.")
        return _render(request, values, {"password": error}, status=401)
    await limits.succeeded(handle, address, known)
    if member.status != AccountStatus.ACTIVE:
        error = (
            _("A moderator has not approved your account yet.")
            if member.status == AccountStatus.PENDING
            else _("This account is suspended. Ask the node's admins why.")
        )
        return _render(request, values, {"handle": error}, status=403)
    await record_sign_in(member.account_id)
    await sign_in(request, member)
    await flash(request, _("You are signed in."))
    redirect = web.HTTPSeeOther(values["next"])
    remember_device(request, redirect, member)
    raise redirect


async def submit_sign_out(request: web.Request) -> web.Response:
    """End the member's sessions and go home."""
    signed_in = await current_viewer(request) is not None
    await sign_out(request)
    if signed_in:
        await flash(request, _("You are signed out, here and on your other devices."))
    raise web.HTTPSeeOther("/")


def _render(
    request: web.Request, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> web.Response:
    context = {"values": {**values, "password": ""}, "errors": errors}
    return aiohttp_jinja2.render_template("sign_in.html", request, context, status=status)
