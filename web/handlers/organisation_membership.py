"""A member joins an organisation open to all from its profile, asks to join one whose admins
approve who joins (and withdraws the request), or leaves one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from node.i18n import gettext_ as _
from node.services import join_requests, joining_organisations
from node.services.errors import ServiceError
from web.forms import form_values
from web.page_context import flash
from web.viewer import require_member


async def submit_join(request: web.Request) -> web.Response:
    """POST /actors/{handle}/join: the signed-in member joins the organisation."""
    said = _("You are now a member of @%(handle)s.")
    return await _change_membership(request, joining_organisations.join_open, said)


async def submit_leave(request: web.Request) -> web.Response:
    """POST /actors/{handle}/leave: the signed-in member leaves the organisation."""
    said = _("You are no longer a member of @%(handle)s.")
    return await _change_membership(request, joining_organisations.leave, said)


async def submit_ask(request: web.Request) -> web.Response:
    """POST /actors/{handle}/ask: the signed-in member asks to join, with an optional message
    (one open to all: they join at once; asked already, or a member: nothing changes)."""
    viewer = await require_member(request)
    message = (await form_values(request, ("message",)))["message"]
    handle = request.match_info["handle"]
    try:
        asked = await join_requests.ask(viewer.account_id, handle, message)
    except ServiceError as error:
        raise _refused(error) from None
    Asked = join_requests.Asked
    said = {
        Asked.JOINED: _("You are now a member of @%(handle)s."),
        Asked.WAITING: _("Your request to join @%(handle)s is waiting for its admins."),
        Asked.MEMBER: _("You are a member of @%(handle)s already."),
    }[asked]
    await flash(request, said % {"handle": handle})
    raise web.HTTPSeeOther(f"/actors/{handle}")


async def submit_withdraw(request: web.Request) -> web.Response:
    """POST /actors/{handle}/withdraw: the signed-in member withdraws their request to join."""
    said = _("Your request to join @%(handle)s is withdrawn.")
    return await _change_membership(request, join_requests.withdraw, said)


async def _change_membership(
    request: web.Request, change: Callable[[int, str], Awaitable[None]], said: str
) -> web.Response:
    """`change` (the member's account, the organisation's handle) made, then `said` flashed."""
    viewer = await require_member(request)
    await form_values(request, ())  # a body that is no form is refused before anything changes
    handle = request.match_info["handle"]
    try:
        await change(viewer.account_id, handle)
    except ServiceError as error:
        raise _refused(error) from None
    await flash(request, said % {"handle": handle})
    raise web.HTTPSeeOther(f"/actors/{handle}")


def _refused(error: ServiceError) -> web.HTTPException:
    """The refusal as its status (403 closed to joining, 404 none, 409 suspended or the last,
    422 a message too long)."""
    kinds: dict[int, type[web.HTTPException]] = {
        403: web.HTTPForbidden, 404: web.HTTPNotFound, 409: web.HTTPConflict,
    }  # fmt: skip
    return kinds.get(error.status, web.HTTPUnprocessableEntity)(text=error.translated())
