"""Accept: a remote actor accepted one of our Follows."""

from __future__ import annotations

from typing import Any

from federation.activities.answers import answer_to_our_amendment, answer_to_our_follow
from federation.ports import ActivityPorts


async def handle(activity: dict[str, Any], actor: str, ports: ActivityPorts) -> None:
    """Mark our Follow of `actor` accepted (only `actor` itself can accept it), or our
    amendment to `actor`'s proposal."""
    if not await answer_to_our_follow(activity, actor, ports, accepted=True):
        await answer_to_our_amendment(activity, actor, ports, accepted=True)
