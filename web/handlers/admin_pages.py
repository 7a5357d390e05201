"""Admin and moderator pages: members, invitations, settings, reports, delivery health (blocks
and the rest of the server policy: server_policy.py)."""

from __future__ import annotations

from typing import Any

import aiohttp_jinja2
from aiohttp import web

from node.appkeys import CLIENT_API, MAIL_QUEUE, URLS
from node.i18n import available_languages, language_name
from node.i18n import gettext_ as _
from node.services import admin_view, moderation, report_queue
from node.services.account_mail import make_invitation, send_test_message
from node.services.actor_views import organisation_view
from node.services.delivery_health import delivery_health
from node.services.errors import ServiceError
from node.services.invites import revoke
from node.services.members import AccessRole, parse_access_role
from node.services.membership import parse_status, set_role, set_status
from node.services.open_data.licences import LICENCES
from node.services.password_resets import create_reset
from node.services.settings import (
    SignupMode,
    change_setting,
    checked_setting,
    site_settings,
)
from web.forms import form_values, path_id
from web.invitation_form import invitation_problems
from web.page_context import flash
from web.reply_rules import reply_rule_choices
from web.viewer import Viewer, require_admin, require_moderating, require_moderator


def _render(
    request: web.Request, template: str, context: dict[str, Any], status: int = 200
) -> web.Response:
    return aiohttp_jinja2.render_template(f"admin/{template}", request, context, status=status)


async def dashboard(request: web.Request) -> web.Response:
    """GET /admin: what needs attention."""
    viewer = await require_moderator(request)
    health = await delivery_health()
    counts = await admin_view.member_counts()
    context = {
        "members": counts.active,
        "pending": counts.pending,
        "open_reports": await report_queue.open_reports(viewer.moderation_scope),
        "health": health,
    }
    return _render(request, "dashboard.html", context)


async def members_page(request: web.Request) -> web.Response:
    """GET /admin/members: everyone with an account, pending ones first."""
    await require_moderator(request)
    accounts = await admin_view.members()
    roles = [(role.value, role.value) for role in AccessRole]
    return _render(request, "members.html", {"accounts": accounts, "roles": roles})


async def submit_member(request: web.Request) -> web.Response:
    """POST /admin/members/{handle}: approve, suspend, reinstate, or change the role."""
    viewer = await require_moderator(request)
    values = await form_values(request, ("action", "role"))
    handle = request.match_info["handle"]
    if values["action"] == "role":  # refusals (ServiceError) become error pages with status
        await set_role(viewer.account_id, handle, parse_access_role(values["role"]))
        message = _("The role of @%(handle)s is changed.")
    elif values["action"] in STATUS_ACTIONS:
        await set_status(viewer.account_id, handle, parse_status(STATUS_ACTIONS[values["action"]]))
        message = _("@%(handle)s is updated.")
    else:
        raise web.HTTPBadRequest(text=_("The action must be approve, suspend, reinstate or role."))
    await flash(request, message % {"handle": handle})
    raise web.HTTPSeeOther("/admin/members")


async def submit_password_reset(request: web.Request) -> web.Response:
    """POST /admin/members/{handle}/reset (admins): a one-time link to choose a new password."""
    viewer = await require_admin(request)
    handle = request.match_info["handle"]
    code = await create_reset(viewer.account_id, handle)
    link = f"{request.app[URLS].base}/reset/{code}"
    return _render(request, "reset_link.html", {"handle": handle, "link": link})


async def invites_page(request: web.Request) -> web.Response:
    """GET /admin/invites: the invitations and a form for a new one."""
    await require_moderator(request)
    values = {"role": "member", "email": "", "note": "", "days": "14", "uses": "1"}
    return await _invites(request, values, {})


async def _invites(
    request: web.Request,
    values: dict[str, str],
    errors: dict[str, str],
    new_link: str = "",
    status: int = 200,
    mailed_to: str = "",
) -> web.Response:
    context = {
        "invites": await admin_view.invites(),
        "values": values,
        "errors": errors,
        "new_link": new_link,
        "mailed_to": mailed_to,
        "roles": [("member", _("Member")), ("moderator", _("Moderator")), ("admin", _("Admin"))],
    }
    return _render(request, "invites.html", context, status)


