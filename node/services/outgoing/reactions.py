"""Likes (endorsements) and Announces (shares) by members, and taking them back."""

from __future__ import annotations

from typing import Any

from tortoise.transactions import in_transaction

from federation.vocab import PUBLIC
from node.activitypub import new_activity, to_undo
from node.i18n import N_
from node.models import Activity, Actor, Object, Reaction
from node.services import phases
from node.services.errors import ServiceError
from node.services.outgoing.context import Outgoing
from node.services.outgoing.targets import object_to_act_on
from node.services.threads import pass_on_in_thread


async def react(services: Outgoing, actor: Actor, kind: str, target: str) -> dict[str, Any]:
    """Send a Like or Announce of an object the member may see (fetched first when remote and
    not held yet); return it."""
    row = await object_to_act_on(services.lookup, actor, target)
    if kind == "Like":  # an endorsement counts only while its consultation is open
        await phases.check_endorsement(target)
    await row.fetch_related("author")
    if await Reaction.filter(kind=kind, actor_id=actor.id, object_uri=target).exists():
        raise ServiceError(
            N_("you already sent a %(kind)s of %(target)s"), kind=kind, target=target
        )
    to = [row.author.uri] + ([PUBLIC] if kind == "Announce" else [])
    activity = new_activity(
        services.urls,
        kind,
        actor,
        target,
        to=to,
        cc=[actor.followers_uri] if kind == "Announce" else None,
    )
    inboxes = [] if row.author.is_local else [row.author.delivery_inbox]
    async with in_transaction():
        await Reaction.create(uri=activity["id"], kind=kind, actor=actor, object_uri=target)
        await services.outbox.publish(
            actor, activity, inboxes=inboxes, to_followers=kind == "Announce"
        )
    return activity


async def undo_reaction(services: Outgoing, actor: Actor, reaction: Reaction) -> dict[str, Any]:
    """Take back a Like or Announce; return the Undo sent (and passed on by the organisation
    when the object is in one of its threads)."""
    if reaction.kind == "Like":  # an endorsement is withdrawn only while it is open
        await phases.check_withdrawal(reaction.object_uri)
    original = await Activity.get_or_none(uri=reaction.uri)
    undone = (
        original.document
        if original
        else {
            "id": reaction.uri,
            "type": reaction.kind,
            "actor": actor.uri,
            "object": reaction.object_uri,
        }
    )
    activity = to_undo(services.urls, actor, undone)
    target = await Object.get_or_none(uri=reaction.object_uri).prefetch_related("author")
    inboxes = [target.author.delivery_inbox] if target and not target.author.is_local else []
    async with in_transaction():
        await reaction.delete()
        await services.outbox.publish(
            actor, activity, inboxes=inboxes, to_followers=reaction.kind == "Announce"
        )
    await pass_on_in_thread(services.outbox, activity, reaction.object_uri)
    return activity
