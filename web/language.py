"""Which language a browser's page is in, and the cookie the language switcher sets.

The rule itself is node.i18n.choose_language: the signed-in member's preference, then this
cookie, then Accept-Language, then the site's language. The cookie holds a language code
and nothing of anyone's own, so visitors' pages that carry it are still cached (per language).
"""

from __future__ import annotations

from aiohttp import web

from node.appkeys import CONFIG
from node.i18n import available_languages, choose_language
from node.services.viewers import Viewer

COOKIE_NAME = "townhall_language"
COOKIE_LIFETIME = 365 * 24 * 3600


def page_language(request: web.Request, viewer: Viewer | None, site_language: str) -> str:
    """The language to render `request`'s page in."""
    return choose_language(
        member=viewer.language if viewer is not None else "",
        chosen=request.cookies.get(COOKIE_NAME, ""),
        accept_language=request.headers.get("Accept-Language", ""),
        site=site_language,
    )


def remember_language(request: web.Request, response: web.StreamResponse, language: str) -> None:
    """Set the switcher's cookie on `response` ("" forgets it: the browser decides again)."""
    if language not in available_languages():
        response.del_cookie(COOKIE_NAME, path="/")
        return
    response.set_cookie(
        COOKIE_NAME,
        language,
        max_age=COOKIE_LIFETIME,
        path="/",
        httponly=True,
        samesite="Lax",
        secure=request.app[CONFIG].url.startswith("https://"),
    )
