"""A member's privacy and safety settings: who sees what they write by default, search
consent (indexable, discoverable) and "hide me from search engines"."""

from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from node.appkeys import CLIENT_API
from node.i18n import gettext_ as _
from node.services.errors import ServiceError
from node.services.privacy_settings import (
    VISIBILITIES,
    PrivacySettings,
    privacy_settings,
    save_privacy_settings,
)
from web.forms import form_values
from web.page_context import flash
from web.viewer import require_member

FIELDS = ("default_visibility", "indexable", "discoverable", "noindex")


def _values(settings: PrivacySettings) -> dict[str, str]:
    return {
        "default_visibility": settings.default_visibility,
        "indexable": "1" if settings.indexable else "",
        "discoverable": "1" if settings.discoverable else "",
        "noindex": "1" if settings.noindex else "",
    }


async def privacy_form(request: web.Request) -> web.Response:
    """The member's privacy choices as they are."""
    viewer = await require_member(request)
    return _render(request, _values(await privacy_settings(viewer.account_id)), {})


async def submit_privacy(request: web.Request) -> web.Response:
    """Save the choices; a change of search consent goes to followers' servers as an Update
    of the member's actor document."""
    viewer = await require_member(request)
    values = await form_values(request, FIELDS)
    if values["default_visibility"] not in VISIBILITIES:
        errors = {"default_visibility": _("Choose who sees what you write.")}
        return _render(request, values, errors, status=400)
    changed = await save_privacy_settings(
        viewer.account_id,
        PrivacySettings(
            default_visibility=values["default_visibility"],
            indexable=values["indexable"] == "1",
            discoverable=values["discoverable"] == "1",
            noindex=values["noindex"] == "1",
        ),
    )
    if changed:
        update = {"type": "Update", "object": {"id": viewer.actor_uri, "type": viewer.actor_type}}
        try:
            await request.app[CLIENT_API].post_as(viewer.actor_id, update)
        except ServiceError as error:
            return _render(request, values, {"form": error.translated()}, status=error.status)
    await flash(request, _("Your privacy settings are saved."))
    raise web.HTTPSeeOther("/settings/privacy")


def _render(
    request: web.Request, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> web.Response:
    visibilities = [
        ("public", _("Everyone"), _("Anyone can read it, here and on other servers.")),
        (
            "followers",
            _("My followers"),
            _("Only people who follow you (and anyone you mention) can read it."),
        ),
        (
            "organisation",
            _("Members of this organisation"),
            _("Only people signed in here can read it. It is never sent to other servers."),
        ),
    ]
    context = {"values": values, "errors": errors, "visibilities": visibilities}
    return aiohttp_jinja2.render_template("settings_privacy.html", request, context, status=status)
