"""Remote actors: fetched from their origin, cached in the database, and their public keys."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from tortoise.transactions import in_transaction

import schemas
from federation.addresses import is_loopback_url
from federation.client import ACTIVITY_ACCEPT, FederationClient
from federation.errors import FetchError, UnknownKey
from federation.signatures import ResolvedKey
from federation.vocab import as_list, id_of
from federation.webfinger import MalformedResource, parse_resource
from node.i18n import N_
from node.models import Actor, ActorType
from node.sanitize import display_name, web_url
from node.services.blocklist import current_blocks
from node.services.endorsements import role_from_profile
from node.services.errors import NotFound, ServiceError
from node.services.unique_inserts import insert_unless_taken
from node.ttl_cache import TtlCache
from node.urls import NodeUrls

log = logging.getLogger("townhall.actors")
REFRESH_AFTER = timedelta(days=1)
KEY_CACHE_SECONDS = 300.0
ACTOR_CACHE_SECONDS = 10.0
CACHE_SIZE = 10_000
ACTOR_TYPES = {kind.value for kind in ActorType}


class RemoteActors:
    """Finds remote actors and their keys, fetching from the origin only when needed."""

    def __init__(self, client: FederationClient, own_base: str) -> None:
        self.client = client
        self._own_base = own_base
        self._keys: TtlCache[str, ResolvedKey] = TtlCache(KEY_CACHE_SECONDS, CACHE_SIZE)
        # a burst of activities from one actor (a relay, a busy group) reads its row once
        self._recent: TtlCache[str, Actor] = TtlCache(ACTOR_CACHE_SECONDS, CACHE_SIZE)

    async def resolve_key(self, key_id: str, *, refresh: bool) -> ResolvedKey:
        """The public key `key_id` names (a KeyResolver for signature checks)."""
        if not refresh:
            cached = self._keys.get(key_id)
            if cached is not None:
                return cached
            known = await Actor.filter(key_id=key_id, deleted_at=None).first()
            if known is not None and known.public_key_pem:
                return self._remember(ResolvedKey(key_id, known.uri, known.public_key_pem))
        try:
            actor = await self._fetch_key_owner(key_id)
        except (FetchError, ServiceError) as error:
            raise UnknownKey(f"cannot fetch key {key_id}: {error}") from None
        if actor.key_id != key_id or not actor.public_key_pem:
            raise UnknownKey(f"actor {actor.uri} does not publish key {key_id}")
        return self._remember(ResolvedKey(key_id, actor.uri, actor.public_key_pem))

    def _remember(self, key: ResolvedKey) -> ResolvedKey:
        return self._keys.put(key.key_id, key)

    def forget_key(self, key_id: str) -> None:
        """Drop a cached key (its actor was updated or deleted)."""
        self._keys.forget(key_id)

    def forget_actor(self, uri: str) -> None:
        """Drop a remembered actor row (the actor was updated or deleted)."""
        self._recent.forget(uri)

    async def get(self, uri: str, *, refresh: bool = False) -> Actor:
        """The actor with id `uri`, fetched from its origin when unknown or stale.

        A remote actor's row is remembered for a few seconds (forget_actor drops it sooner).
        """
        if not refresh and (recent := self._recent.get(uri)) is not None:
            return recent
        known = await Actor.get_or_none(uri=uri)
        fresh = (
            known is not None
            and known.fetched_at is not None
            and (datetime.now(UTC) - known.fetched_at < REFRESH_AFTER)
        )
        if known is not None and known.is_local:
            return known
        if known is not None and fresh and not refresh:
            return self._recent.put(uri, known)
        if (await current_blocks()).blocks_actor(uri):  # not fetched: what we hold, if any
            if known is not None:
                return known
            raise NotFound(N_("%(uri)s is blocked here"), uri=uri)
        try:
            fetched = await self.client.fetch_object(uri)
        except FetchError as error:
            if known is not None:
                return known
            raise NotFound(
                N_("cannot fetch actor %(uri)s: %(error)s"), uri=uri, error=error
            ) from None
        return self._recent.put(uri, await save_actor(fetched.document))

    async def resolve_handle(self, handle: str) -> Actor:
        """The actor behind `@user@host`, found through WebFinger."""
        try:
            resource = parse_resource(handle if ":" in handle.split("@")[0] else f"acct:{handle}")
        except MalformedResource as error:
            raise ServiceError(str(error)) from None
        if isinstance(resource, str):
            return await self.get(resource)
        if NodeUrls(self._own_base).is_own_host(resource.host):  # one of ours
            local = await Actor.get_or_none(handle=resource.user, is_local=True, deleted_at=None)
            if local is None:
                raise NotFound(N_("there is no %(handle)s on this node"), handle=handle)
            return local
        last_error: Exception | None = None
        for scheme in self._webfinger_schemes(resource.host):
            url = f"{scheme}://{resource.host}/.well-known/webfinger"
            query = f"?resource=acct:{resource.user}@{resource.host}"
            try:
                _, jrd = await self.client.fetch_json(url + query, accept="application/jrd+json")
            except FetchError as error:
                last_error = error
                continue
            return await self.get(_self_link(jrd, handle))
        raise NotFound(
            N_("cannot find %(handle)s: %(last_error)s"), handle=handle, last_error=last_error
        )

    def _webfinger_schemes(self, host: str) -> list[str]:
        # development nodes on loopback speak plain HTTP to each other
        if is_loopback_url(f"http://{host}") and self._own_base.startswith("http://"):
            return ["http", "https"]
        return ["https"]

    async def _fetch_key_owner(self, key_id: str) -> Actor:
        document_url = key_id.split("#", 1)[0]
        final_url, document = await self.client.fetch_json(document_url, accept=ACTIVITY_ACCEPT)
        if not isinstance(document, dict):
            raise ServiceError(
                N_("%(document_url)s is not a JSON object"), document_url=document_url
            )
        if "inbox" in document:
            if document.get("id") != final_url:
                raise ServiceError(
                    N_("actor at %(final_url)s claims id %(id)s"),
                    final_url=final_url,
                    id=repr(document.get("id")),
                )
            return await save_actor(document)
        owner = document.get("owner")
        if not isinstance(owner, str) or urlsplit(owner).netloc != urlsplit(final_url).netloc:
            raise ServiceError(
                N_("key document %(final_url)s has no owner on its own host"), final_url=final_url
            )
        return await self.get(owner, refresh=True)


def _self_link(jrd: Any, handle: str) -> str:
    links = jrd.get("links", []) if isinstance(jrd, dict) else []
    for link in links if isinstance(links, list) else []:
        if (
            isinstance(link, dict)
            and link.get("rel") == "self"
            and "json" in str(link.get("type", ""))
            and isinstance(link.get("href"), str)
        ):
            return str(link["href"])
    raise NotFound(N_("%(handle)s has no ActivityPub actor"), handle=handle)


def _public_key(document: dict[str, Any]) -> tuple[str, str]:
    for key in as_list(document.get("publicKey")):
        if isinstance(key, dict) and key.get("owner", document["id"]) == document["id"]:
            return str(key.get("id", "")), str(key.get("publicKeyPem", ""))
    return "", ""


# FEP-268d's term as servers spell it: compacted with Mastodon's context, or its full IRI
_INDEXABLE_TERMS = ("indexable", "toot:indexable", "http://joinmastodon.org/ns#indexable")


def search_consent(document: dict[str, Any]) -> bool | None:
    """The actor's FEP-268d `indexable`: a real boolean (bare or as a JSON-LD `@value`, alone
    or as the one item of a list), else None: said nothing, or nothing we can trust."""
    for term in _INDEXABLE_TERMS:
        if term not in document:
            continue
        value = document[term]
        if isinstance(value, list) and len(value) == 1:
            value = value[0]
        if isinstance(value, dict):
            value = value.get("@value")
        return value if isinstance(value, bool) else None
    return None


def _actor_type(value: Any) -> ActorType:
    for name in as_list(value):
        if name in ACTOR_TYPES:
            return ActorType(name)
    raise ServiceError(N_("%(value)s is not an actor type"), value=repr(value))


def actor_fields(document: dict[str, Any]) -> dict[str, Any]:
    """The columns of a remote actor row, from its validated document."""
    uri = document["id"]
    key_id, pem = _public_key(document)
    endpoints = document.get("endpoints")
    shared_inbox = endpoints.get("sharedInbox") if isinstance(endpoints, dict) else None
    handle = document.get("preferredUsername") or uri.rstrip("/").rsplit("/", 1)[-1]
    return {
        "type": _actor_type(document["type"]),
        "is_local": False,
        "handle": str(handle)[:255],
        "domain": urlsplit(uri).netloc.lower(),
        "name": (display_name(str(document.get("name") or "")) or str(handle))[:255],
        "summary": str(document.get("summary") or ""),
        "role": role_from_profile(document),
        "url": (web_url(id_of(document.get("url"))) or uri)[:2048],
        "inbox_uri": document["inbox"],
        "outbox_uri": str(document.get("outbox") or ""),
        "shared_inbox_uri": str(shared_inbox or ""),
        "followers_uri": str(document.get("followers") or ""),
        "following_uri": str(document.get("following") or ""),
        "key_id": key_id,
        "public_key_pem": pem,
        "manually_approves_followers": bool(document.get("manuallyApprovesFollowers")),
        "indexable": search_consent(document),
        "fetched_at": datetime.now(UTC),
        "deleted_at": None,
    }


async def save_actor(document: dict[str, Any]) -> Actor:
    """Insert or refresh a remote actor from a document fetched from its own origin."""
    try:
        schemas.validate("remote_actor", document)
    except schemas.SchemaError as error:
        raise ServiceError(str(error)) from None
    fields = actor_fields(document)
    async with in_transaction():
        existing = await Actor.get_or_none(uri=document["id"])
        if existing is not None and existing.is_local:
            return existing
        await _free_handle(fields["handle"], fields["domain"], document["id"])
        if existing is None:
            created = await insert_unless_taken(Actor, uri=document["id"], **fields)
            if created is not None:
                return created
            existing = await Actor.get(uri=document["id"])  # stored meanwhile
        await existing.update_from_dict(fields).save()
    return existing


async def _free_handle(handle: str, domain: str, uri: str) -> None:
    """A new actor took over a handle: rename the old row so the pair stays unique."""
    stale = await Actor.filter(handle=handle, domain=domain).exclude(uri=uri).first()
    if stale is not None:
        stale.handle = f"{handle}~{stale.id}"[:255]
        await stale.save(update_fields=["handle"])
