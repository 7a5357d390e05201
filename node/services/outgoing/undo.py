"""Undo: a member takes back one of their Follows, Likes or Announces."""

from __future__ import annotations

from typing import Any

from federation.vocab import id_of
from node.i18n import N_
from node.models import Actor, Follow, Reaction
from node.services import follows
from node.services.errors import NotFound
from node.services.outgoing.context import Outgoing
from node.services.outgoing.reactions import undo_reaction


async def handle(services: Outgoing, actor: Actor, submitted: dict[str, Any]) -> dict[str, Any]:
    """Undo the member's own activity named as object; return the Undo sent."""
    undone_id = id_of(submitted.get("object")) or ""
    follow = await Follow.get_or_none(uri=undone_id, follower_id=actor.id).prefetch_related(
        "followee"
    )
    if follow is not None:
        return await follows.unfollow(services.outbox, actor, follow.followee)
    reaction = await Reaction.get_or_none(uri=undone_id, actor_id=actor.id)
    if reaction is None:
        raise NotFound(
            N_("you have no Follow, Like or Announce with id %(undone_id)s"), undone_id=undone_id
        )
    return await undo_reaction(services, actor, reaction)
