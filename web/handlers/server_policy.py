"""Server policy pages: blocks with their severity and flags (moderators), their import and
export in Mastodon's CSV format, the federation mode and its allow-list (admins), and the
public list of moderated servers."""

from __future__ import annotations

from typing import Any

import aiohttp_jinja2
from aiohttp import web

from node.appkeys import REMOTE_ACTORS
from node.i18n import gettext_ as _
from node.services import admin_view, block_csv, moderation, server_policy
from node.services.block_csv import ImportResult
from node.services.errors import ServiceError
from node.services.settings import FederationMode, checked_setting, site_settings
from web.forms import form_values, path_id, read_form
from web.page_context import flash
from web.viewer import require_admin, require_moderator

BLOCK_FIELDS = (
    "target", "severity", "reason", "public_comment", "reject_media", "reject_reports",
    "obfuscate",
)  # fmt: skip
NEW_BLOCK = {"target": "", "severity": "suspend", "reason": "", "public_comment": ""}


def _severities() -> list[tuple[str, str]]:
    return [
        ("suspend", _("Suspend: refuse everything from it and hide what it sent")),
        ("limit", _("Limit: show its posts only to members who follow their authors")),
        ("noop", _("No restriction beyond the choices below")),
    ]


def _render(
    request: web.Request, template: str, context: dict[str, Any], status: int = 200
) -> web.Response:
    return aiohttp_jinja2.render_template(f"admin/{template}", request, context, status=status)


def _policy(values: dict[str, str]) -> moderation.BlockPolicy:
    return moderation.block_policy(
        values["severity"] or "suspend",
        reject_media=values["reject_media"] == "1",
        reject_reports=values["reject_reports"] == "1",
        public_comment=values["public_comment"],
        obfuscate=values["obfuscate"] == "1",
    )


async def blocks_page(request: web.Request) -> web.Response:
    """GET /admin/blocks: blocked accounts and servers, and a form for a new block."""
    await require_moderator(request)
    return await _blocks(request, dict(NEW_BLOCK), {})


async def _blocks(
    request: web.Request,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
    imported: ImportResult | None = None,
) -> web.Response:
    context = {
        "blocks": await admin_view.blocks(),
        "values": values,
        "errors": errors,
        "severities": _severities(),
        "imported": imported,
    }
    return _render(request, "blocks.html", context, status)


async def submit_block(request: web.Request) -> web.Response:
    """POST /admin/blocks: block an account (@name@server or link) or a whole server, with a
    severity and flags."""
    viewer = await require_moderator(request)
    values = await form_values(request, BLOCK_FIELDS)
    try:
        policy = _policy(values)
    except ServiceError as error:
        return await _blocks(request, values, {"severity": error.translated()}, status=400)
    try:
        target = await moderation.parse_block_target(request.app[REMOTE_ACTORS], values["target"])
        await moderation.add_block(
            target, values["reason"], by_account_id=viewer.account_id, policy=policy
        )
    except ServiceError as error:
        return await _blocks(request, values, {"target": error.translated()}, status=400)
    await flash(request, _("%(target)s is blocked.") % {"target": target.target})
    raise web.HTTPSeeOther("/admin/blocks")


async def block_page(request: web.Request) -> web.Response:
    """GET /admin/blocks/{id}: a block's severity, flags and comments, to change."""
    await require_moderator(request)
    found = await admin_view.block(path_id(request))
    if found is None:
        raise web.HTTPNotFound(text=_("There is no such block."))
    values = {
        "severity": found.severity,
        "reason": found.reason,
        "public_comment": found.public_comment,
        "reject_media": "1" if found.reject_media else "",
        "reject_reports": "1" if found.reject_reports else "",
        "obfuscate": "1" if found.obfuscate else "",
    }
    return _block(request, found, values, {})


