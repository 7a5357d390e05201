"""proxyUrl: the node's own copy of a remote object, fetched (signed) when it has none."""

from __future__ import annotations

from typing import Any

from federation.activities.objects import OBJECT_TYPES, author_of
from federation.errors import FetchError
from node.models import Object
from node.services import remote_objects
from node.services.blocklist import current_blocks
from node.services.errors import NotFound, ServiceError
from node.services.remote_actors import RemoteActors, save_actor
from node.services.visibility import Reader, Seen, seen_as


async def proxied_object(remote_actors: RemoteActors, uri: str, reader: Reader) -> dict[str, Any]:
    """The stored document for `uri` if `reader` may see it, else the origin's, stored on the
    way; FetchError if gone, NotFound for a stored object hidden from the reader."""
    stored = await Object.get_or_none(uri=uri)
    seen = Seen.GONE if stored is None else await seen_as(stored, reader)
    if seen is Seen.NOTHING:
        raise NotFound(f"no object {uri} that you may see is known here")
    if stored is not None and seen is Seen.SHOWN and stored.document:
        return dict(stored.document)
    if (await current_blocks()).blocks_actor(uri):
        raise FetchError("its server or author is blocked here")
    document = (await remote_actors.client.fetch_object(uri)).document
    await _keep(remote_actors, document)
    return document


async def _keep(remote_actors: RemoteActors, document: dict[str, Any]) -> None:
    """Store what was fetched: objects by their author, actors as actors."""
    if "inbox" in document:
        await save_actor(document)
        return
    author = author_of(document)
    if document.get("type") in OBJECT_TYPES and author is not None:
        try:
            await remote_objects.store_object(document, await remote_actors.get(author))
        except ServiceError:
            return