async def submit_invite(request: web.Request) -> web.Response:
    """POST /admin/invites: make a link, mailed when an address is given; it is shown once,
    on the page that answers (the fallback when the mail does not arrive)."""
    viewer = await require_moderator(request)
    values = await form_values(request, ("role", "email", "note", "days", "uses"))
    errors: dict[str, str] = {}
    role = AccessRole.MEMBER
    try:
        role = parse_access_role(values["role"])
    except ServiceError as error:
        errors["role"] = error.translated()
    if role != AccessRole.MEMBER and not viewer.is_admin:
        errors["role"] = _("Only admins can invite moderators and admins.")
    errors |= invitation_problems(values)
    if not errors:
        try:
            _invite, code = await make_invitation(
                request.app[MAIL_QUEUE],
                viewer.account_id,
                address=values["email"],
                access_role=role,
                note=values["note"],
                days=int(values["days"]),
                max_uses=int(values["uses"]),
            )
        except ServiceError as error:
            errors["form"] = error.translated()
    if errors:
        return await _invites(request, values, errors, status=400)
    link = f"{request.app[URLS].base}/join/{code}"
    kept = {**values, "note": "", "email": ""}
    return await _invites(request, kept, {}, new_link=link, mailed_to=values["email"])


async def submit_revoke_invite(request: web.Request) -> web.Response:
    """POST /admin/invites/{id}/revoke."""
    await require_moderator(request)
    await revoke(path_id(request))
    await flash(request, _("The invitation is withdrawn."))
    raise web.HTTPSeeOther("/admin/invites")


async def submit_test_mail(request: web.Request) -> web.Response:
    """POST /admin/mail-test (admins): a test message to the admin's own confirmed address."""
    viewer = await require_admin(request)
    try:
        address = await send_test_message(request.app[MAIL_QUEUE], viewer.account_id)
    except ServiceError as error:
        await flash(request, error.translated())
    else:
        await flash(
            request,
            _("A test message is on its way to %(address)s. If it does not arrive, check the "
              "[email] settings and the worker's log.") % {"address": address},
        )  # fmt: skip
    raise web.HTTPSeeOther("/admin")


async def settings_page(request: web.Request) -> web.Response:
    """GET /admin/settings: how people join, the language, the organisation's profile."""
    await require_admin(request)
    settings = await site_settings()
    organisation = await organisation_view()
    values = {
        "signup_mode": settings.signup_mode.value,
        "language": settings.language,
        "poll_votes_per_server": str(settings.poll_votes_per_server),
        "time_zone": settings.time_zone,
        "reply_policy": settings.reply_policy.value,
        "digest_hour": str(settings.digest_hour),
        "digest_weekday": str(settings.digest_weekday),
        "data_licence": settings.data_licence,
        "name": organisation.name if organisation else "",
        "summary": organisation.summary if organisation else "",
    }
    return _settings(request, values, {})


