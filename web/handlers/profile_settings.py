"""A member's own settings: profile (name, pseudonym, role) and password."""

from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from node.appkeys import CLIENT_API
from node.i18n import gettext_ as _
from node.limits import MAX_DISPLAY_NAME, MAX_PROFILE_SUMMARY
from node.services.actor_views import local_actor_view
from node.services.actors import set_role_public
from node.services.errors import ServiceError
from node.services.members import MIN_PASSWORD_LENGTH, change_password
from node.services.viewers import authenticate, set_pseudonym, viewer_by_account
from web.forms import form_values
from web.known_devices import known_device, remember_device
from web.page_context import flash
from web.ratelimit import client_address, too_many
from web.sign_in_limits import SIGN_IN_LIMITS
from web.viewer import Viewer, require_member, sign_in

ROLES = ("", "practitioner", "service_user", "staff")


async def _profile_values(viewer: Viewer) -> dict[str, str]:
    actor = await local_actor_view(viewer.handle, own=True)
    assert actor is not None  # a signed-in member's actor is live
    return {
        "name": actor.name,
        "summary": actor.summary,
        "role": actor.role if actor.role in ROLES else "",
        "is_pseudonym": "1" if viewer.is_pseudonym else "",
        "role_private": "" if viewer.role_public else "1",
        "manually_approves_followers": "1" if actor.manually_approves_followers else "",
    }


async def profile_form(request: web.Request) -> web.Response:
    """The member's profile as it is."""
    viewer = await require_member(request)
    return _render_profile(request, await _profile_values(viewer), {})


async def submit_profile(request: web.Request) -> web.Response:
    """Save the profile; the change goes to followers as an Update."""
    viewer = await require_member(request)
    values = await form_values(
        request,
        ("name", "summary", "role", "is_pseudonym", "role_private", "manually_approves_followers"),
    )
    errors: dict[str, str] = {}
    if not values["name"].strip():
        errors["name"] = _("Give a name people will see (it can be a pseudonym).")
    elif len(values["name"]) > MAX_DISPLAY_NAME:
        errors["name"] = _("Keep the name under 100 characters.")
    if len(values["summary"]) > MAX_PROFILE_SUMMARY:
        errors["summary"] = _("Keep the description under 2,000 characters.")
    if values["role"] not in ROLES:
        errors["role"] = _("Choose a role from the list.")
    if errors:
        return _render_profile(request, values, errors, status=400)
    changes = {
        "id": viewer.actor_uri,
        "type": viewer.actor_type,
        "name": values["name"].strip(),
        "summary": values["summary"].strip(),
        "role": values["role"],
        "manuallyApprovesFollowers": values["manually_approves_followers"] == "1",
    }
    # before the Update, which carries the actor's document as others will now see it
    await set_role_public(viewer.account_id, values["role_private"] != "1")
    try:
        await request.app[CLIENT_API].post_as(
            viewer.actor_id, {"type": "Update", "object": changes}
        )
    except ServiceError as error:
        await set_role_public(viewer.account_id, viewer.role_public)
        return _render_profile(request, values, {"form": error.translated()}, status=error.status)
    await set_pseudonym(viewer.account_id, values["is_pseudonym"] == "1")
    await flash(request, _("Your profile is saved."))
    raise web.HTTPSeeOther("/settings/profile")


def _render_profile(
    request: web.Request, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> web.Response:
    roles = [
        ("", _("Prefer not to say")),
        ("practitioner", _("Practitioner (I deliver services)")),
        ("service_user", _("I use the services")),
        ("staff", _("Staff")),
    ]
    context = {"values": values, "errors": errors, "roles": roles}
    return aiohttp_jinja2.render_template("settings_profile.html", request, context, status=status)


async def password_form(request: web.Request) -> web.Response:
    """The change-password form."""
    await require_member(request)
    return _render_password(request, {})


async def submit_password(request: web.Request) -> web.Response:
    """Check the current password (limited as sign-in is), set the new one, sign out elsewhere."""
    viewer = await require_member(request)
    values = await form_values(request, ("current", "new", "confirm"))
    handle, address = viewer.handle, client_address(request)
    limits, known = request.app[SIGN_IN_LIMITS], await known_device(request, handle)
    wait = await limits.attempt(handle, address, known)
    if wait:
        raise too_many(wait, _("Too many wrong passwords."))
    errors: dict[str, str] = {}
    if await authenticate(handle, values["current"]) is None:
        errors["current"] = _("That is not your current password.")
    else:
        await limits.succeeded(handle, address, known)
    if len(values["new"]) < MIN_PASSWORD_LENGTH:
        errors["new"] = _("Use at least %(count)d characters.") % {"count": MIN_PASSWORD_LENGTH}
    elif values["new"] != values["confirm"]:
        errors["confirm"] = _("The two new passwords are not the same.")
    if errors:
        return _render_password(request, errors, status=400)
    await change_password(viewer.account_id, values["new"])
    member = await viewer_by_account(viewer.account_id)  # its new session epoch and password
    await sign_in(request, member)
    await flash(request, _("Your password is changed. Other devices are signed out."))
    redirect = web.HTTPSeeOther("/settings/password")
    remember_device(request, redirect, member)  # the new password retired the old mark
    raise redirect


def _render_password(
    request: web.Request, errors: dict[str, str], status: int = 200
) -> web.Response:
    context = {"values": {}, "errors": errors}
    return aiohttp_jinja2.render_template("settings_password.html", request, context, status=status)
