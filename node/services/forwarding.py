"""Inbox forwarding (ActivityPub §7.1.2): replies to our objects reach our followers too.

An activity is forwarded, byte for byte, only the first time it is seen (the inbox worker
applies each id once), only when it is addressed to a followers collection of one of our
actors, and only when it refers to one of our objects (inReplyTo, object, target or tag).
Only the original addressees are targeted: the followers of the collections it names.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from federation.vocab import as_list, id_of
from node.addressing import addressees
from node.models import Actor, InboxItem, Object
from node.services.delivery_queue import enqueue_payload, follower_inboxes
from node.urls import NodeUrls

log = logging.getLogger("townhall.forwarding")
FORWARDED_FIELDS = ("to", "cc", "audience")  # §7.1.2: what the sender meant us to see


def _references(activity: dict[str, Any]) -> set[str]:
    """Ids the activity and its object point at, one level deep (bounded by design)."""
    found: set[str] = set()
    embedded = activity.get("object")
    for holder in (activity, embedded if isinstance(embedded, dict) else {}):
        for field in ("inReplyTo", "object", "target"):
            reference = id_of(holder.get(field))
            if reference:
                found.add(reference)
        for tag in as_list(holder.get("tag")):
            reference = id_of(tag.get("href") if isinstance(tag, dict) else tag)
            if reference:
                found.add(reference)
    return found


async def forward(
    item: InboxItem, activity: dict[str, Any], urls: NodeUrls, wake: Callable[[], None]
) -> int:
    """Queue the original body for our followers when §7.1.2 says so; return inboxes queued."""
    addressed = {uri for uri in addressees(activity, FORWARDED_FIELDS) if urls.is_local(uri)}
    if not addressed:
        return 0
    owners = await Actor.filter(is_local=True, followers_uri__in=list(addressed))
    local_refs = [ref for ref in _references(activity) if urls.is_local(ref)]
    if not owners or not local_refs or not await _any_ours(local_refs):
        return 0
    sender_host = urlsplit(item.actor_uri).netloc.lower()
    queued = 0
    for owner in owners:
        inboxes = [
            inbox
            for inbox in await follower_inboxes(owner)
            if urlsplit(inbox).netloc.lower() != sender_host
        ]
        queued += await enqueue_payload(item.activity_uri, item.payload, owner, inboxes)
    if queued:
        wake()
        log.info("inbox.forwarded", extra={"activity": item.activity_uri, "inboxes": queued})
    return queued


async def _any_ours(references: list[str]) -> bool:
    return (
        await Object.filter(uri__in=references, is_local=True).exists()
        or await Actor.filter(uri__in=references, is_local=True).exists()
    )
