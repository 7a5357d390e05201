"""Visitors' pages from a cache: the home page, the proposal list, proposal and comment pages
(each with its thread), another node's proposal held here, and profiles.

A page is cached per URL and language under the pages' generation read before it was rendered
(node/page_generation.py: every write a page could show moves it on, in the database, so every
web process of the node renders afresh after any change). Only requests that carry nothing that
could make the page someone's own are served or stored: no session or other cookie (bar the
known-device mark, which no page reads, and the language switcher's: pages are kept per
language, chosen as web/language.py chooses it), no Authorization or Signature header, and a
browser's Accept (ActivityStreams is never cached). Only a 200 text/html answer that sets no
cookie is kept. Answers carry an ETag (the page's digest) and Last-Modified (the last write's
time), and a conditional GET that matches gets a 304; `Cache-Control: public, max-age=…,
must-revalidate` lets a proxy keep them a few seconds. A request with a session cookie gets
`private, no-store`.
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime

from aiohttp import web
from aiohttp.typedefs import Handler

from node.page_generation import Generation, page_generation
from node.services.settings import site_settings
from web.known_devices import COOKIE_NAME as DEVICE_COOKIE
from web.language import COOKIE_NAME as LANGUAGE_COOKIE
from web.language import page_language
from web.negotiate import wants_activity_json
from web.sessions import has_session_cookie

CACHED_ROUTES = frozenset({"home", "proposals", "object", "remote_object", "actor"})
VISITOR_CACHE_CONTROL = "public, max-age=5, must-revalidate"
MEMBER_CACHE_CONTROL = "private, no-store"
MAX_ENTRIES = 2000
MAX_BYTES = 64 * 1024 * 1024
# a page is rendered afresh at least this often even when nothing was written (dates shown
# relative to now, a poll's end passing before its worker stores the closing)
ENTRY_SECONDS = 60.0
# what a cached answer carries of the handler's own headers (the rest are made per answer)
HEADERS_NOT_KEPT = frozenset(
    {"content-type", "content-length", "date", "server", "set-cookie", "etag", "last-modified",
     "cache-control", "vary", "transfer-encoding", "connection"}
)  # fmt: skip


@dataclass(frozen=True)
class CachedPage:
    """One rendered page as a visitor gets it."""

    body: bytes
    content_type: str
    charset: str | None
    etag: str
    headers: tuple[tuple[str, str], ...]
    stored_at: float


class PageCache:
    """Rendered pages by (language, URL) for the generation they were rendered at."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self._pages: OrderedDict[tuple[str, str], CachedPage] = OrderedDict()
        self._generation = -1
        self._bytes = 0
        self._max_entries, self._max_bytes = max_entries, max_bytes

    def get(self, generation: int, key: tuple[str, str]) -> CachedPage | None:
        """The page stored for `key` at `generation`, if it is still fresh."""
        if generation != self._generation:
            return None
        page = self._pages.get(key)
        if page is None or time.monotonic() - page.stored_at > ENTRY_SECONDS:
            return None
        self._pages.move_to_end(key)
        return page

    def put(self, generation: int, key: tuple[str, str], page: CachedPage) -> None:
        """Keep `page` for `key`; a newer generation empties the cache first."""
        if generation < self._generation:
            return  # rendered before a write another request has already seen
        if generation != self._generation:
            self._pages.clear()
            self._generation, self._bytes = generation, 0
        old = self._pages.pop(key, None)
        if old is not None:
            self._bytes -= len(old.body)
        self._pages[key] = page
        self._bytes += len(page.body)
        while self._pages and (
            len(self._pages) > self._max_entries or self._bytes > self._max_bytes
        ):
            _, dropped = self._pages.popitem(last=False)
            self._bytes -= len(dropped.body)


PAGE_CACHE = web.AppKey("page_cache", PageCache)


def is_visitor_page_request(request: web.Request) -> bool:
    """A GET of a cached page by a browser that carries nothing of anyone's own."""
    if request.method not in ("GET", "HEAD") or request.match_info.http_exception is not None:
        return False
    if request.match_info.route.name not in CACHED_ROUTES:
        return False
    if "Authorization" in request.headers or "Signature" in request.headers:
        return False
    if any(name not in (DEVICE_COOKIE, LANGUAGE_COOKIE) for name in request.cookies):
        return False
    return not wants_activity_json(request)


@web.middleware
async def visitor_page_cache(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Serve visitors' pages from the cache (or a 304); mark members' answers private."""
    if not is_visitor_page_request(request):
        response = await handler(request)
        if has_session_cookie(request) and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = MEMBER_CACHE_CONTROL
        return response
    cache = request.app[PAGE_CACHE]
    generation = await page_generation()
    key = (page_language(request, None, (await site_settings()).language), request.path_qs)
    page = cache.get(generation.number, key)
    if page is None:
        response = await handler(request)
        page = _cacheable(response)
        if page is None:
            return response
        if request.method == "GET":
            cache.put(generation.number, key, page)
    if _not_modified(request, page, generation):
        return web.Response(status=304, headers=_validators(page, generation))
    return web.Response(
        body=page.body,
        content_type=page.content_type,
        charset=page.charset,
        headers={**dict(page.headers), **_validators(page, generation)},
    )


def _cacheable(response: web.StreamResponse) -> CachedPage | None:
    if not isinstance(response, web.Response) or response.status != 200:
        return None
    if response.cookies or "Set-Cookie" in response.headers or response.content_type != "text/html":
        return None
    if "Cache-Control" in response.headers:  # the handler decided for itself
        return None
    body = response.body
    if not isinstance(body, bytes):
        return None
    return CachedPage(
        body=body,
        content_type=response.content_type,
        charset=response.charset,
        etag='"' + hashlib.sha256(body).hexdigest()[:32] + '"',
        headers=tuple(
            (name, value)
            for name, value in response.headers.items()
            if name.lower() not in HEADERS_NOT_KEPT
        ),
        stored_at=time.monotonic(),
    )


def _validators(page: CachedPage, generation: Generation) -> dict[str, str]:
    headers = {
        "ETag": page.etag,
        "Cache-Control": VISITOR_CACHE_CONTROL,
        "Vary": "Accept, Accept-Language, Cookie, Authorization",
    }
    if generation.changed_at is not None:
        headers["Last-Modified"] = format_datetime(generation.changed_at, usegmt=True)
    return headers


def _not_modified(request: web.Request, page: CachedPage, generation: Generation) -> bool:
    offered = request.headers.get("If-None-Match")
    if offered is not None:
        tags = {tag.strip().removeprefix("W/") for tag in offered.split(",")}
        return page.etag in tags or "*" in tags
    since = request.headers.get("If-Modified-Since")
    if since is None or generation.changed_at is None:
        return False
    try:
        moment: datetime = parsedate_to_datetime(since)
    except (TypeError, ValueError, IndexError):
        return False
    if moment.tzinfo is None:
        return False
    return generation.changed_at.replace(microsecond=0) <= moment
