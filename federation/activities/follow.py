"""Follow: someone asks to follow one of our actors."""

from __future__ import annotations

from typing import Any

from federation.ports import ActivityPorts
from federation.vocab import id_of


async def handle(activity: dict[str, Any], actor: str, ports: ActivityPorts) -> None:
    """Record the follow and answer it: Accept at once unless the followee approves by hand."""
    # 1. the object must be one of our actors; a Follow of anyone else is not ours to answer
    followee = await ports.local_actor(id_of(activity.get("object")) or "")
    if followee is None:
        return
    # 2. the follower is the verified signer (the inbox checked that `actor` signed)
    accepted = not followee.manually_approves_followers
    await ports.record_follow(activity["id"], actor, followee.uri, accepted=accepted)
    # 3. a locked account answers later, from its owner's Accept or Reject
    if accepted:
        await ports.answer_follow(activity, followee.uri, accept=True)