def _settings(
    request: web.Request, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> web.Response:
    modes = [
        (SignupMode.INVITE.value, _("By invitation only")),
        (SignupMode.APPROVAL.value, _("Anyone may ask; a moderator approves")),
        (SignupMode.OPEN.value, _("Anyone may join")),
    ]
    languages = [(code, language_name(code)) for code in available_languages()]
    hours = [(str(hour), f"{hour:02d}:00") for hour in range(24)]
    weekdays = [
        ("0", _("Monday")), ("1", _("Tuesday")), ("2", _("Wednesday")), ("3", _("Thursday")),
        ("4", _("Friday")), ("5", _("Saturday")), ("6", _("Sunday")),
    ]  # fmt: skip
    context = {
        "values": values,
        "errors": errors,
        "modes": modes,
        "languages": languages,
        "reply_rules": reply_rule_choices(),
        "hours": hours,
        "weekdays": weekdays,
        "licences": [(licence.name, licence.title) for licence in LICENCES],
    }
    return _render(request, "settings.html", context, status)


async def submit_settings(request: web.Request) -> web.Response:
    """POST /admin/settings: save; a changed organisation profile goes out as an Update."""
    await require_admin(request)
    values = await form_values(
        request,
        (
            "signup_mode", "language", "poll_votes_per_server", "time_zone", "reply_policy",
            "digest_hour", "digest_weekday", "data_licence", "name", "summary",
        ),
    )  # fmt: skip
    errors: dict[str, str] = {}
    if not values["name"].strip():
        errors["name"] = _("The organisation needs a name.")
    keys: tuple[str, ...] = ("signup_mode", "language", "poll_votes_per_server")
    for optional in ("time_zone", "reply_policy", "digest_hour", "digest_weekday", "data_licence"):
        if values[optional].strip():  # a form without the field keeps the setting
            keys += (optional,)
    for key in keys:  # all checked before any is saved: a refused form changes nothing
        try:
            checked_setting(key, values[key])
        except ServiceError as error:
            errors[key] = error.translated()
    if not errors:
        for key in keys:
            await change_setting(key, values[key])
    organisation = await organisation_view()
    if not errors and organisation is not None:
        changes = {
            "id": organisation.uri,
            "type": organisation.type.value,
            "name": values["name"].strip(),
            "summary": values["summary"].strip(),
        }
        if (organisation.name, organisation.summary) != (changes["name"], changes["summary"]):
            await request.app[CLIENT_API].post_as(
                organisation.id, {"type": "Update", "object": changes}
            )
    if errors:
        return _settings(request, values, errors, status=400)
    await flash(request, _("The settings are saved."))
    raise web.HTTPSeeOther("/admin/settings")


async def reports_page(request: web.Request) -> web.Response:
    """GET /admin/reports[?page=N] (the node's moderators; an organisation's, the reports
    about posts in its threads): open reports first, newest first, a page at a time."""
    viewer = await require_moderating(request)
    try:
        number = report_queue.parse_page(request.query.get("page", ""))
    except ServiceError as error:
        raise web.HTTPBadRequest(text=error.translated()) from None
    found = await report_queue.report_page(number, viewer.moderation_scope)
    return _render(request, "reports.html", {"found": found})


async def submit_resolve(request: web.Request) -> web.Response:
    """POST /admin/reports/{id}/resolve: close it, after hiding, removing or blocking if asked
    (a report about what the moderator moderates: admin_view.report_target says, else 403)."""
    viewer = await require_moderating(request)
    values = await form_values(request, ("resolution", "then"))
    found = await admin_view.report_target(path_id(request), viewer.account_id)
    await _act_on_report(request, viewer, found, values["then"])
    await moderation.resolve_report(found.id, viewer.account_id, values["resolution"])
    await flash(request, _("The report is resolved."))
    raise web.HTTPSeeOther("/admin/reports")


async def _act_on_report(
    request: web.Request, viewer: Viewer, found: admin_view.ReportTarget, then: str
) -> None:
    by = viewer.account_id
    because = _("Reported: %(id)d") % {"id": found.id}
    if then == "hide":
        await moderation.hide(found.object_uri, because, by_account_id=by)
    elif then == "remove":
        await moderation.remove(
            request.app[CLIENT_API], found.object_uri, by_account_id=by, reason=because
        )
    elif then == "block":
        if not viewer.is_moderator:  # blocks are the node's, as /admin/blocks is
            raise web.HTTPForbidden(text=_("Only the node's moderators can block accounts."))
        target = moderation.BlockTarget("actor", found.actor_uri)
        if not await admin_view.actor_is_blocked(found.actor_uri):
            await moderation.add_block(target, f"report {found.id}", by_account_id=by)
    elif then:
        raise web.HTTPBadRequest(text=_("Then must be hide, remove or block."))


async def delivery_page(request: web.Request) -> web.Response:
    """GET /admin/delivery: the outgoing queue and the hosts that fail."""
    await require_moderator(request)
    return _render(request, "delivery.html", {"health": await delivery_health()})


STATUS_ACTIONS = {"approve": "active", "reinstate": "active", "suspend": "suspended"}