def _block(
    request: web.Request,
    found: admin_view.BlockRow,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> web.Response:
    context = {"block": found, "values": values, "errors": errors, "severities": _severities()}
    return _render(request, "block.html", context, status)


async def submit_block_change(request: web.Request) -> web.Response:
    """POST /admin/blocks/{id}: change a block's severity, flags and comments."""
    viewer = await require_moderator(request)
    found = await admin_view.block(path_id(request))
    if found is None:
        raise web.HTTPNotFound(text=_("There is no such block."))
    values = await form_values(request, BLOCK_FIELDS)
    try:
        policy = _policy(values)
    except ServiceError as error:
        return _block(request, found, values, {"severity": error.translated()}, status=400)
    await moderation.change_block(
        found.id, policy, values["reason"], by_account_id=viewer.account_id
    )
    await flash(request, _("The block on %(target)s is changed.") % {"target": found.target})
    raise web.HTTPSeeOther("/admin/blocks")


async def submit_unblock(request: web.Request) -> web.Response:
    """POST /admin/blocks/{id}/remove."""
    viewer = await require_moderator(request)
    await moderation.remove_block(path_id(request), by_account_id=viewer.account_id)
    await flash(request, _("The block is lifted."))
    raise web.HTTPSeeOther("/admin/blocks")


async def submit_import(request: web.Request) -> web.Response:
    """POST /admin/blocks/import (admins, a file upload): a Mastodon CSV of domain blocks; the
    page answering lists what was blocked and each row that could not be read."""
    viewer = await require_admin(request)
    form = await read_form(request)
    upload = form.get("file")
    if not isinstance(upload, web.FileField):
        errors = {"file": _("Choose a CSV file of domain blocks to import.")}
        return await _blocks(request, dict(NEW_BLOCK), errors, status=400)
    try:
        result = await block_csv.import_blocks(
            upload.file.read(block_csv.MAX_BYTES + 1), by_account_id=viewer.account_id
        )
    except ServiceError as error:
        return await _blocks(request, dict(NEW_BLOCK), {"file": error.translated()}, status=400)
    return await _blocks(request, dict(NEW_BLOCK), {}, imported=result)


async def export_csv(request: web.Request) -> web.Response:
    """GET /admin/blocks.csv (admins): the domain blocks in Mastodon's CSV format."""
    await require_admin(request)
    return web.Response(
        text=await block_csv.export_blocks(),
        content_type="text/csv",
        headers={
            "Content-Disposition": 'attachment; filename="domain_blocks.csv"',
            "Cache-Control": "private, no-store",
        },
    )


async def public_servers(request: web.Request) -> web.Response:
    """GET /about/servers (everyone): the servers this node limits or suspends, and why."""
    context = {"servers": await server_policy.public_blocks()}
    return aiohttp_jinja2.render_template("about_servers.html", request, context)


async def federation_page(request: web.Request) -> web.Response:
    """GET /admin/federation (admins): block-list or allow-list mode, and the allow-list."""
    await require_admin(request)
    return await _federation(request, {"host": "", "note": ""}, {})


async def _federation(
    request: web.Request, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> web.Response:
    settings = await site_settings()
    context = {
        "values": {
            "federation_mode": settings.federation_mode.value,
            "authorized_fetch": "on" if settings.authorized_fetch else "off",
            **values,
        },
        "errors": errors,
        "modes": [
            (FederationMode.BLOCK_LIST.value, _("Every server except the blocked ones")),
            (FederationMode.ALLOW_LIST.value, _("Only the servers on the allow-list")),
        ],
        "fetch_modes": [
            ("off", _("Off: anyone may read what is public")),
            ("on", _("On: other servers must sign their requests")),
        ],
        "allowed": await server_policy.allowed_servers(),
    }
    return _render(request, "federation.html", context, status)


async def submit_federation_mode(request: web.Request) -> web.Response:
    """POST /admin/federation: block-list or allow-list mode, authorised fetch on or off (a
    form without a field keeps that setting; both are checked before either is saved)."""
    viewer = await require_admin(request)
    values = await form_values(request, ("federation_mode", "authorized_fetch"))
    errors: dict[str, str] = {}
    for key in ("federation_mode", "authorized_fetch"):
        if values[key]:
            try:
                checked_setting(key, values[key])
            except ServiceError as error:
                errors[key] = error.translated()
    if errors:
        shown = {"host": "", "note": "", **{k: v for k, v in values.items() if v}}
        return await _federation(request, shown, errors, status=400)
    settings = await site_settings()
    by = viewer.account_id
    if values["federation_mode"] and values["federation_mode"] != settings.federation_mode:
        await server_policy.set_federation_mode(values["federation_mode"], by_account_id=by)
    fetch = values["authorized_fetch"]
    if fetch and (fetch == "on") != settings.authorized_fetch:
        await server_policy.set_authorized_fetch(fetch, by_account_id=by)
    await flash(request, _("The federation settings are saved."))
    raise web.HTTPSeeOther("/admin/federation")


async def submit_allowed(request: web.Request) -> web.Response:
    """POST /admin/federation/allowed: put a server on the allow-list."""
    viewer = await require_admin(request)
    values = await form_values(request, ("host", "note"))
    try:
        host = await server_policy.allow_server(
            values["host"], values["note"], by_account_id=viewer.account_id
        )
    except ServiceError as error:
        return await _federation(request, values, {"host": error.translated()}, status=400)
    await flash(request, _("%(host)s is on the allow-list.") % {"host": host})
    raise web.HTTPSeeOther("/admin/federation")


async def submit_disallowed(request: web.Request) -> web.Response:
    """POST /admin/federation/allowed/{id}/remove: take a server off the allow-list."""
    viewer = await require_admin(request)
    host = await server_policy.disallow_server(path_id(request), by_account_id=viewer.account_id)
    await flash(request, _("%(host)s is off the allow-list.") % {"host": host})
    raise web.HTTPSeeOther("/admin/federation")
