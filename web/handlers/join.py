"""Joining the node: sign-up by invitation, by approval or open; an invitation to one
organisation makes its user a member of it too, and a member already signed in joins it."""

from __future__ import annotations

import logging

import aiohttp_jinja2
from aiohttp import web

from node.appkeys import MAIL_QUEUE, URLS
from node.i18n import gettext_ as _
from node.services import organisation_invites
from node.services.account_mail import check_address_free
from node.services.errors import ServiceError
from node.services.invites import invited_address
from node.services.members import AccountStatus
from node.services.membership import join
from node.services.settings import SignupMode, site_settings
from web.forms import form_values
from web.page_context import flash
from web.ratelimit import RateLimit, client_address, too_many
from web.viewer import current_viewer, sign_in

log = logging.getLogger("townhall.web")
JOIN_LIMIT = web.AppKey("join_limit", RateLimit)
FIELDS = ("handle", "name", "email", "password", "note")


async def _mode_and_code(request: web.Request) -> tuple[SignupMode, str]:
    code = request.match_info.get("code", "")
    if code:
        await invited_address(code)  # 404 or 410 page when it cannot be used
    return (await site_settings()).signup_mode, code


async def join_form(request: web.Request) -> web.Response:
    """The sign-up form, or why there is none; for a member signed in, an invitation to an
    organisation's button."""
    if await current_viewer(request) is not None:
        return await _invitation_for_a_member(request)
    mode, code = await _mode_and_code(request)
    values = dict.fromkeys(FIELDS, "")
    values["email"] = await invited_address(code) if code else ""  # confirmed by the mail
    return await _render(request, mode, code, values, {})


async def _invitation_for_a_member(request: web.Request) -> web.Response:
    """GET /join/{code} signed in: what the invitation to an organisation offers (joining it,
    on a POST); home for any other."""
    code = request.match_info.get("code", "")
    invitation = await organisation_invites.invitation(code) if code else None  # 404, 410
    if invitation is None or not invitation.organisation_handle:
        raise web.HTTPSeeOther("/")
    context = {"invitation": invitation, "code": code}
    return aiohttp_jinja2.render_template("join_organisation.html", request, context)


async def _member_accepts(request: web.Request, viewer_account_id: int) -> web.Response:
    """POST /join/{code} signed in: the member joins the organisation it invites to."""
    await form_values(request, ())  # a body that is no form is refused before anything changes
    code = request.match_info.get("code", "")
    if not code:
        raise web.HTTPSeeOther("/")
    # refusals are error pages: not known (404), used up (410), a node's invitation (409)
    handle, joined = await organisation_invites.accept(viewer_account_id, code)
    said = (
        _("You are now a member of @%(handle)s.")
        if joined
        else _("You are a member of @%(handle)s already.")
    )
    await flash(request, said % {"handle": handle})
    raise web.HTTPSeeOther(f"/actors/{handle}")


async def submit_join(request: web.Request) -> web.Response:
    """Create the account: signed in at once, or waiting for a moderator's approval (a member
    signed in takes up an invitation to an organisation)."""
    viewer = await current_viewer(request)
    if viewer is not None:
        return await _member_accepts(request, viewer.account_id)
    mode, code = await _mode_and_code(request)
    if mode == SignupMode.INVITE and not code:
        raise web.HTTPForbidden(text=_("Joining this node needs an invitation link."))
    values = await form_values(request, (*FIELDS, "confirm"))
    limit, address = request.app[JOIN_LIMIT], client_address(request)
    wait = await limit.retry_after(address)
    if wait:
        raise too_many(wait, _("Too many new accounts from your connection."))
    errors: dict[str, str] = {}
    handle = values["handle"].strip().lstrip("@").lower()
    if not handle:
        errors["handle"] = _("Choose a handle.")
    if not values["name"].strip():
        errors["name"] = _("Give a display name (it can be a pseudonym).")
    if values["password"] != values["confirm"]:
        errors["confirm"] = _("The two passwords are not the same.")
    if mode == SignupMode.APPROVAL and not code and not values["note"].strip():
        errors["note"] = _("Tell the moderators a little about yourself.")
    email = ""
    if values["email"].strip():  # optional: without it, only an admin can reset the password
        try:
            email = await check_address_free(values["email"])
        except ServiceError as error:
            errors["email"] = error.translated()
    if not errors:
        try:
            member = await join(
                request.app[URLS],
                handle=handle,
                name=values["name"].strip(),
                password=values["password"],
                note=values["note"],
                invite_code=code,
                email=email,
                mail_queue=request.app[MAIL_QUEUE],
            )
        except ServiceError as error:
            english = str(error)  # which field it is about, read from the English words
            field = "password" if "password" in english else "handle"
            field = "email" if "address" in english else field
            errors[field if error.status in (400, 409) else "form"] = error.translated()
    values = {**values, "password": "", "confirm": ""}
    if errors:
        return await _render(request, mode, code, values, errors, status=400)
    await limit.record(address)
    log.info("join.created", extra={"handle": handle, "status": member.status.value})
    if member.status == AccountStatus.PENDING:
        context = {"handle": handle}
        return aiohttp_jinja2.render_template("join_pending.html", request, context)
    await sign_in(request, member)
    await flash(request, _("Welcome! You can now take part."))
    raise web.HTTPSeeOther("/settings/profile")


async def _render(
    request: web.Request,
    mode: SignupMode,
    code: str,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> web.Response:
    open_form = bool(code) or mode != SignupMode.INVITE
    context = {
        "to_organisation": (await organisation_invites.invitation(code)).organisation_name
        if code
        else "",
        "mode": mode.value,
        "code": code,
        "open_form": open_form,
        "values": values,
        "errors": errors,
    }
    return aiohttp_jinja2.render_template("join.html", request, context, status=status)
