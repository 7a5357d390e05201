"""A "known device" cookie: proof that this browser once signed in to an account here.

It lets its member through the per-handle and per-address sign-in ceilings (see SECURITY.md,
"Sign-in limits"), so strangers failing to sign in cannot keep them out. Each entry is an
HMAC of the account id and its password hash, keyed from the node's secret: it cannot be
forged, and a new password retires it (the next sign-in makes a new one).
"""

from __future__ import annotations

import hashlib
import hmac

from aiohttp import web
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from node.appkeys import CONFIG
from node.services.viewers import Viewer, member_viewer

COOKIE_NAME = "townhall_device"
LIFETIME = 365 * 24 * 3600
MAX_ACCOUNTS = 5  # a shared computer remembers its last few members
MARK_CHARS = 32


def _key(secret_key: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"townhall known device"
    ).derive(secret_key.encode("utf-8"))


def _mark(request: web.Request, member: Viewer) -> str:
    message = f"{member.account_id}:{member.password_stamp}".encode()
    key = _key(request.app[CONFIG].secret_key)
    return f"{member.account_id}.{hmac.new(key, message, hashlib.sha256).hexdigest()[:MARK_CHARS]}"


def _entries(request: web.Request) -> list[str]:
    value = request.cookies.get(COOKIE_NAME, "")
    return [entry for entry in value.split("~") if entry][:MAX_ACCOUNTS]


def is_known_device(request: web.Request, member: Viewer | None) -> bool:
    """Whether this browser signed in as `member` before (with their current password)."""
    if member is None or not member.password_stamp or COOKIE_NAME not in request.cookies:
        return False
    expected = _mark(request, member)
    return any(hmac.compare_digest(entry, expected) for entry in _entries(request))


async def known_device(request: web.Request, handle: str) -> bool:
    """Whether this browser signed in as `handle` before (looked up only if it says so)."""
    if not handle or COOKIE_NAME not in request.cookies:
        return False
    return is_known_device(request, await member_viewer(handle))


def remember_device(request: web.Request, response: web.StreamResponse, member: Viewer) -> None:
    """Set the cookie on `response` so this browser is known for `member` from now on."""
    mark = _mark(request, member)
    prefix = f"{member.account_id}."
    others = [entry for entry in _entries(request) if not entry.startswith(prefix)]
    response.set_cookie(
        COOKIE_NAME,
        "~".join([mark, *others][:MAX_ACCOUNTS]),
        max_age=LIFETIME,
        path="/",
        httponly=True,
        samesite="Lax",
        secure=request.app[CONFIG].url.startswith("https://"),
    )
