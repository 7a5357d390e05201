"""Atom and RSS feeds, written by feedgen from what node/services/feeds.py reads.

Each answer carries an ETag (a digest of the feed) and Last-Modified (its newest entry), so a
feed reader asking again with If-None-Match or If-Modified-Since gets a 304 without a body,
and Cache-Control lets it and any proxy keep the feed for a few minutes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import quote

from aiohttp import web
from feedgen.feed import FeedGenerator

from node.appkeys import URLS
from node.i18n import gettext_ as _
from node.sanitize import web_url
from node.services import feeds
from node.services.errors import ServiceError
from node.services.feeds import Feed, FeedEntry
from node.services.settings import site_settings

MEDIA_TYPES = {"atom": "application/atom+xml", "rss": "application/rss+xml"}
CACHE_SECONDS = 300
# what XML 1.0 cannot carry (control characters other than tab and line ends, U+FFFE/U+FFFF):
# text from other servers may hold them, and a feed must still be written
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
LISTS: dict[str, Callable[[], Awaitable[Feed]]] = {
    "proposals": feeds.proposals_feed,
    "open": feeds.open_consultations_feed,
    "decisions": feeds.decisions_feed,
}


async def list_feed(request: web.Request) -> web.StreamResponse:
    """GET /feeds/{proposals|open|decisions}.{atom|rss}."""
    name = request.match_info["feed"]
    feed = await LISTS[name]()
    titles = {
        "proposals": _("%(organisation)s: proposals"),
        "open": _("%(organisation)s: open consultations"),
        "decisions": _("%(organisation)s: decisions"),
    }
    descriptions = {
        "proposals": _("Policy proposals published by %(organisation)s, the newest first."),
        "open": _("Proposals %(organisation)s is consulting on now, open for comment."),
        "decisions": _("What %(organisation)s decided on its proposals, and why."),
    }
    title = titles[name] % {"organisation": feed.organisation}
    description = descriptions[name] % {"organisation": feed.organisation}
    path = f"/feeds/{name}"
    return await _answer(request, feed, path, title, description, decisions=name == "decisions")


async def tag_feed(request: web.Request) -> web.StreamResponse:
    """GET /tags/{tag}/feed.{atom|rss}: the organisation's proposals with one hashtag."""
    try:
        feed = await feeds.tag_feed(request.match_info["tag"])
    except ServiceError as error:
        raise web.HTTPBadRequest(text=error.translated()) from None
    names = {"organisation": feed.organisation, "tag": feed.subject}
    title = _("%(organisation)s: proposals tagged #%(tag)s") % names
    description = _("Policy proposals by %(organisation)s tagged #%(tag)s.") % names
    path = f"/tags/{quote(feed.subject)}/feed"
    return await _answer(request, feed, path, title, description)


async def comments_feed(request: web.Request) -> web.StreamResponse:
    """GET /objects/{key}/comments.{atom|rss}: the comments on one of the node's proposals."""
    uri = request.app[URLS].object(request.match_info["key"])
    try:
        feed = await feeds.comments_feed(uri)
    except feeds.GoneFeed as error:
        raise web.HTTPGone(text=error.translated()) from None
    except ServiceError as error:
        raise web.HTTPNotFound(text=error.translated()) from None
    title = _("Comments on “%(title)s”") % {"title": feed.subject}
    description = _("Comments on the proposal “%(title)s”, the newest first.") % {
        "title": feed.subject
    }
    path = f"/objects/{request.match_info['key']}/comments"
    return await _answer(request, feed, path, title, description)


async def _answer(
    request: web.Request,
    feed: Feed,
    path: str,
    title: str,
    description: str,
    *,
    decisions: bool = False,
) -> web.StreamResponse:
    """The feed at `path` (without its extension) in the format asked for, or 304 when the
    reader has it already."""
    kind = request.match_info["format"]
    self_url = f"{request.app[URLS].base}{path}.{kind}"
    generator = _generator(request, feed, self_url, title, description)
    generator.language((await site_settings()).language)
    for entry in feed.entries:
        _add_entry(generator, entry, feed, decisions)
    body = generator.atom_str(pretty=True) if kind == "atom" else generator.rss_str(pretty=True)
    headers = {
        "ETag": f'"{hashlib.sha256(body).hexdigest()[:32]}"',
        "Last-Modified": format_datetime(_whole_seconds(feed.updated), usegmt=True),
        "Cache-Control": f"public, max-age={CACHE_SECONDS}",
    }
    if _reader_has_it(request, headers["ETag"], feed.updated):
        return web.Response(status=304, headers=headers)
    return web.Response(body=body, headers=headers, content_type=MEDIA_TYPES[kind], charset="utf-8")


def _reader_has_it(request: web.Request, etag: str, updated: datetime) -> bool:
    """Whether the conditional request names this version (RFC 9110 §13.1: If-None-Match wins
    over If-Modified-Since)."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        asked = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return etag in asked or "*" in asked
    if_modified_since = request.headers.get("If-Modified-Since")
    if if_modified_since is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False  # a date we cannot read is ignored, as RFC 9110 says
    return since.tzinfo is not None and _whole_seconds(updated) <= since


def _whole_seconds(moment: datetime) -> datetime:
    """`moment` in UTC to the second, as HTTP dates carry it."""
    return moment.astimezone(UTC).replace(microsecond=0)


def _generator(
    request: web.Request, feed: Feed, self_url: str, title: str, description: str
) -> FeedGenerator:
    base = request.app[URLS].base
    page = feed.page if feed.page.startswith(("http://", "https://")) else f"{base}{feed.page}"
    generator = FeedGenerator()
    generator.id(self_url)
    generator.title(_xml(title))
    generator.subtitle(_xml(description))  # the RSS description too
    generator.updated(feed.updated)
    generator.author({"name": _xml(feed.organisation)})
    generator.link(href=self_url, rel="self", type=MEDIA_TYPES[request.match_info["format"]])
    generator.link(href=page, rel="alternate", type="text/html")  # the last: RSS's channel link
    generator.generator("Townhall")
    return generator


def _add_entry(generator: FeedGenerator, entry: FeedEntry, feed: Feed, decisions: bool) -> None:
    added = generator.add_entry(order="append")
    added.id(entry.id)
    added.guid(entry.id, permalink=False)
    added.title(_xml(_entry_title(entry, feed, decisions)))
    link = web_url(entry.link) or web_url(entry.id)
    if link:
        added.link(href=link, rel="alternate", type="text/html")
    added.author({"name": _xml(entry.author)})
    added.published(entry.published)
    added.updated(entry.updated)
    if entry.summary:
        added.summary(_xml(entry.summary))
    if entry.content_html:
        added.content(_xml(entry.content_html), type="html")
    for tag in entry.categories:
        added.category(term=_xml(tag))


def _xml(text: str) -> str:
    """`text` without the characters XML cannot hold."""
    return _NOT_XML.sub("", text)


def _entry_title(entry: FeedEntry, feed: Feed, decisions: bool) -> str:
    if decisions:
        outcomes = {
            "adopted": _("Adopted: %(title)s"),
            "changed": _("Adopted with changes: %(title)s"),
            "dropped": _("Dropped: %(title)s"),
        }
        return outcomes.get(entry.status, "%(title)s") % {"title": entry.title}
    if entry.title:
        return entry.title
    return _("%(author)s on “%(title)s”") % {"author": entry.author, "title": feed.subject}
