"""What a fake remote serves: published objects, tombstones, and the discovery documents."""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from tests.fakes.actors import FakeActor, host_meta_xrd, nodeinfo, nodeinfo_links, webfinger_jrd

AS2_CONTEXT = "https://www.w3.org/ns/activitystreams"
AS2_CONTENT_TYPE = "application/activity+json"


class ObjectStore:
    """Documents served at their ids, and ids that answer 410 Gone."""

    def __init__(self) -> None:
        self._objects: dict[str, dict[str, Any]] = {}
        self._gone: set[str] = set()

    def publish(self, document: Mapping[str, Any]) -> dict[str, Any]:
        """Serve ``document`` at its id from now on (replacing any earlier version)."""
        stored = dict(document)
        object_id = str(stored["id"])
        self._objects[object_id] = stored
        self._gone.discard(object_id)
        return stored

    def gone(self, object_id: str) -> None:
        """Answer 410 Gone with a Tombstone for ``object_id`` from now on."""
        self._objects.pop(object_id, None)
        self._gone.add(object_id)

    def get(self, object_id: str) -> dict[str, Any] | None:
        """What is served at ``object_id``, if anything."""
        return self._objects.get(object_id)

    def response(self, url: str, accept: str) -> web.Response:
        """The answer to a GET of ``url`` (tried with its query, then without)."""
        known = url in self._objects or url in self._gone
        key = url if known else url.split("?", 1)[0]
        if key in self._gone:
            return as2_response({"@context": AS2_CONTEXT, "id": key, "type": "Tombstone"}, 410)
        document = self._objects.get(key)
        if document is None:
            return text_response(404, "not found")
        if "text/html" in accept and "json" not in accept:
            return web.Response(text=_html_page(document), content_type="text/html")
        return as2_response(document)


def discovery_response(
    request: web.Request,
    *,
    base_url: str,
    host: str,
    software: str,
    actors: Mapping[str, FakeActor],
    host_meta: bool,
    recorded_nodeinfo: Mapping[str, Any] | None = None,
) -> web.Response:
    """WebFinger, host-meta (only if ``host_meta``) and NodeInfo 2.0 (``recorded_nodeinfo``
    when given, else one naming ``software``)."""
    path = request.path
    if path == "/.well-known/webfinger":
        return _webfinger(request.query.get("resource"), host, actors)
    if path == "/.well-known/host-meta" and host_meta:
        return web.Response(text=host_meta_xrd(base_url), content_type="application/xrd+xml")
    if path == "/.well-known/nodeinfo":
        return web.json_response(nodeinfo_links(base_url))
    if path == "/nodeinfo/2.0":
        if recorded_nodeinfo is not None:
            return web.json_response(dict(recorded_nodeinfo))
        return web.json_response(nodeinfo(software, len(actors)))
    return text_response(404, "not found")


def _webfinger(resource: str | None, host: str, actors: Mapping[str, FakeActor]) -> web.Response:
    if not resource:
        return text_response(400, "resource is required")
    for actor in actors.values():
        if resource.lower() in (f"acct:{actor.name}@{host}".lower(), actor.id.lower()):
            return web.json_response(
                webfinger_jrd(actor, host), content_type="application/jrd+json"
            )
    return text_response(404, "no such account")


def as2_response(document: Mapping[str, Any], status: int = 200) -> web.Response:
    """A JSON document as ``application/activity+json``."""
    return web.Response(
        status=status, body=json.dumps(document).encode("utf-8"), content_type=AS2_CONTENT_TYPE
    )


def text_response(status: int, text: str) -> web.Response:
    """A short plain-text answer."""
    return web.Response(status=status, text=text)


def _html_page(document: Mapping[str, Any]) -> str:
    title = html.escape(
        str(document.get("name") or document.get("preferredUsername") or document.get("id"))
    )
    link = html.escape(str(document.get("id")), quote=True)
    return f'<!doctype html><title>{title}</title><a href="{link}">{title}</a>'
