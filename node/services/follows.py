"""Follows in both directions: remote actors following ours, and ours following others."""

from __future__ import annotations

from typing import Any

from tortoise.transactions import in_transaction

from node.activitypub import to_follow, to_follow_answer, to_undo
from node.i18n import N_
from node.models import Actor, Follow, FollowState
from node.services.errors import Conflict, NotFound, ServiceError
from node.services.outbox import Outbox


async def record_follow(
    follow_id: str, follower: Actor, followee: Actor, *, accepted: bool
) -> None:
    """Remember a follow (a repeated Follow replaces the earlier one)."""
    state = FollowState.ACCEPTED if accepted else FollowState.PENDING
    async with in_transaction():
        existing = await Follow.get_or_none(follower=follower, followee=followee)
        if existing is None:
            await Follow.create(uri=follow_id, follower=follower, followee=followee, state=state)
            return
        existing.uri, existing.state = follow_id, state
        await existing.save(update_fields=["uri", "state"])


async def answer_follow(
    outbox: Outbox, followee: Actor, follow: dict[str, Any], *, accept: bool
) -> dict[str, Any]:
    """Send Accept or Reject of a received Follow to the follower; a Reject also drops it."""
    follower = await Actor.get_or_none(uri=follow.get("actor"))
    if follower is None:
        raise NotFound(N_("the follower is unknown"))
    answer = to_follow_answer(outbox.urls, followee, follow, accept=accept)
    async with in_transaction():
        if accept:
            await Follow.filter(follower=follower, followee=followee).update(
                state=FollowState.ACCEPTED
            )
        else:
            await Follow.filter(follower=follower, followee=followee).delete()
        await outbox.publish(followee, answer, inboxes=[follower.inbox_uri], to_followers=False)
    return answer


async def answer_pending_follow(
    outbox: Outbox, followee: Actor, follow_id: str, *, accept: bool
) -> dict[str, Any]:
    """A locked account's owner answers a Follow they received; return the answer sent."""
    row = await Follow.get_or_none(uri=follow_id, followee=followee).prefetch_related("follower")
    if row is None:
        raise NotFound(
            N_("no follow request %(follow_id)s for %(uri)s"), follow_id=follow_id, uri=followee.uri
        )
    follow = {"id": row.uri, "type": "Follow", "actor": row.follower.uri, "object": followee.uri}
    return await answer_follow(outbox, followee, follow, accept=accept)


async def follow(outbox: Outbox, follower: Actor, followee: Actor) -> dict[str, Any]:
    """Ask to follow an actor: a remote one answers later; a local one at once, unless locked."""
    if followee.uri == follower.uri:
        raise ServiceError(N_("an actor cannot follow itself"))
    if followee.deleted_at is not None:
        raise NotFound(N_("%(uri)s no longer exists"), uri=followee.uri)
    existing = await Follow.get_or_none(follower=follower, followee=followee)
    if existing is not None and existing.state == FollowState.ACCEPTED:
        raise Conflict(
            N_("%(follower)s already follows %(followee)s"),
            follower=follower.uri,
            followee=followee.uri,
        )
    activity = to_follow(outbox.urls, follower, followee)
    async with in_transaction():
        # no HTTP for a local followee: the Follow lands in its inbox through the outbox
        accepted = followee.is_local and not followee.manually_approves_followers
        await record_follow(activity["id"], follower, followee, accepted=accepted)
        await outbox.publish(follower, activity, inboxes=[followee.inbox_uri], to_followers=False)
    return activity


async def unfollow(outbox: Outbox, follower: Actor, followee: Actor) -> dict[str, Any]:
    """Stop following: delete the follow and send Undo(Follow)."""
    row = await Follow.get_or_none(follower=follower, followee=followee)
    if row is None:
        raise NotFound(
            N_("%(follower)s does not follow %(followee)s"),
            follower=follower.uri,
            followee=followee.uri,
        )
    original = {"id": row.uri, "type": "Follow", "actor": follower.uri, "object": followee.uri}
    undo = to_undo(outbox.urls, follower, {**original, "to": [followee.uri]})
    async with in_transaction():
        await row.delete()
        await outbox.publish(follower, undo, inboxes=[followee.inbox_uri], to_followers=False)
    return undo


async def follow_answered(
    follower_uri: str, followee_uri: str, follow_id: str | None, *, accepted: bool
) -> bool:
    """A remote followee answered our Follow; only the followee itself may answer."""
    query = Follow.filter(followee__uri=followee_uri, follower__is_local=True)
    if follow_id:
        row = await query.filter(uri=follow_id).first()
        if row is None and follower_uri:
            # some servers answer with a Follow id of their own making
            row = await query.filter(follower__uri=follower_uri).first()
    else:
        row = await query.filter(follower__uri=follower_uri).first()
    if row is None:
        return False
    if accepted:
        row.state = FollowState.ACCEPTED
        await row.save(update_fields=["state"])
    else:
        await row.delete()
    return True


async def remove_follow(follower_uri: str, followee_uri: str) -> bool:
    """Delete the follow of `followee` by `follower`, if any."""
    deleted = await Follow.filter(follower__uri=follower_uri, followee__uri=followee_uri).delete()
    return deleted > 0
