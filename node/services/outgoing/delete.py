"""Delete: a member withdraws one of their objects; a Tombstone goes out."""

from __future__ import annotations

from typing import Any

from tortoise.transactions import in_transaction

from federation.vocab import id_of
from node.activitypub import new_activity, to_tombstone
from node.addressing import addressed_ids
from node.models import Actor
from node.services import local_objects
from node.services.article_preview import withdraw_preview
from node.services.outgoing.context import Outgoing
from node.services.threads import pass_on_in_thread


async def handle(services: Outgoing, actor: Actor, submitted: dict[str, Any]) -> dict[str, Any]:
    """Tombstone the member's object; return the Delete sent wherever its Create went."""
    uri = id_of(submitted.get("object")) or ""
    async with in_transaction():
        row = await local_objects.withdraw_object(actor, uri)
        tombstone = to_tombstone(row.uri, row.type, row.deleted_at or row.published_at)
        # the Delete goes wherever the Create went: the object's own addressees (a reply's
        # parent author, the thread's home; the people a private note named), and the
        # followers when it was public
        to, cc = addressed_ids(row.document.get("to")), addressed_ids(row.document.get("cc"))
        if row.is_public and actor.followers_uri not in to:
            cc = sorted({*cc, actor.followers_uri})
        activity = new_activity(services.urls, "Delete", actor, tombstone, to=to, cc=cc)
        await services.outbox.publish(actor, activity, to_followers=True)
        await pass_on_in_thread(services.outbox, activity, row.uri)
        if row.type == "Article":  # a proposal: its preview Note goes with it
            await withdraw_preview(services.outbox, row)
    return activity
