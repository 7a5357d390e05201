"""Publishing: store a local actor's activity and queue its deliveries in one transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from tortoise.transactions import in_transaction

from federation.vocab import PUBLIC_FORMS, as_list, id_of
from node.models import Activity, Actor
from node.services.delivery_queue import enqueue, follower_inboxes
from node.urls import NodeUrls

log = logging.getLogger("townhall.outbox")


class Outbox:
    """Publishes activities of local actors to followers and addressees."""

    def __init__(self, urls: NodeUrls, wake: Callable[[], None]) -> None:
        self.urls = urls
        self._wake = wake

    async def publish(
        self,
        actor: Actor,
        activity: dict[str, Any],
        *,
        inboxes: Iterable[str] = (),
        to_followers: bool | None = None,
    ) -> Activity:
        """Store `activity` in the actor's outbox and queue a delivery per distinct inbox.

        Followers are included when the activity is addressed to the actor's followers
        collection (or when `to_followers` says so); remote addressees are always included.
        """
        addressed = _addressees(activity)
        include_followers = (
            actor.followers_uri in addressed if to_followers is None else to_followers
        )
        async with in_transaction():
            row = await Activity.create(
                uri=activity["id"],
                type=activity["type"],
                actor=actor,
                object_uri=id_of(activity.get("object")) or "",
                is_public=bool(addressed & PUBLIC_FORMS),
                document=activity,
            )
            targets = list(inboxes) + await _remote_inboxes(addressed)
            if include_followers:
                targets += await follower_inboxes(actor)
            await enqueue(activity, actor, targets)
        self._wake()
        log.info(
            "outbox.published",
            extra={"activity": activity["id"], "type": activity["type"], "actor": actor.uri},
        )
        return row


def _addressees(activity: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for field in ("to", "cc", "bto", "bcc", "audience"):
        found.update(value for value in as_list(activity.get(field)) if isinstance(value, str))
    return found


async def _remote_inboxes(addressed: set[str]) -> list[str]:
    """Inboxes of the remote actors among the addressees (collections are not actors)."""
    actors = await Actor.filter(uri__in=list(addressed - PUBLIC_FORMS), is_local=False)
    return [actor.delivery_inbox for actor in actors if actor.deleted_at is None]
