"""The pages of the organisations an umbrella node hosts. The node's admins have the list, add
organisations, suspend them and lift a suspension. Each organisation's page (its members and
their roles, its profile, its settings and the audit log's newest entries about it) is its own
admins' as well, and no one else's. The rules are node/services/organisations.py's and
organisation_admin.py's (which write the audit log, told who acts); these pages only ask and
show."""

from __future__ import annotations

from typing import Any

import aiohttp_jinja2
from aiohttp import web

from node.appkeys import CLIENT_API, URLS
from node.i18n import N_
from node.i18n import gettext_ as _
from node.services import (
    audit_log,
    join_requests,
    organisation_admin,
    organisation_invites,
    organisations,
)
from node.services.errors import Conflict, NotFound, ServiceError
from node.services.organisation_settings import organisation_profile
from node.services.viewers import Viewer
from web import organisation_setting_words as setting_words
from web.forms import form_values
from web.page_context import flash
from web.viewer import require_admin, require_organisation_admin

ORGANISATION_FIELDS = ("handle", "name", "summary")
INVITE_DEFAULTS = {"email": "", "days": "14", "uses": "1"}  # the invitation form, as it starts
ROLE_WORDS = {  # by organisation_admin.ROLES
    "member": N_("a member"),
    "moderator": N_("a moderator"),
    "admin": N_("an admin"),
}


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
    viewer = await require_admin(request)
    values = await form_values(request, ORGANISATION_FIELDS)
    problems = await organisations.organisation_problems(
        values["handle"], values["name"], values["summary"]
    )
    errors = {field: problem.translated() for field, problem in problems.items()}
    if not errors:
        try:
            added = await organisations.add_hosted_organisation(
                request.app[URLS],
                values["handle"],
                values["name"],
                values["summary"],
                by_account_id=viewer.account_id,
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
    viewer = await require_admin(request)
    await form_values(request, ())  # a body that is no form is refused before anything changes
    handle = request.match_info["handle"]
    # refusals: error pages (404, 409)
    await organisations.set_suspended(handle, suspended, by_account_id=viewer.account_id)
    await flash(request, said % {"handle": handle})
    raise web.HTTPSeeOther("/admin/organisations")


async def organisation_page(request: web.Request) -> web.Response:
    """GET /admin/organisations/{handle}: its members and their roles, a form to add one, its
    profile and its settings."""
    viewer = await require_organisation_admin(request)
    return await render_organisation(request, viewer, await profile_values(request), {})


async def render_organisation(
    request: web.Request,
    viewer: Viewer,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
    **extra: str,
) -> web.Response:
    """Its page, the forms holding `values`, with `errors` (and `extra`: a new invitation's
    link, the address it was mailed to) and `status`."""
    handle = request.match_info["handle"]
    context = {
        "hosted": await organisations.hosted_organisation(handle),  # NotFound: 404
        "members": await organisations.members_of(handle),
        "requests": await join_requests.pending(handle),
        "invites": await organisation_invites.invites_of(handle),
        "new_link": extra.get("new_link", ""),
        "mailed_to": extra.get("mailed_to", ""),
        "audit": await audit_log.organisation_entries(handle),
        "audit_limit": audit_log.ORGANISATION_ENTRIES,
        "values": values,
        "errors": errors,
        "runs_the_node": viewer.is_admin,
        "roles": [(role, _(ROLE_WORDS[role])) for role in organisation_admin.ROLES],
        "role_words": {role: _(ROLE_WORDS[role]) for role in organisation_admin.ROLES},
        "reply_rules": setting_words.reply_rules(),
        "joinings": setting_words.joinings(),
        "proposal_languages": setting_words.proposal_languages(),
    }
    return _render(request, "organisation.html", context, status)


async def profile_values(request: web.Request) -> dict[str, str]:
    """The organisation's profile and own settings as its page's forms start."""
    handle = request.match_info["handle"]
    found = await organisation_profile(handle)
    if found is None:
        raise web.HTTPNotFound(text=_("There is no such organisation."))
    profile, settings = found
    return {
        "member": "",
        "name": profile.name,
        "summary": profile.summary,
        "reply_policy": settings.reply_policy,
        "language": settings.language,
        "joining": settings.joining.value,
        **INVITE_DEFAULTS,
    }


async def submit_member(request: web.Request) -> web.Response:
    """POST /admin/organisations/{handle}/members: a member (by handle) belongs to it too."""
    viewer = await require_organisation_admin(request)
    values = await profile_values(request) | await form_values(request, ("member",))
    handle = request.match_info["handle"]
    organisation = await organisations.hosted_organisation(handle)  # NotFound: 404
    if not values["member"].strip():
        return await render_organisation(
            request, viewer, values, {"member": _("Give the handle of a member.")}, status=422
        )
    try:
        await organisations.join_by_handle(
            organisation.handle, values["member"], by_account_id=viewer.account_id
        )
    except ServiceError as error:  # no such member (422); a suspended organisation (409)
        status = 409 if isinstance(error, Conflict) else 422
        return await render_organisation(
            request, viewer, values, {"member": error.translated()}, status
        )
    member = values["member"].strip().removeprefix("@")
    await flash(
        request, _("@%(member)s belongs to @%(handle)s.") % {"member": member, "handle": handle}
    )
    raise web.HTTPSeeOther(f"/admin/organisations/{handle}")


async def submit_remove_member(request: web.Request) -> web.Response:
    """POST /admin/organisations/{handle}/members/remove: a member no longer belongs to it
    (they keep at least one organisation)."""
    viewer = await require_organisation_admin(request)
    values = await form_values(request, ("member",))
    shown = await profile_values(request)
    handle = request.match_info["handle"]
    organisation = await organisations.hosted_organisation(handle)  # NotFound: 404
    try:
        await organisations.leave_by_handle(
            organisation.handle, values["member"], by_account_id=viewer.account_id
        )
    except NotFound as error:  # not a member (of it, or of the node): the form was wrong
        return await render_organisation(request, viewer, shown, {"form": error.translated()}, 422)
    except Conflict as error:  # their only organisation
        return await render_organisation(request, viewer, shown, {"form": error.translated()}, 409)
    member = values["member"].strip().removeprefix("@")
    await flash(
        request,
        _("@%(member)s no longer belongs to @%(handle)s.") % {"member": member, "handle": handle},
    )
    raise web.HTTPSeeOther(f"/admin/organisations/{handle}")


async def submit_role(request: web.Request) -> web.Response:
    """POST /admin/organisations/{handle}/members/role: what a member may do for it."""
    viewer = await require_organisation_admin(request)
    values = await form_values(request, ("member", "role"))
    handle = request.match_info["handle"]
    try:
        role = organisation_admin.parse_role(values["role"])
        await organisation_admin.set_role(
            handle, values["member"], role, by_account_id=viewer.account_id
        )
    except ServiceError as error:
        shown = await profile_values(request)
        return await render_organisation(request, viewer, shown, {"form": error.translated()}, 422)
    member = values["member"].strip().removeprefix("@")
    words = {"member": member, "handle": handle, "role": _(ROLE_WORDS[role.value])}
    await flash(request, _("@%(member)s is now %(role)s of @%(handle)s.") % words)
    raise web.HTTPSeeOther(f"/admin/organisations/{handle}")


async def submit_profile(request: web.Request) -> web.Response:
    """POST /admin/organisations/{handle}/profile: its name and description, sent to its
    followers as an Update of its Group."""
    viewer = await require_organisation_admin(request)
    values = await profile_values(request) | await form_values(request, ("name", "summary"))
    handle = request.match_info["handle"]
    problems = await organisations.profile_problems(values["name"], values["summary"])
    if problems:
        errors = {field: problem.translated() for field, problem in problems.items()}
        return await render_organisation(request, viewer, values, errors, 422)
    await organisation_admin.edit_profile(
        request.app[CLIENT_API],
        handle,
        values["name"],
        values["summary"],
        by_account_id=viewer.account_id,
    )
    await flash(request, _("The profile of @%(handle)s is saved.") % {"handle": handle})
    raise web.HTTPSeeOther(f"/admin/organisations/{handle}")


async def submit_settings(request: web.Request) -> web.Response:
    """POST /admin/organisations/{handle}/settings: its own reply rule and language."""
    viewer = await require_organisation_admin(request)
    fields = ("reply_policy", "language", "joining")
    shown = await profile_values(request)
    values = shown | await form_values(request, fields)
    values["joining"] = values["joining"] or shown["joining"]  # a form without it keeps it
    handle = request.match_info["handle"]
    try:
        await organisation_admin.change_settings(
            handle,
            values["reply_policy"],
            values["language"],
            values["joining"],
            by_account_id=viewer.account_id,
        )
    except ServiceError as error:
        return await render_organisation(request, viewer, values, {"form": error.translated()}, 422)
    await flash(request, _("The settings of @%(handle)s are saved.") % {"handle": handle})
    raise web.HTTPSeeOther(f"/admin/organisations/{handle}")
