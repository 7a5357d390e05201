"""CSRF protection: every form a browser can post carries a per-session token."""

from __future__ import annotations

import hmac
import secrets
from contextvars import ContextVar

from aiohttp import web
from aiohttp.typedefs import Handler
from aiohttp_session import Session

from node.i18n import N_
from node.i18n import gettext_ as _
from web.forms import read_form
from web.sessions import session_of

FIELD = "csrf_token"
SESSION_KEY = "csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# routes that authenticate by bearer token or HTTP signature only, never by the session cookie
TOKEN_OR_SIGNATURE_ROUTES = frozenset({"actor_outbox_post", "proxy", "shared_inbox", "actor_inbox"})
# routes a visitor posts that act on no session and change nothing here: the look-up that sends
# a visitor to their own server (a forged post could only send them there, or set the cookie
# that remembers it); no token, so a visitor's page sets no session cookie. And the one-click
# unsubscribe of notification mail (RFC 8058): a mail program posts it with no cookie; the
# signed token in its path is the authority, and it can only stop mail
SESSIONLESS_ROUTES = frozenset({"from_your_account", "mail_unsubscribe_post"})
REFUSAL = N_(
    "This form has expired or did not come from this site. Go back, reload the page and try again."
)


_session: ContextVar[Session | None] = ContextVar("townhall_csrf_session", default=None)


def use_session_for_tokens(session: Session) -> None:
    """Let templates rendered for this request call csrf_token() (set by page_context)."""
    _session.set(session)


def current_token() -> str:
    """The CSRF token of the request being rendered (templates call it as csrf_token()); none
    for a page asked for by a client that is not a browser (its forms cannot be posted)."""
    session = _session.get()
    if session is None:
        return ""
    return token_for(session)


def token_for(session: Session) -> str:
    """The session's CSRF token, made on first use."""
    token = session.get(SESSION_KEY)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session[SESSION_KEY] = token
    return token


def needs_token(request: web.Request) -> bool:
    """Whether the request changes state on a route a session cookie authenticates: every
    route but those that take only a bearer token or an HTTP signature (whatever the headers
    or the body's type say: a JSON body or a stray Authorization header needs the token too)."""
    return (
        request.match_info.http_exception is None  # 404/405 answer before any form is read
        and request.method not in SAFE_METHODS
        and request.match_info.route.name not in TOKEN_OR_SIGNATURE_ROUTES
        and request.match_info.route.name not in SESSIONLESS_ROUTES
    )


@web.middleware
async def csrf_protect(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Refuse (403) a form post whose token is missing or not this session's; a body that is
    not a readable form gets a 415 or 400 here, before any handler runs."""
    if needs_token(request):
        form = await read_form(request)
        offered = form.get(FIELD)
        expected = (await session_of(request)).get(SESSION_KEY)
        if not (
            isinstance(offered, str)
            and isinstance(expected, str)
            and hmac.compare_digest(offered.encode(), expected.encode())
        ):
            raise web.HTTPForbidden(text=_(REFUSAL))
    return await handler(request)
