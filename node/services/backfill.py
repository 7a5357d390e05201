"""Backfilling threads the node learns of late, from their `context` (FEP-7888, FEP-f228).

A reply to a proposal we never saw, or a follow of an organisation that published before, leaves
holes; walking the thread's `context` collection at its home fills them. Every run is bounded
(objects, GETs per host, pages, inReplyTo hops), a thread is walked again only after a cool-down,
and every object is believed only as its own origin serves it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from tortoise.expressions import Subquery

import schemas
from federation.activities.objects import OBJECT_TYPES, author_of, origin
from federation.errors import FetchError
from federation.vocab import as_list, id_of
from node.models import Actor, Object, Proposal
from node.services import amendments, remote_objects, remote_proposals, statements
from node.services.backfill_budget import BackfillLimits, BackfillReport, Cooldown, RunBudget
from node.services.blocklist import BlockList, current_blocks
from node.services.errors import ServiceError
from node.services.remote_actors import RemoteActors
from node.timestamps import parse_time
from node.urls import NodeUrls

log = logging.getLogger("townhall.backfill")
WRAPPING_ACTIVITIES = frozenset({"Create", "Update", "Announce"})
COLLECTION_TYPES = frozenset(
    {"OrderedCollection", "Collection", "OrderedCollectionPage", "CollectionPage"}
)


class BackfillRequests(Protocol):
    """Where the inbox side asks for backfills; they run later, in the background."""

    def object_arrived(self, uri: str) -> None:
        """A remote object was stored for the first time."""
        ...

    def follow_accepted(self, actor_uri: str) -> None:
        """A remote actor accepted a local member's Follow."""
        ...


@dataclass(frozen=True)
class _Listed:
    """A collection item and the origin of the page that listed it."""

    value: Any
    served_by: str


