"""A member's email address: adding or changing it (a link to confirm goes to the new one; the
old one stays until it is used), and the confirmation link itself."""

from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from node.appkeys import MAIL_QUEUE
from node.i18n import gettext_ as _
from node.services.account_mail import (
    change_address,
    confirm_address,
    email_status,
    pending_verification,
)
from node.services.errors import ServiceError
from web.forms import form_values
from web.page_context import flash
from web.ratelimit import RateLimit, too_many
from web.viewer import current_viewer, require_member

VERIFICATIONS_BY_MEMBER = web.AppKey("verifications_by_member", RateLimit)


async def email_form(request: web.Request) -> web.Response:
    """GET /settings/email: the confirmed address, one waiting for its link, and the form."""
    viewer = await require_member(request)
    return await _render(request, viewer.account_id, {"address": ""}, {})


async def submit_email(request: web.Request) -> web.Response:
    """POST /settings/email: mail a confirmation link to the new address."""
    viewer = await require_member(request)
    values = await form_values(request, ("address",))
    limit, key = request.app[VERIFICATIONS_BY_MEMBER], str(viewer.account_id)
    wait = await limit.retry_after(key)
    if wait:
        raise too_many(wait, _("Too many confirmation links asked for."))
    try:
        address = await change_address(
            request.app[MAIL_QUEUE], viewer.account_id, values["address"]
        )
    except ServiceError as error:
        if error.status != 400:
            raise
        return await _render(
            request, viewer.account_id, values, {"address": error.translated()}, 400
        )
    await limit.record(key)
    await flash(
        request,
        _("We have sent a link to %(address)s. Open it to confirm the address.")
        % {"address": address},
    )
    raise web.HTTPSeeOther("/settings/email")


async def _render(
    request: web.Request,
    account_id: int,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> web.Response:
    context = {"current": await email_status(account_id), "values": values, "errors": errors}
    return aiohttp_jinja2.render_template("settings_email.html", request, context, status=status)


async def verify_page(request: web.Request) -> web.Response:
    """GET /email/verify/{code}: which address the link confirms, and a button to do it
    (a GET writes nothing, so a mail scanner opening the link confirms nothing)."""
    found = await pending_verification(request.match_info["code"])  # 404 or 410 page
    context = {"handle": found.handle, "address": found.address, "action": request.path}
    return aiohttp_jinja2.render_template("verify_email.html", request, context)


async def submit_verify(request: web.Request) -> web.Response:
    """POST /email/verify/{code}: the address becomes the member's, once."""
    confirmed = await confirm_address(request.match_info["code"])  # 404, 409 or 410 page
    await flash(
        request,
        _("%(address)s is confirmed as the email address of @%(handle)s.")
        % {"address": confirmed.address, "handle": confirmed.handle},
    )
    signed_in = await current_viewer(request) is not None
    raise web.HTTPSeeOther("/settings/email" if signed_in else "/sign-in")
