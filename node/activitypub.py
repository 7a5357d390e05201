"""Conversions between the node's domain objects and ActivityStreams documents, by direction."""

from __future__ import annotations

from typing import Any

from federation.vocab import ACTOR_CONTEXT
from node.models import Actor
from node.urls import NodeUrls

ROLE_LABELS = {"practitioner": "Practitioner", "service_user": "Service user", "staff": "Staff"}


def to_actor(actor: Actor, urls: NodeUrls) -> dict[str, Any]:
    """A local actor as the ActivityStreams document other servers fetch."""
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
        "discoverable": True,
        "published": actor.created_at.isoformat(),
        "endpoints": {"sharedInbox": actor.shared_inbox_uri, "proxyUrl": urls.proxy},
        "publicKey": {
            "id": actor.key_id,
            "owner": actor.uri,
            "publicKeyPem": actor.public_key_pem,
        },
    }
    if actor.role in ROLE_LABELS:
        document["attachment"] = [
            {"type": "PropertyValue", "name": "Role", "value": ROLE_LABELS[actor.role]}
        ]
    return document
