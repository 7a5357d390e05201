"""A member's data and account: download everything they wrote and did; delete the account."""

from __future__ import annotations

import asyncio

import aiohttp_jinja2
from aiohttp import web

from node.appkeys import CLIENT_API
from node.i18n import gettext_ as _
from node.services.account_deletion import delete_account
from node.services.errors import ServiceError
from node.services.own_data import CHUNK, export_zip
from node.services.viewers import authenticate
from web.forms import form_values
from web.known_devices import known_device
from web.page_context import flash
from web.ratelimit import client_address, too_many
from web.sign_in_limits import SIGN_IN_LIMITS
from web.viewer import require_member, sign_out

CHOICES = ("keep", "remove")


async def account_page(request: web.Request) -> web.Response:
    """GET /settings/account: download your data; delete your account."""
    await require_member(request)
    return aiohttp_jinja2.render_template("settings_account.html", request, {})


async def download_data(request: web.Request) -> web.StreamResponse:
    """GET /settings/account/data.zip: everything the member wrote and did, as JSON and CSV
    (built in bounded memory, streamed in chunks; reading it writes nothing)."""
    viewer = await require_member(request)
    archive = await export_zip(viewer.account_id)
    try:
        response = web.StreamResponse(
            headers={
                "Content-Type": "application/zip",
                "Content-Disposition": f'attachment; filename="townhall-{viewer.handle}.zip"',
                "Cache-Control": "no-store",
            }
        )
        await response.prepare(request)
        while chunk := await asyncio.to_thread(archive.read, CHUNK):
            await response.write(chunk)
        await response.write_eof()
        return response
    finally:
        archive.close()


async def delete_form(request: web.Request) -> web.Response:
    """GET /settings/account/delete: what deleting means, the choice, and the password."""
    await require_member(request)
    return _delete_page(request, {"comments": ""}, {})


async def submit_delete(request: web.Request) -> web.Response:
    """POST /settings/account/delete: with the right password and a choice for the comments,
    the account goes (a federated Delete of the actor); every session ends."""
    viewer = await require_member(request)
    values = await form_values(request, ("password", "comments"))
    errors: dict[str, str] = {}
    if values["comments"] not in CHOICES:
        errors["comments"] = _("Choose what happens to your comments.")
    handle, address = viewer.handle, client_address(request)
    limits, known = request.app[SIGN_IN_LIMITS], await known_device(request, handle)
    wait = await limits.attempt(handle, address, known)
    if wait:
        raise too_many(wait, _("Too many wrong passwords."))
    if not values["password"]:
        errors["password"] = _("Type your password to confirm.")
    elif await authenticate(handle, values["password"]) is None:
        errors["password"] = _("That is not your password.")
    else:
        await limits.succeeded(handle, address, known)
    if not errors:
        try:
            await delete_account(
                request.app[CLIENT_API],
                viewer.account_id,
                remove_comments=values["comments"] == "remove",
            )
        except ServiceError as refusal:
            errors["form"] = str(refusal)
    if errors:
        status = 403 if "form" in errors else 400
        return _delete_page(request, {"comments": values["comments"]}, errors, status=status)
    await sign_out(request)
    await flash(request, _("Your account is deleted. Thank you for taking part."))
    raise web.HTTPSeeOther("/")


def _delete_page(
    request: web.Request, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> web.Response:
    context = {"values": values, "errors": errors}
    return aiohttp_jinja2.render_template(
        "settings_delete_account.html", request, context, status=status
    )
