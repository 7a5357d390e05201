"""Conversions between the node's domain objects and ActivityStreams documents, by direction."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from federation.vocab import ACTOR_CONTEXT, AS2_CONTEXT
from node.models import Actor
from node.timestamps import format_time, now
from node.urls import NodeUrls

ROLE_LABELS = {"practitioner": "Practitioner", "service_user": "Service user", "staff": "Staff"}


def to_actor(
    actor: Actor,
    urls: NodeUrls,
    *,
    role: str | None = None,
    consent: tuple[bool, bool] | None = None,
) -> dict[str, Any]:
    """A local actor as the ActivityStreams document other servers fetch; `role` is the role
    it shows (actors.shown_role: none when the member keeps it private), else its own;
    `consent` a member's search consent (indexable, discoverable; FEP-268d), None for the
    organisation, whose posts are public and may be searched."""
    indexable, discoverable = consent if consent is not None else (True, True)
    document: dict[str, Any] = {
        "@context": ACTOR_CONTEXT,
        "id": actor.uri,
        "type": actor.type.value,
        "preferredUsername": actor.handle,
        "name": actor.name,
        "summary": actor.summary,
        "url": actor.url,
        "inbox": actor.inbox_uri,
        "outbox": actor.outbox_uri,
        "followers": actor.followers_uri,
        "following": actor.following_uri,
        "manuallyApprovesFollowers": actor.manually_approves_followers,
        "discoverable": discoverable,
        "indexable": indexable,
        "published": format_time(actor.created_at),
        "endpoints": {"sharedInbox": actor.shared_inbox_uri, "proxyUrl": urls.proxy},
        "publicKey": {
            "id": actor.key_id,
            "owner": actor.uri,
            "publicKeyPem": actor.public_key_pem,
        },
    }
    shown = actor.role if role is None else role
    if shown in ROLE_LABELS:
        document["attachment"] = [
            {"type": "PropertyValue", "name": "Role", "value": ROLE_LABELS[shown]}
        ]
    return document


def new_activity(
    urls: NodeUrls,
    kind: str,
    actor: Actor,
    object_: Any,
    *,
    to: list[str] | None = None,
    cc: list[str] | None = None,
) -> dict[str, Any]:
    """A fresh activity by a local actor, with a new id on this node."""
    document: dict[str, Any] = {
        "@context": AS2_CONTEXT,
        "id": urls.activity(uuid.uuid4().hex),
        "type": kind,
        "actor": actor.uri,
        "object": object_,
        "published": format_time(now()),
    }
    if to:
        document["to"] = to
    if cc:
        document["cc"] = cc
    return document


def to_follow(urls: NodeUrls, follower: Actor, followee: Actor) -> dict[str, Any]:
    """A Follow of `followee` by our `follower`."""
    return new_activity(urls, "Follow", follower, followee.uri, to=[followee.uri])


def to_follow_answer(
    urls: NodeUrls, followee: Actor, follow: dict[str, Any], *, accept: bool
) -> dict[str, Any]:
    """An Accept or Reject of a received Follow, embedding it as Mastodon expects."""
    embedded = {key: follow[key] for key in ("id", "type", "actor", "object") if key in follow}
    follower = embedded.get("actor")
    to = [follower] if isinstance(follower, str) else None
    return new_activity(urls, "Accept" if accept else "Reject", followee, embedded, to=to)


def to_undo(urls: NodeUrls, actor: Actor, undone: dict[str, Any]) -> dict[str, Any]:
    """An Undo embedding the activity it withdraws."""
    embedded = {key: undone[key] for key in ("id", "type", "actor", "object") if key in undone}
    return new_activity(urls, "Undo", actor, embedded, to=undone.get("to"), cc=undone.get("cc"))


def to_tombstone(uri: str, former_type: str, deleted: datetime) -> dict[str, Any]:
    """What a deleted object's id answers with (410 Gone)."""
    return {
        "@context": AS2_CONTEXT,
        "id": uri,
        "type": "Tombstone",
        "formerType": former_type,
        "deleted": format_time(deleted),
    }


def page_url(collection_id: str, page: int) -> str:
    """The URL of one page of a collection (whose id may carry a query, e.g. ?tag=)."""
    return f"{collection_id}{'&' if '?' in collection_id else '?'}page={page}"


def to_collection(collection_id: str, total: int, *, first_page: str | None) -> dict[str, Any]:
    """An OrderedCollection that points at its first page."""
    document: dict[str, Any] = {
        "@context": AS2_CONTEXT,
        "id": collection_id,
        "type": "OrderedCollection",
        "totalItems": total,
    }
    if first_page is not None:
        document["first"] = first_page
    return document


def to_collection_page(
    collection_id: str,
    page: int,
    items: list[Any],
    *,
    total: int,
    has_next: bool,
) -> dict[str, Any]:
    """One page of an OrderedCollection (newest first)."""
    document: dict[str, Any] = {
        "@context": AS2_CONTEXT,
        "id": page_url(collection_id, page),
        "type": "OrderedCollectionPage",
        "partOf": collection_id,
        "totalItems": total,
        "orderedItems": items,
    }
    if has_next:
        document["next"] = page_url(collection_id, page + 1)
    if page > 1:
        document["prev"] = page_url(collection_id, page - 1)
    return document
