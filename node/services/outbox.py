"""Publishing: store a local actor's activity and queue its deliveries in one transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from tortoise.transactions import in_transaction

from federation.vocab import PUBLIC_FORMS, id_of
from node.addressing import addressees, is_public
from node.models import Activity, Actor, Follow, FollowState, InboxEntry
from node.services.blocklist import current_blocks
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
        acting: Actor | None = None,
    ) -> Activity:
        """Store `activity` in the actor's outbox and queue a delivery per distinct inbox.

        Followers are included when the activity is addressed to the actor's followers
        collection, or when `to_followers` says so of a public one (a private activity reaches
        only whom it names); remote addressees are always included. `acting` is the member who
        acted for `actor` (an admin or moderator for the organisation): like the actor, they
        are not filed a copy of what they did themselves.
        """
        addressed = addressees(activity)
        include_followers = to_followers is not False and (
            actor.followers_uri in addressed or (to_followers is True and is_public(addressed))
        )
        async with in_transaction():
            row = await Activity.create(
                uri=activity["id"],
                type=activity["type"],
                actor=actor,
                object_uri=id_of(activity.get("object")) or "",
                is_public=is_public(addressed),
                document=activity,
            )
            explicit = [inbox for inbox in inboxes if not self.urls.is_local(inbox)]
            targets = explicit + await _remote_inboxes(addressed, already=explicit)
            if include_followers:
                targets += await follower_inboxes(actor)
            await enqueue(activity, actor, targets)
            await self._file_locally(actor, activity, addressed, include_followers, acting)
        self._wake()
        log.info(
            "outbox.published",
            extra={"activity": activity["id"], "type": activity["type"], "actor": actor.uri},
        )
        return row

    async def _file_locally(
        self,
        actor: Actor,
        activity: dict[str, Any],
        addressed: set[str],
        followers: bool,
        acting: Actor | None,
    ) -> None:
        """Local addressees, and local followers when followers are included, get it at once
        (but not the member who acted)."""
        local = [uri for uri in addressed if self.urls.handle_of(uri) and uri != actor.uri]
        recipients = set(
            await Actor.filter(uri__in=local, is_local=True).values_list("id", flat=True)
            if local
            else []
        )
        if followers:
            recipients.update(
                await Follow.filter(
                    followee_id=actor.id, state=FollowState.ACCEPTED, follower__is_local=True
                ).values_list("follower_id", flat=True)
            )
        if acting is not None:
            recipients.discard(acting.id)
        entries = [
            InboxEntry(recipient_id=recipient, activity_uri=activity["id"], document=activity)
            for recipient in recipients
        ]
        if entries:
            await InboxEntry.bulk_create(entries, ignore_conflicts=True)


async def _remote_inboxes(addressed: set[str], already: list[str]) -> list[str]:
    """Inboxes of the remote actors among the addressees (collections are not actors), but
    not of blocked ones (named, a blocked actor's shared inbox would still reach it).

    An actor whose personal inbox is `already` a target is skipped: its shared inbox would
    be a second delivery of the same activity to the same server (AP 7.1 de-duplication).
    """
    blocks = await current_blocks()
    actors = await Actor.filter(uri__in=list(addressed - PUBLIC_FORMS), is_local=False)
    return [
        actor.delivery_inbox
        for actor in actors
        if actor.deleted_at is None
        and actor.inbox_uri not in already
        and not blocks.blocks_actor(actor.uri)
    ]
