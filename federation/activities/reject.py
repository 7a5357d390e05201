"""Reject: a remote actor refused one of our Follows (or removed us as a follower)."""

from __future__ import annotations

from typing import Any

from federation.activities.answers import answer_to_our_amendment, answer_to_our_follow
from federation.ports import ActivityPorts


async def handle(activity: dict[str, Any], actor: str, ports: ActivityPorts) -> None:
    """Drop our Follow of `actor` (a rejected follower is never added), or record that
    `actor` declined our amendment to their proposal."""
    if not await answer_to_our_follow(activity, actor, ports, accepted=False):
        await answer_to_our_amendment(activity, actor, ports, accepted=False)
