"""Shared logic of Accept and Reject: answers to Follows we sent, and to amendments."""

from __future__ import annotations

from typing import Any

from federation.ports import ActivityPorts
from federation.vocab import id_of


async def answer_to_our_follow(
    activity: dict[str, Any], actor: str, ports: ActivityPorts, *, accepted: bool
) -> bool:
    """Apply an Accept/Reject whose object is a Follow we sent; False if it is not one."""
    answered = activity.get("object")
    follow_id = id_of(answered)
    follower: str | None = None
    followee: str | None = actor
    if isinstance(answered, dict):
        # 1. an embedded Follow must be addressed to the actor who answers it
        if id_of(answered.get("object")) != actor:
            return False
        follower = id_of(answered.get("actor"))
    # 2. the follower must be ours; without an embedded Follow the node looks it up by id
    if follower is not None and await ports.local_actor(follower) is None:
        return False
    return await ports.follow_answered(follower or "", followee or "", follow_id, accepted=accepted)


async def answer_to_our_amendment(
    activity: dict[str, Any], actor: str, ports: ActivityPorts, *, accepted: bool
) -> bool:
    """Apply an Accept/Reject whose object is an amendment (a Note suggesting a change to a
    proposal); False if it is not one we hold."""
    answered = activity.get("object")
    # 1. an amendment is a Note, named by id or embedded; an embedded activity is something else
    if isinstance(answered, dict) and answered.get("type", "Note") != "Note":
        return False
    amendment_id = id_of(answered)
    if amendment_id is None:
        return False
    # 2. only the author of the amended proposal (or its organisation) may answer: the node
    #    knows who that is, and records an answer once
    return await ports.amendment_answered(amendment_id, activity, actor, accepted=accepted)
