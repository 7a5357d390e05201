"""The node admin's pages of the organisations an umbrella node hosts: the list, a form to add
one, suspending and lifting a suspension, and each organisation's members (add, remove). The
rules are node/services/organisations.py's; these pages only ask and show."""

from __future__ import annotations

from typing import Any

import aiohttp_jinja2
from aiohttp import web

from node.appkeys import URLS
from node.i18n import gettext_ as _
from node.services import organisations
from node.services.errors import Conflict, NotFound, ServiceError
from web.forms import form_values
from web.page_context import flash
from web.viewer import require_admin

ORGANISATION_FIELDS = ("handle", "name", "summary")


def _render(
    request: web.Request, template: str, context: dict[str, Any], status: int = 200
) -> web.Response:
    return aiohttp_jinja2.render_template(f"admin/{template}", request, context, status=status)


async def organisations_page(request: web.Request) -> web.Response:
    """GET /admin/organisations: every organisation hosted, and a form to add one."""
    await require_admin(request)
    return await _organisations(request, dict.fromkeys(ORGANISATION_FIELDS, ""), {})


async def _organisations(
    request: web.Request, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> web.Response:
    context = {
        "organisations": await organisations.hosted_organisations(),
        "values": values,
        "errors": errors,
    }
    return _render(request, "organisations.html", context, status)


async def submit_organisation(request: web.Request) -> web.Response:
    """POST /admin/organisations: host another organisation. Every field's problem is shown
    at once (422) and nothing is written until all are right."""
    await require_admin(request)
    values = await form_values(request, ORGANISATION_FIELDS)
    problems = await organisations.organisation_problems(
        values["handle"], values["name"], values["summary"]
    )
    errors = {field: problem.translated() for field, problem in problems.items()}
    if not errors:
        try:
            added = await organisations.add_hosted_organisation(
                request.app[URLS], values["handle"], values["name"], values["summary"]
            )
        except ServiceError as error:  # lost a race for the handle, or the node is not set up
            errors["handle" if isinstance(error, Conflict) else "form"] = error.translated()
    if errors:
        return await _organisations(request, values, errors, status=422)
    await flash(request, _("@%(handle)s is now hosted on this node.") % {"handle": added.handle})
    raise web.HTTPSeeOther("/admin/organisations")


async def submit_suspend(request: web.Request) -> web.Response:
    """POST /admin/organisations/{handle}/suspend: not served, publishes and relays nothing."""
    return await _set_suspended(request, True, _("@%(handle)s is suspended."))


async def submit_unsuspend(request: web.Request) -> web.Response:
    """POST /admin/organisations/{handle}/unsuspend: served again."""
    return await _set_suspended(request, False, _("The suspension of @%(handle)s is lifted."))


async def _set_suspended(request: web.Request, suspended: bool, said: str) -> web.Response:
    await require_admin(request)
    await form_values(request, ())  # a body that is no form is refused before anything changes
    handle = request.match_info["handle"]
    await organisations.set_suspended(handle, suspended)  # refusals: error pages (404, 409)
    await flash(request, said % {"handle": handle})
    raise web.HTTPSeeOther("/admin/organisations")


async def organisation_page(request: web.Request) -> web.Response:
    """GET /admin/organisations/{handle}: its members, a form to add one, a button to remove."""
    await require_admin(request)
    return await _organisation(request, {"member": ""}, {})


async def _organisation(
    request: web.Request, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> web.Response:
    handle = request.match_info["handle"]
    context = {
        "hosted": await organisations.hosted_organisation(handle),  # NotFound: 404
        "members": await organisations.members_of(handle),
        "values": values,
        "errors": errors,
    }
    return _render(request, "organisation.html", context, status)


async def submit_member(request: web.Request) -> web.Response:
    """POST /admin/organisations/{handle}/members: a member (by handle) belongs to it too."""
    await require_admin(request)
    values = await form_values(request, ("member",))
    handle = request.match_info["handle"]
    organisation = await organisations.hosted_organisation(handle)  # NotFound: 404
    if not values["member"].strip():
        return await _organisation(
            request, values, {"member": _("Give the handle of a member.")}, status=422
        )
    try:
        await organisations.join_by_handle(organisation.handle, values["member"])
    except ServiceError as error:  # no such member (422); a suspended organisation (409)
        status = 409 if isinstance(error, Conflict) else 422
        return await _organisation(request, values, {"member": error.translated()}, status)
    member = values["member"].strip().removeprefix("@")
    await flash(
        request, _("@%(member)s belongs to @%(handle)s.") % {"member": member, "handle": handle}
    )
    raise web.HTTPSeeOther(f"/admin/organisations/{handle}")


async def submit_remove_member(request: web.Request) -> web.Response:
    """POST /admin/organisations/{handle}/members/remove: a member no longer belongs to it
    (they keep at least one organisation)."""
    await require_admin(request)
    values = await form_values(request, ("member",))
    handle = request.match_info["handle"]
    organisation = await organisations.hosted_organisation(handle)  # NotFound: 404
    try:
        await organisations.leave_by_handle(organisation.handle, values["member"])
    except NotFound as error:  # not a member (of it, or of the node): the form was wrong
        return await _organisation(request, {"member": ""}, {"form": error.translated()}, 422)
    except Conflict as error:  # their only organisation
        return await _organisation(request, {"member": ""}, {"form": error.translated()}, 409)
    member = values["member"].strip().removeprefix("@")
    await flash(
        request,
        _("@%(member)s no longer belongs to @%(handle)s.") % {"member": member, "handle": handle},
    )
    raise web.HTTPSeeOther(f"/admin/organisations/{handle}")
