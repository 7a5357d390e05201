"""The page of an object on this node: /objects/{key} for ours, /remote/objects/{id} for one
held from another server. Forms post under it, redirects return to it."""

from __future__ import annotations

from typing import Protocol

from aiohttp import web

from node.appkeys import URLS
from web.remote_links import remote_page_path


class Placed(Protocol):
    """Anything with the row id, URI and origin of an object (read models of it)."""

    @property
    def id(self) -> int: ...
    @property
    def uri(self) -> str: ...
    @property
    def is_local(self) -> bool: ...


def object_path(request: web.Request, obj: Placed) -> str:
    """The path of `obj`'s page here."""
    key = request.app[URLS].object_key(obj.uri) if obj.is_local else None
    return f"/objects/{key}" if key else remote_page_path(obj.id)
