"""Remote objects the node has not seen yet: fetched when a member looks one up (proxyUrl) or
acts on it (a Like, an Announce, a reply), and stored as the inbox would store them.

Every fetch is a signed GET through the node's one client (its SSRF rules), never of a blocked
server or author; a fetched object is believed only when its author is on its own origin and it
fits its schema (backfill's rule). Its thread is then queued for the backfill worker, within
the bounds of the backfill that runs when a reply arrives with unknown parents.
"""

from __future__ import annotations

from typing import Any

from federation.activities.objects import OBJECT_TYPES, author_of
from federation.errors import BadStatus, FetchError
from node.i18n import N_
from node.models import Object
from node.services import amendments, remote_objects, statements
from node.services.backfill import BackfillRequests, refusal_of
from node.services.blocklist import current_blocks
from node.services.errors import Forbidden, NotFound, ServiceError
from node.services.remote_actors import RemoteActors, save_actor
from node.services.visibility import Reader, Seen, seen_as
from node.urls import NodeUrls


class Unfetchable(ServiceError):
    """A remote object the node could not fetch, or would not believe, from its origin."""

    status = 502


class Blocked(FetchError):
    """Not fetched: the server or author is blocked here."""


class RemoteLookup:
    """Fetches and stores remote objects on a member's behalf; queues their threads."""

    def __init__(
        self,
        remote_actors: RemoteActors,
        urls: NodeUrls,
        backfill: BackfillRequests | None = None,
    ) -> None:
        self._remote = remote_actors
        self._urls = urls
        self._backfill = backfill

    async def proxied(self, uri: str, reader: Reader) -> dict[str, Any]:
        """The stored document for `uri` if `reader` may see it, else the origin's, stored on the
        way; FetchError if it cannot be had, NotFound for an object hidden from the reader."""
        stored = await Object.get_or_none(uri=uri)
        if stored is not None:
            seen = await seen_as(stored, reader)
            if seen is Seen.NOTHING:
                raise NotFound(N_("no object %(uri)s that you may see is known here"), uri=uri)
            if seen is Seen.GONE:  # a tombstone stays dead: its origin is not asked again
                raise FetchError("it has been deleted")
            if stored.document:
                return dict(stored.document)
        document = await self._fetch(uri)
        if "inbox" in document:
            await save_actor(document)
            return document
        if document.get("type") not in OBJECT_TYPES:
            return document  # a collection, an activity…: shown, not kept
        row = await self._keep(document)
        if await seen_as(row, reader) is not Seen.SHOWN:
            raise NotFound(N_("no object %(uri)s that you may see is known here"), uri=uri)
        return document

    async def stored_object(self, uri: str) -> Object:
        """The object `uri`, fetched from its origin and stored if not held yet; NotFound for an
        id of ours we do not hold, Forbidden when blocked, Unfetchable (404/400/502) otherwise."""
        held = await Object.get_or_none(uri=uri)
        if held is not None:
            return held
        if self._urls.is_local(uri):
            raise NotFound(N_("no object %(uri)s here"), uri=uri)
        try:
            document = await self._fetch(uri)
        except FetchError as error:
            raise _unfetchable(uri, error) from None
        if document.get("type") not in OBJECT_TYPES:
            raise Unfetchable(N_("%(uri)s is not a post, article or poll"), uri=uri)
        try:
            return await self._keep(document)
        except FetchError as error:
            raise _unfetchable(uri, error) from None

    async def _fetch(self, uri: str) -> dict[str, Any]:
        """The document at `uri` as its origin serves it (the client checks that its id is the
        URL, and where it may connect)."""
        if (await current_blocks()).blocks_actor(uri):
            raise Blocked("its server or author is blocked here")
        return (await self._remote.client.fetch_object(uri)).document

    async def _keep(self, document: dict[str, Any]) -> Object:
        """Store a fetched object under its author, as backfill does; queue its thread."""
        author = author_of(document)
        reason = refusal_of(document, author)
        if reason is not None or author is None:
            raise FetchError(f"it cannot be used: {reason}")
        if (await current_blocks()).blocks_actor(author):
            raise Blocked("its author is blocked here")
        try:
            stored = await remote_objects.store_object(document, await self._remote.get(author))
        except ServiceError as error:
            raise FetchError(f"its author cannot be fetched: {error}") from None
        row = stored.row or await Object.get_or_none(uri=document["id"])
        if row is None:
            raise FetchError("it could not be stored")
        if stored.row is not None:  # as when it arrives in the inbox: a suggestion is recorded
            await amendments.record_received(stored.row, document)
            await statements.hold_remote_statement(stored.row, document)
        if (
            stored.created
            and self._backfill is not None
            and (row.in_reply_to_uri or row.context_uri)
        ):
            self._backfill.object_arrived(row.uri)
        return row


def _unfetchable(uri: str, error: FetchError) -> ServiceError:
    """The member-facing refusal for a fetch that failed: 404 for what is not there, 403 for a
    block, 400 for an address we never connect to, else 502 (the other server's fault)."""
    message, values = N_("cannot fetch %(uri)s: %(reason)s"), {"uri": uri, "reason": error.reason}
    if isinstance(error, BadStatus) and error.remote_status in (404, 410):
        return NotFound(message, **values)
    if isinstance(error, Blocked):
        return Forbidden(message, **values)
    if error.status == 400:  # a forbidden address or scheme
        return ServiceError(message, **values)
    return Unfetchable(message, **values)
