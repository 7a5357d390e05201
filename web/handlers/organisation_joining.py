"""Who joins an organisation, from its page (its own admins' and the node's): the requests of
members asking to join, approved or declined, and invitations to it, made and withdrawn. The
rules are node/services/join_requests.py's and organisation_invites.py's (which write the audit
log); a refused form answers with the page, its error said and its status, nothing written."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from node.appkeys import MAIL_QUEUE, URLS
from node.i18n import gettext_ as _
from node.services import join_requests, organisation_invites
from node.services.errors import Conflict, NotFound, ServiceError
from web.forms import form_values, path_id
from web.handlers.organisations_admin import profile_values, render_organisation
from web.invitation_form import invitation_problems
from web.page_context import flash
from web.viewer import require_organisation_admin

INVITE_FIELDS = ("email", "days", "uses")


async def submit_approve(request: web.Request) -> web.Response:
    """POST /admin/organisations/{handle}/requests/approve: the member (`member`) joins it."""
    said = _("@%(member)s is now a member of @%(handle)s.")
    return await _answer(request, join_requests.approve, said)


async def submit_decline(request: web.Request) -> web.Response:
    """POST /admin/organisations/{handle}/requests/decline: the member's request is removed."""
    said = _("The request of @%(member)s to join @%(handle)s is declined.")
    return await _answer(request, join_requests.decline, said)


async def _answer(
    request: web.Request, answer: Callable[..., Awaitable[None]], said: str
) -> web.Response:
    viewer = await require_organisation_admin(request)
    values = await form_values(request, ("member",))
    handle = request.match_info["handle"]
    member = values["member"].strip().removeprefix("@")
    try:
        await answer(handle, member, by_account_id=viewer.account_id)
    except ServiceError as error:  # no such request (404 on the page: 422); suspended (409)
        status = 409 if isinstance(error, Conflict) else 422
        shown = await profile_values(request)
        return await render_organisation(
            request, viewer, shown, {"form": error.translated()}, status
        )
    await flash(request, said % {"member": member, "handle": handle})
    raise web.HTTPSeeOther(f"/admin/organisations/{handle}")


async def submit_invite(request: web.Request) -> web.Response:
    """POST /admin/organisations/{handle}/invites: a link for one or more people to join the
    node as members and belong to this organisation, mailed when an address is given; shown
    once, on the page that answers."""
    viewer = await require_organisation_admin(request)
    values = await profile_values(request) | await form_values(request, INVITE_FIELDS)
    handle = request.match_info["handle"]
    errors = invitation_problems(values)
    if not errors:
        try:
            _id, code = await organisation_invites.invite_to(
                request.app[MAIL_QUEUE],
                handle,
                by_account_id=viewer.account_id,
                address=values["email"],
                days=int(values["days"]),
                max_uses=int(values["uses"]),
            )
        except ServiceError as error:  # days or uses out of range; a suspended organisation
            errors["form"] = error.translated()
            status = 409 if isinstance(error, Conflict) else 422
            return await render_organisation(request, viewer, values, errors, status)
    if errors:
        return await render_organisation(request, viewer, values, errors, 422)
    link = f"{request.app[URLS].base}/join/{code}"
    kept = await profile_values(request)
    return await render_organisation(
        request, viewer, kept, {}, new_link=link, mailed_to=values["email"]
    )


async def submit_withdraw_invite(request: web.Request) -> web.Response:
    """POST /admin/organisations/{handle}/invites/{id}/withdraw: its own invitations only."""
    viewer = await require_organisation_admin(request)
    await form_values(request, ())  # a body that is no form is refused before anything changes
    handle = request.match_info["handle"]
    try:
        await organisation_invites.withdraw(
            handle, path_id(request), by_account_id=viewer.account_id
        )
    except NotFound as error:  # another organisation's, the node's, or withdrawn already
        raise web.HTTPNotFound(text=error.translated()) from None
    await flash(request, _("The invitation is withdrawn."))
    raise web.HTTPSeeOther(f"/admin/organisations/{handle}")
