"""Who is looking at a page: the signed-in member (from the session), or nobody."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any
from urllib.parse import quote

from aiohttp import web

from node.i18n import gettext_ as _
from node.services import organisation_admin
from node.services.errors import NotFound
from node.services.viewers import Viewer, end_sessions, signed_in_viewer
from web import sessions
from web.sessions import (
    IDLE_LIFETIME,
    SIGN_IN_LIFETIME,
    has_session_cookie,
    session_of,
    sign_in_state,
)

SEEN_REFRESH = 3600  # rewrite the cookie's last-seen time at most hourly


VIEWER_KEY: web.RequestKey[Viewer | None] = web.RequestKey("townhall_viewer")


async def current_viewer(request: web.Request) -> Viewer | None:
    """The signed-in member, or None; expired or revoked sessions are emptied."""
    if VIEWER_KEY in request:
        return request[VIEWER_KEY]
    viewer = await _load_viewer(request) if has_session_cookie(request) else None
    request[VIEWER_KEY] = viewer
    return viewer


async def _load_viewer(request: web.Request) -> Viewer | None:
    session = await session_of(request)
    account_id, epoch = session.get("account"), session.get("epoch")
    if not isinstance(account_id, int):
        return None
    moment = sessions.now()
    signed_in_at, seen_at = session.get("signed_in_at", 0), session.get("seen_at", 0)
    if moment - signed_in_at > SIGN_IN_LIFETIME or moment - seen_at > IDLE_LIFETIME:
        _forget_sign_in(session)
        return None
    viewer = await signed_in_viewer(account_id, epoch)
    if viewer is None:
        _forget_sign_in(session)
        return None
    if moment - seen_at > SEEN_REFRESH:
        session["seen_at"] = int(moment)
    return viewer


def _forget_sign_in(session: MutableMapping[str, Any]) -> None:
    for key in ("account", "epoch", "signed_in_at", "seen_at"):
        session.pop(key, None)


async def sign_in(request: web.Request, viewer: Viewer) -> None:
    """Start a signed-in session for `viewer` (a fresh session: no fixation)."""
    session = await session_of(request)
    session.invalidate()
    session = await session_of(request)
    session.update(sign_in_state(viewer.account_id, viewer.session_epoch))
    request[VIEWER_KEY] = viewer


async def sign_out(request: web.Request) -> None:
    """End the session on the server too, so a copied cookie stops working.

    Sessions live in cookies, so the server cannot end one alone: raising the account's
    session epoch ends all of that member's sessions (every device) at once.
    """
    viewer = await current_viewer(request)
    if viewer is not None:
        await end_sessions(viewer.account_id)
    (await session_of(request)).invalidate()
    request[VIEWER_KEY] = None


async def require_member(request: web.Request) -> Viewer:
    """The signed-in member; others are sent to the sign-in page and brought back after."""
    viewer = await current_viewer(request)
    if viewer is None:
        raise web.HTTPSeeOther(f"/sign-in?next={quote(request.path_qs, safe='/')}")
    return viewer


async def require_moderator(request: web.Request) -> Viewer:
    """A signed-in moderator or admin (403 for other members)."""
    viewer = await require_member(request)
    if not viewer.is_moderator:
        raise web.HTTPForbidden(text=_("Only moderators and admins can do this."))
    return viewer


async def require_moderating(request: web.Request) -> Viewer:
    """A signed-in member who moderates anything: the node's moderators and admins, and on an
    umbrella node an organisation's own (what they may act on is the node's to check)."""
    viewer = await require_member(request)
    if not viewer.moderation_scope.moderates_any:
        raise web.HTTPForbidden(text=_("Only moderators and admins can do this."))
    return viewer


async def require_organisation_admin(request: web.Request) -> Viewer:
    """A signed-in admin of the organisation the path names ({handle}), or of the node; 403
    for other members (another organisation's admins among them), 404 for no organisation."""
    viewer = await require_member(request)
    try:
        runs = await organisation_admin.may_run(viewer.actor_id, request.match_info["handle"])
    except NotFound as error:
        raise web.HTTPNotFound(text=error.translated()) from None
    if not runs:
        raise web.HTTPForbidden(text=_("Only this organisation's admins can do this."))
    return viewer


async def require_admin(request: web.Request) -> Viewer:
    """A signed-in admin (403 for other members)."""
    viewer = await require_member(request)
    if not viewer.is_admin:
        raise web.HTTPForbidden(text=_("Only admins can do this."))
    return viewer
