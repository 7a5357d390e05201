"""Create: a new object (a reply, a post, a proposal from another node)."""

from __future__ import annotations

from typing import Any

from federation.activities.objects import OBJECT_TYPES, author_of, trusted_object
from federation.ports import ActivityPorts

# GoToSocial sends one Create holding every vote of a multiple-choice poll (one Note per
# option chosen); more objects than a poll can have options are not looked at.
MAX_OBJECTS = 20


async def handle(activity: dict[str, Any], actor: str, ports: ActivityPorts) -> None:
    """Store the object (or each of an array of objects) if it really is `actor`'s."""
    value = activity.get("object")
    for each in value[:MAX_OBJECTS] if isinstance(value, list) else [value]:
        await _create_one(each, actor, ports)


async def _create_one(value: Any, actor: str, ports: ActivityPorts) -> None:
    # 1. an object on another origin, or only referenced by id, is fetched from its origin
    document = await trusted_object(value, actor, ports)
    if document is None or document.get("type") not in OBJECT_TYPES:
        return
    # 2. the creator must be the author: nobody creates in someone else's name
    if author_of(document) != actor:
        return
    await ports.store_object(document, actor)