class ThreadBackfill:
    """Fetches the missing parts of threads from their homes, within the limits."""

    def __init__(
        self, remote_actors: RemoteActors, urls: NodeUrls, limits: BackfillLimits | None = None
    ) -> None:
        self._remote = remote_actors
        self._urls = urls
        self.limits = limits or BackfillLimits()
        self._cooldown = Cooldown(self.limits.cooldown_seconds)
        self._blocks = BlockList()

    async def after_arrival(self, uri: str) -> BackfillReport:
        """A remote object arrived: fetch its unknown parents, then its thread if it is new here."""
        budget = await self._new_run()
        row = await Object.get_or_none(uri=uri, is_local=False, deleted_at=None)
        if row is None:
            return budget.report
        parent_missing = bool(row.in_reply_to_uri) and not await Object.exists(
            uri=row.in_reply_to_uri
        )
        if parent_missing:
            await self._fetch_parents(row.in_reply_to_uri, budget)
            row = await _rejoin_parent_thread(row)
        thread = row.context_uri
        if thread and (parent_missing or await _first_of_thread(row)):
            await self.walk_thread(thread, budget)
        return budget.report

    async def after_follow(self, actor_uri: str) -> BackfillReport:
        """A remote actor accepted our follow: its recent posts, and the threads they are in."""
        budget = await self._new_run()
        actor = await Actor.get_or_none(uri=actor_uri, is_local=False, deleted_at=None)
        if actor is None or not actor.outbox_uri or not self._cooldown.claim(actor.outbox_uri):
            return budget.report
        listed = await self._collection_items(actor.outbox_uri, budget, self.limits.outbox_items)
        threads: dict[str, None] = {}
        for item in listed:
            row = await self._store_listed(item, budget)
            if row is not None and row.context_uri:
                threads.setdefault(row.context_uri, None)
        for thread in list(threads)[: self.limits.max_threads]:
            await self.walk_thread(thread, budget)
            await remote_proposals.vouched_in_thread(actor, thread)
        return budget.report

    async def walk_thread(self, context_uri: str, budget: RunBudget) -> int:
        """Fetch the objects of a remote thread we do not hold yet; return how many were stored."""
        if self._urls.is_local(context_uri) or not self._cooldown.claim(context_uri):
            return 0
        budget.report.threads.append(context_uri)
        listed = await self._collection_items(context_uri, budget, budget.objects_left * 4)
        documents = []
        for item in await _not_held(listed):
            if budget.objects_left <= 0:
                break
            document = await self._trusted(item, budget)
            if document is not None:
                documents.append(document)
        stored = [await self._store(document, budget) for document in _oldest_first(documents)]
        await self._settle(context_uri, [uri for item in listed if (uri := _object_id(item.value))])
        count = len([row for row in stored if row is not None])
        log.info(
            "backfill.thread",
            extra={"context": context_uri, "listed": len(listed), "stored": count},
        )
        return count

    async def _settle(self, context_uri: str, listed: list[str]) -> None:
        """What the home lists without a thread of its own joins it, and so does every reply
        to an object of the thread (FEP-11dd), however late its parent arrived."""
        ours = f"{self._urls.base}/"  # our own threads are ours to keep
        remote = Object.filter(is_local=False).exclude(context_uri__startswith=ours)
        await remote.filter(uri__in=listed, context_uri="").update(context_uri=context_uri)
        proposals = Proposal.all().values_list("object_id", flat=True)
        for _ in range(self.limits.max_depth):  # a generation of replies at a time
            in_thread = Object.filter(context_uri=context_uri).values_list("uri", flat=True)
            moved = await (
                remote.filter(in_reply_to_uri__in=Subquery(in_thread))
                .exclude(context_uri=context_uri)
                .exclude(id__in=Subquery(proposals))
                .update(context_uri=context_uri)
            )
            if not moved:
                return

    async def _new_run(self) -> RunBudget:
        self._blocks = await current_blocks()
        return RunBudget(self.limits)

    async def _fetch_parents(self, uri: str, budget: RunBudget) -> None:
        """Fetch a chain of unknown parents, up to the depth limit; store it from the top down."""
        chain: list[dict[str, Any]] = []
        current: str | None = uri
        while current and len(chain) < self.limits.max_depth:
            if self._urls.is_local(current) or await Object.exists(uri=current):
                break
            document = await self._fetch_object(current, budget)
            if document is None:
                break
            chain.append(document)
            current = id_of(document.get("inReplyTo"))
        for document in reversed(chain):
            await self._store(document, budget)

    async def _collection_items(self, url: str, budget: RunBudget, limit: int) -> list[_Listed]:
        """Up to `limit` items of a collection, walking its pages on its own origin."""
        collection = await self._fetch(url, budget)
        if collection is None or not _is_collection(collection):
            return []
        home = origin(url)
        items = [_Listed(item, home) for item in _page_items(collection)]
        page: Any = collection.get("first")
        seen: set[str] = set()
        for _ in range(self.limits.max_pages):
            if len(items) >= limit or not page:
                break
            if isinstance(page, str):
                if page in seen or origin(page) != home:
                    break
                seen.add(page)
                page = await self._fetch(page, budget)
            if not isinstance(page, dict) or not _is_collection(page):
                break
            items += [_Listed(item, home) for item in _page_items(page)]
            page = page.get("next")
        return items[:limit]

    async def _store_listed(self, item: _Listed, budget: RunBudget) -> Object | None:
        """Store a listed object (or the object of a listed Create/Announce) unless held."""
        if isinstance(item.value, dict) and not (
            _wraps_object(item.value) or _is_content(item.value)
        ):
            return None  # a Like, a Follow…: nothing of a thread
        uri = _object_id(item.value)
        if uri is None or self._urls.is_local(uri) or await Object.exists(uri=uri):
            return await Object.get_or_none(uri=uri) if uri else None
        document = await self._trusted(item, budget)
        return await self._store(document, budget) if document is not None else None

    async def _trusted(self, item: _Listed, budget: RunBudget) -> dict[str, Any] | None:
        """The listed object as its own origin serves it (an embedded copy from there will do)."""
        value = item.value
        if isinstance(value, str) and origin(value) == item.served_by:
            value = await self._fetch(value, budget)  # listed by id on the home: maybe an activity
        if isinstance(value, dict) and _wraps_object(value):
            value = value.get("object")
        uri = id_of(value)
        if uri is None or self._urls.is_local(uri):
            return None
        if isinstance(value, dict) and origin(uri) == item.served_by and _is_content(value):
            return value if budget.take_object() else None
        return await self._fetch_object(uri, budget)

    async def _fetch_object(self, uri: str, budget: RunBudget) -> dict[str, Any] | None:
        return await self._fetch(uri, budget) if budget.take_object() else None

    async def _fetch(self, url: str, budget: RunBudget) -> dict[str, Any] | None:
        """GET a document from its own origin (the client checks that its id is the URL)."""
        if self._blocked(url) or not budget.take_fetch(url):
            return None
        try:
            return (await self._remote.client.fetch_object(url)).document
        except FetchError as error:
            log.info("backfill.unfetchable", extra={"url": url, "reason": error.reason})
            return None

    async def _store(self, document: dict[str, Any], budget: RunBudget) -> Object | None:
        """Store a fetched object whose author is on its own origin; None when refused."""
        author_uri = author_of(document)
        refusal = refusal_of(document, author_uri)
        if refusal is None and author_uri is not None and self._blocked(author_uri):
            refusal = "its author is blocked here"
        if refusal is not None or author_uri is None:
            budget.report.refused += 1
            log.info("backfill.refused", extra={"object": document.get("id"), "reason": refusal})
            return None
        if self._urls.is_local(author_uri):
            return None
        if not await Actor.exists(uri=author_uri) and not budget.take_fetch(author_uri):
            return None
        try:
            author = await self._remote.get(author_uri)
        except ServiceError as error:
            log.info("backfill.no_author", extra={"actor": author_uri, "reason": str(error)})
            return None
        stored = await remote_objects.store_object(document, author)
        budget.report.stored += int(stored.created)
        if stored.row is not None:  # as when it arrives in the inbox: a suggestion is recorded
            await amendments.record_received(stored.row, document)
            await statements.hold_remote_statement(stored.row, document)
        return stored.row

    def _blocked(self, url: str) -> bool:
        return self._blocks.blocks_actor(url)


