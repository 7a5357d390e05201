"""What every page's template sees: the viewer, a CSRF token, flash messages, the language
(web/language.py chooses it) and the switcher's choices (and the organisation's time zone,
which dates are shown in).

Runs only for requests a person's browser makes (pages and form posts), so the inbox and
the client API pay nothing for it.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler
from aiohttp_jinja2 import REQUEST_CONTEXT_KEY

from node.i18n import SOURCE_LANGUAGE, available_languages, language_name, use_language
from node.local_time import use_time_zone
from node.services.actor_views import organisation_view
from node.services.notifications import unread_count
from node.services.settings import site_settings
from web.csrf import needs_token, use_session_for_tokens
from web.language import page_language
from web.negotiate import wants_activity_json
from web.sessions import has_session_cookie, session_of
from web.viewer import current_viewer

FLASH_KEY = "flash"


def is_page_request(request: web.Request) -> bool:
    """A browser asking for a page or posting a form (not federation, not the API)."""
    if request.method not in ("GET", "HEAD"):
        return needs_token(request)  # a form post on a cookie route, whatever its headers
    if "Authorization" in request.headers or "Signature" in request.headers:
        return False
    return not wants_activity_json(request)


@web.middleware
async def page_context(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Give the templates what every page needs."""
    # a signed-in browser's request renders pages like any other, whatever it accepts
    if is_page_request(request) or has_session_cookie(request):
        settings = await site_settings()
        language = page_language(request, await current_viewer(request), settings.language)
        use_language(language)
        use_time_zone(settings.time_zone)
        request[REQUEST_CONTEXT_KEY] = await _context(request, language)
    return await handler(request)


async def _context(request: web.Request, language: str) -> dict[str, Any]:
    session = await session_of(request)
    use_session_for_tokens(session)
    flashes = session.pop(FLASH_KEY, ()) if has_session_cookie(request) else ()
    viewer = await current_viewer(request)
    return {
        "organisation": await organisation_view(),  # its name heads every page
        "viewer": viewer,
        "unread": await unread_count(viewer.account_id) if viewer is not None else 0,
        "flashes": flashes,
        "lang": language,
        "languages": [(code, language_name(code)) for code in available_languages()],
        "here": request.path_qs,  # where the language switcher comes back to
        "show_nav": True,
    }


def bare_page_context(request: web.Request) -> dict[str, Any]:
    """What an error page needs when the usual context could not be read (the database is
    down): the navigation, and the language the browser asks for, without the database."""
    language = page_language(request, None, SOURCE_LANGUAGE)
    use_language(language)
    return {
        "organisation": None,
        "viewer": None,
        "unread": 0,
        "flashes": (),
        "lang": language,
        "languages": [(code, language_name(code)) for code in available_languages()],
        "here": request.path_qs,
        "show_nav": True,
    }


async def flash(request: web.Request, message: str) -> None:
    """A one-time message shown on the next page (after a redirect)."""
    session = await session_of(request)
    session[FLASH_KEY] = [*session.get(FLASH_KEY, []), message]
