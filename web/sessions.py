"""Sessions in signed, encrypted cookies (Fernet), keyed from the node's secret key."""

from __future__ import annotations

import time
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Middleware
from aiohttp_session import Session, get_session, session_middleware
from aiohttp_session.cookie_storage import EncryptedCookieStorage
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from node.config import Config

COOKIE_NAME = "townhall_session"
SIGN_IN_LIFETIME = 14 * 24 * 3600  # a sign-in lasts two weeks, however active
IDLE_LIFETIME = 3 * 24 * 3600  # …and ends after three days without a visit


def session_key(secret_key: str) -> bytes:
    """32 bytes for Fernet derived from the node's secret (HKDF-SHA256), not the secret itself."""
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"townhall session cookie"
    ).derive(secret_key.encode("utf-8"))


def cookie_storage(config: Config) -> EncryptedCookieStorage:
    """Where sessions live: a cookie sealed with a key from the node's secret."""
    return EncryptedCookieStorage(
        session_key(config.secret_key),
        cookie_name=COOKIE_NAME,
        max_age=SIGN_IN_LIFETIME,  # Fernet refuses older cookies whatever they claim
        httponly=True,
        samesite="Lax",
        secure=config.url.startswith("https://"),
    )


def sessions_middleware(config: Config) -> Middleware:
    """The aiohttp-session middleware with Townhall's cookie settings."""
    return session_middleware(cookie_storage(config))


async def give_signed_in_cookie(
    request: web.Request, response: web.StreamResponse, config: Config, account: tuple[int, int]
) -> None:
    """Give `response` the session cookie of the member `account` (id, session epoch) signed
    in to the node `config` describes: the first-run setup page signs its admin in to the node
    that takes over from it, which reads the cookie with the same secret."""
    state = sign_in_state(*account)
    session = Session(None, data={"created": state["signed_in_at"], "session": state}, new=True)
    await cookie_storage(config).save_session(request, response, session)


def has_session_cookie(request: web.Request) -> bool:
    """Whether the browser sent a session cookie (API and federation requests do not)."""
    return COOKIE_NAME in request.cookies


async def session_of(request: web.Request) -> Session:
    """The request's session (a new empty one without a cookie)."""
    return await get_session(request)


def now() -> float:
    """Seconds since the epoch; one place, so tests can reason about expiry."""
    return time.time()


def sign_in_state(account_id: int, epoch: int) -> dict[str, Any]:
    """What a session holds for a signed-in member."""
    moment = int(now())  # callers patch `web.sessions.now` in tests
    return {"account": account_id, "epoch": epoch, "signed_in_at": moment, "seen_at": moment}
