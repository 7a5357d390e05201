"""A member's notification settings, and the one-click unsubscribe link of every notification
email (RFC 8058: its POST needs no session; its GET only asks)."""

from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from node.appkeys import CONFIG
from node.i18n import gettext_ as _
from node.services.notification_lines import kind_title
from node.services.notification_preferences import (
    BY_NAME,
    Delivery,
    notification_settings,
    set_preferences,
)
from node.services.unsubscribe import BadToken, read_token, unsubscribe
from web.forms import form_values
from web.page_context import flash
from web.viewer import Viewer, require_member


def _deliveries() -> list[tuple[str, str]]:
    return [
        (Delivery.SITE.value, _("On the site only")),
        (Delivery.IMMEDIATE.value, _("Email at once")),
        (Delivery.DAILY.value, _("Daily digest email")),
        (Delivery.WEEKLY.value, _("Weekly digest email")),
        (Delivery.OFF.value, _("Off")),
    ]


async def notification_settings_page(request: web.Request) -> web.Response:
    """GET /settings/notifications: each kind with its delivery."""
    viewer = await require_member(request)
    settings = await notification_settings(viewer.account_id, viewer.moderation_scope.moderates_any)
    values = {p.kind: p.delivery.value for p in settings.preferences}
    return await _render(request, viewer, values, {})


async def submit_notification_settings(request: web.Request) -> web.Response:
    """POST /settings/notifications: store every choice, or none when one is not a choice."""
    viewer = await require_member(request)
    settings = await notification_settings(viewer.account_id, viewer.moderation_scope.moderates_any)
    kinds = [p.kind for p in settings.preferences]
    values = await form_values(request, kinds)
    choices = {kind: value for kind, value in values.items() if value}
    allowed = {delivery.value for delivery in Delivery}
    errors = {
        kind: _("Choose one of the ways offered.") for kind, value in choices.items()
        if value not in allowed
    }  # fmt: skip
    if errors:
        shown = {p.kind: p.delivery.value for p in settings.preferences} | values
        return await _render(request, viewer, shown, errors, status=400)
    await set_preferences(viewer.account_id, viewer.moderation_scope.moderates_any, choices)
    await flash(request, _("Your notification settings are saved."))
    raise web.HTTPSeeOther("/settings/notifications")


async def _render(
    request: web.Request,
    viewer: Viewer,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> web.Response:
    settings = await notification_settings(viewer.account_id, viewer.moderation_scope.moderates_any)
    defaults = {p.kind: dict(_deliveries())[_default_of(p.kind)] for p in settings.preferences}
    context = {
        "kinds": [(p.kind, kind_title(p.kind)) for p in settings.preferences],
        "defaults": defaults,
        "deliveries": _deliveries(),
        "mailed": settings.mailed,
        "values": values,
        "errors": errors,
    }
    return aiohttp_jinja2.render_template(
        "settings_notifications.html", request, context, status=status
    )


def _default_of(kind: str) -> str:
    return BY_NAME[kind].default.value


async def unsubscribe_page(request: web.Request) -> web.Response:
    """GET /mail/unsubscribe/{token}: what the link would stop, and a button (GET writes
    nothing: mail scanners follow links)."""
    token = request.match_info["token"]
    try:
        found = await read_token(request.app[CONFIG].secret_key, token)
    except BadToken as error:
        raise web.HTTPBadRequest(text=error.translated()) from None
    context = {"token": token, "what": _subject_words(found.subject), "done": False}
    return aiohttp_jinja2.render_template("unsubscribe.html", request, context)


async def submit_unsubscribe(request: web.Request) -> web.Response:
    """POST /mail/unsubscribe/{token}: the one-click unsubscribe (RFC 8058; a mail program
    posts `List-Unsubscribe=One-Click`, a person the page's button): no session, no CSRF
    token, the signed token is the authority. Answers the page saying it is done."""
    token = request.match_info["token"]
    try:
        found = await unsubscribe(request.app[CONFIG].secret_key, token)
    except BadToken as error:
        raise web.HTTPBadRequest(text=error.translated()) from None
    context = {"token": token, "what": _subject_words(found.subject), "done": True}
    return aiohttp_jinja2.render_template("unsubscribe.html", request, context)


def _subject_words(subject: str) -> str:
    if subject == Delivery.DAILY.value:
        return _("the daily digest")
    if subject == Delivery.WEEKLY.value:
        return _("the weekly digest")
    return kind_title(subject)
