"""Delete: a member withdraws one of their objects; a Tombstone goes out."""

from __future__ import annotations

from typing import Any

from tortoise.transactions import in_transaction

from federation.vocab import PUBLIC, id_of
from node.activitypub import new_activity, to_tombstone
from node.models import Actor
from node.services import local_objects
from node.services.outgoing.context import Outgoing


async def handle(services: Outgoing, actor: Actor, submitted: dict[str, Any]) -> dict[str, Any]:
    """Tombstone the member's object; return the Delete sent."""
    uri = id_of(submitted.get("object")) or ""
    async with in_transaction():
        row = await local_objects.withdraw_object(actor, uri)
        tombstone = to_tombstone(row.uri, row.type, row.deleted_at or row.published_at)
        activity = new_activity(
            services.urls, "Delete", actor, tombstone, to=[PUBLIC], cc=[actor.followers_uri]
        )
        await services.outbox.publish(actor, activity, to_followers=True)
    return activity
