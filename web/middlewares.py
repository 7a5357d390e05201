"""Middlewares: security headers, and one place that turns errors into error pages."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

import aiohttp_jinja2
from aiohttp import web
from aiohttp.typedefs import Handler, Middleware
from aiohttp_jinja2 import REQUEST_CONTEXT_KEY
from tortoise.exceptions import ValidationError

from federation.text import is_storable
from node.i18n import N_
from node.i18n import gettext_ as _
from node.services.errors import ServiceError
from web.error_words import error_explanation, error_heading
from web.negotiate import wants_activity_json
from web.page_context import bare_page_context

log = logging.getLogger("townhall.web")

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' https: data:; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
UNREADABLE_VALUE = N_("A value in the request is too long or malformed.")
JSON_CONTENT_TYPES = ("application/json", "application/activity+json", "application/ld+json")
# path parts that are secrets (invitation and password-reset codes): logs get the route pattern
SECRET_PATH_PARTS = frozenset({"code"})
CRASHED = "Something went wrong on our side."  # all a crash tells (never the traceback)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def loggable_path(request: web.BaseRequest) -> str:
    """The path to write in logs: the route pattern (`/join/{code}`) when it holds a secret."""
    match_info = request.match_info if isinstance(request, web.Request) else None
    if match_info is not None and SECRET_PATH_PARTS & match_info.keys():
        return match_info.route.resource.canonical if match_info.route.resource else "/"
    return request.path


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Add the CSP and friends to every response."""
    response = await handler(request)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def body_deadline(seconds: float) -> Middleware:
    """A middleware that drops a connection whose request body has not all arrived `seconds`
    after its headers, so slow senders cannot hold connections (and file descriptors)."""

    @web.middleware
    async def deadline(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.content.is_eof():  # no body, or all of it is here
            return await handler(request)
        expired = False

        def expire() -> None:
            nonlocal expired
            if not request.content.is_eof() and request.transport is not None:
                expired = True
                log.info("request.body_too_slow", extra={"path": loggable_path(request)})
                request.transport.abort()

        timer = asyncio.get_running_loop().call_later(seconds, expire)
        try:
            return await handler(request)
        except Exception:
            if expired:  # reading the body failed because the connection is gone
                raise web.HTTPRequestTimeout(text=_("The request body came too slowly.")) from None
            raise
        finally:
            timer.cancel()

    return deadline


@web.middleware
async def refuse_unstorable_urls(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A 400 for a path or query string holding a NUL character (%00), which no handler could
    look up or store (PostgreSQL refuses it), before any handler sees it."""
    query = request.query
    if not is_storable(request.path) or not all(
        is_storable(name) and is_storable(value) for name, value in query.items()
    ):
        raise web.HTTPBadRequest(text=_("The address holds a NUL character."))
    return await handler(request)


@web.middleware
async def error_pages(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Render HTTP errors and refused input as a page or JSON; log and hide crashes."""
    try:
        return await handler(request)
    except ServiceError as error:
        return error_response(request, error.status, str(error), shown=error.translated())
    except ValidationError as error:  # a value the database cannot hold, such as a huge id
        log.info(
            "request.refused_value",
            extra={"path": loggable_path(request), "reason": str(error)[:200]},
        )
        return error_response(request, 400, UNREADABLE_VALUE)
    except web.HTTPException as error:
        if error.status < 400 or error.content_type == "application/json":
            raise
        # the handlers' words are translated when raised; aiohttp's own ("404: Not Found") are
        # left for the page's explanation
        said = error.text if error.text and not _is_aiohttp_default(error) else ""
        return error_response(
            request, error.status, error.text or error.reason, error.headers, said
        )
    except Exception as error:
        if isinstance(error, ConnectionResetError) or _connection_gone(request):
            # the client went away (or was cut off by the body deadline) mid-request
            log.info(
                "request.client_gone",
                extra={"path": loggable_path(request), "error": type(error).__name__},
            )
            raise
        log.exception(
            "request.crashed", extra={"path": loggable_path(request), "method": request.method}
        )
        return error_response(request, 500, CRASHED)


def _connection_gone(request: web.Request) -> bool:
    transport = request.transport
    return transport is None or transport.is_closing()


def error_response(
    request: web.Request,
    status: int,
    message: str,
    headers: Mapping[str, str] | None = None,
    shown: str | None = None,
) -> web.Response:
    """An error as JSON for API and federation clients (`message`, English), as a page for
    people in their language (`shown`, else `message` translated; "" for the status's own
    words)."""
    if _wants_json(request):
        response = web.json_response({"error": message}, status=status)
    else:
        response = _error_page(request, status, _(message) if shown is None else shown)
    for name in ("Allow", "Retry-After", "WWW-Authenticate"):
        value = headers.get(name) if headers is not None else None
        if value:
            response.headers[name] = value
    return response


def _error_page(request: web.Request, status: int, message: str) -> web.Response:
    """The error as a page with the site's header and footer, in the page's language
    (`message` already in it; "" for the status's explanation). A crash says only that it
    happened."""
    if REQUEST_CONTEXT_KEY not in request:  # page_context never ran, or failed (the database)
        request[REQUEST_CONTEXT_KEY] = bare_page_context(request)
    said = "" if status >= 500 else message
    context = {
        "status": status,
        "heading": error_heading(status),
        "message": said,
        "explanation": error_explanation(status) if not said else "",
    }
    return aiohttp_jinja2.render_template("error.html", request, context, status=status)


def _wants_json(request: web.Request) -> bool:
    accept = request.headers.get("Accept", "")
    return (
        wants_activity_json(request)
        or "application/json" in accept
        or request.content_type in JSON_CONTENT_TYPES
        or "Authorization" in request.headers
    )


def _is_aiohttp_default(error: web.HTTPException) -> bool:
    """Whether the error's text is aiohttp's own ("404: Not Found", or the size of a body too
    large), in English and in its words, not ours."""
    return error.text == f"{error.status}: {error.reason}" or (
        error.status == 413 and (error.text or "").startswith("Maximum request body size")
    )