def refusal_of(document: dict[str, Any], author: str | None) -> str | None:
    """Why a fetched document cannot be stored as a thread object, or None."""
    kind = document.get("type")
    if not isinstance(kind, str) or kind not in OBJECT_TYPES:
        return f"{kind!r} is not a content type"
    if author is None or origin(author) != origin(str(document.get("id"))):
        return "its author is not on its own origin"
    try:
        if kind.lower() in schemas.kinds():
            schemas.validate(kind.lower(), document)
    except schemas.SchemaError as error:
        return str(error)
    return None


async def _first_of_thread(row: Object) -> bool:
    """Whether `row` is the only object of its thread held here."""
    return not await Object.filter(context_uri=row.context_uri).exclude(id=row.id).exists()


async def _rejoin_parent_thread(row: Object) -> Object:
    """Once its parents are stored, a reply joins their thread (FEP-11dd) as it would have."""
    parent = await Object.get_or_none(uri=row.in_reply_to_uri).only("id", "context_uri")
    is_proposal = row.type == "Article" and "proposalStatus" in row.document
    joins = parent is not None and parent.context_uri not in ("", row.context_uri)
    if joins and parent is not None and not is_proposal:
        row.context_uri = parent.context_uri
        await row.save(update_fields=["context_uri"])
    return row


async def _not_held(listed: list[_Listed]) -> list[_Listed]:
    """The listed items whose ids we hold no object (or tombstone) for, in order."""
    ids = [_object_id(item.value) for item in listed]
    held = set(await Object.filter(uri__in=[i for i in ids if i]).values_list("uri", flat=True))
    return [item for item, uri in zip(listed, ids, strict=True) if uri and uri not in held]


def _object_id(value: Any) -> str | None:
    """The id of a listed object, or of the object a listed activity wraps."""
    if isinstance(value, dict) and _wraps_object(value):
        return id_of(value.get("object"))
    return id_of(value)


def _types(value: dict[str, Any]) -> set[str]:
    return {kind for kind in as_list(value.get("type")) if isinstance(kind, str)}


def _wraps_object(value: dict[str, Any]) -> bool:
    return bool(_types(value) & WRAPPING_ACTIVITIES)


def _is_content(value: dict[str, Any]) -> bool:
    return bool(_types(value) & OBJECT_TYPES)


def _is_collection(document: dict[str, Any]) -> bool:
    return bool(_types(document) & COLLECTION_TYPES)


def _page_items(page: dict[str, Any]) -> list[Any]:
    """The items of a collection or page: ids or embedded objects with an id."""
    items = page.get("orderedItems", page.get("items"))
    return [item for item in as_list(items) if id_of(item)]


def _oldest_first(documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Oldest first by `published` (read as times: '…00Z' and '…00.250Z' compare as they should,
    whatever order the collection listed them in), and a reply never before a parent it names,
    even one published within the same second, so each reply finds its thread."""
    by_time = sorted(documents, key=lambda document: _published(document))
    ids = {id_of(document) for document in by_time}
    placed: set[str | None] = set()
    ordered: list[dict[str, Any]] = []

    def place(document: dict[str, Any], seen: frozenset[int]) -> None:
        if id_of(document) in placed or id(document) in seen:
            return
        parent = id_of(document.get("inReplyTo"))
        if parent in ids and parent not in placed:
            for candidate in by_time:
                if id_of(candidate) == parent:
                    place(candidate, seen | {id(document)})
        placed.add(id_of(document))
        ordered.append(document)

    for document in by_time:
        place(document, frozenset())
    return ordered


def _published(document: dict[str, Any]) -> datetime:
    return parse_time(document.get("published")) or datetime.max.replace(tzinfo=UTC)
