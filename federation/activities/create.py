"""Create: a new object (a reply, a post, a proposal from another node)."""

from __future__ import annotations

from typing import Any

from federation.activities.objects import OBJECT_TYPES, author_of, trusted_object
from federation.ports import ActivityPorts


async def handle(activity: dict[str, Any], actor: str, ports: ActivityPorts) -> None:
    """Store the object if it really is `actor`'s."""
    # 1. an object on another origin, or only referenced by id, is fetched from its origin
    document = await trusted_object(activity.get("object"), actor, ports)
    if document is None or document.get("type") not in OBJECT_TYPES:
        return
    # 2. the creator must be the author: nobody creates in someone else's name
    if author_of(document) != actor:
        return
    await ports.store_object(document, actor)
