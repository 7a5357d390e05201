"""Update: an edited object, or an actor's new profile."""

from __future__ import annotations

from typing import Any

from federation.activities.objects import OBJECT_TYPES, author_of, trusted_object
from federation.ports import ActivityPorts
from federation.vocab import id_of

ACTOR_TYPES = frozenset({"Person", "Group", "Service", "Application", "Organization"})


async def handle(activity: dict[str, Any], actor: str, ports: ActivityPorts) -> None:
    """Apply an Update only from the owner of the thing updated."""
    value = activity.get("object")
    if isinstance(value, dict) and value.get("type") in ACTOR_TYPES:
        # 1. an actor may update only itself; the fresh document comes from its origin
        if id_of(value) == actor:
            fresh = await ports.fetch_trusted(actor)
            if fresh is not None:
                await ports.update_actor(fresh)
        return
    document = await trusted_object(value, actor, ports)
    if document is None or document.get("type") not in OBJECT_TYPES:
        return
    # 2. the object must be the updater's, both as sent and as we stored it before
    if author_of(document) != actor:
        return
    stored_author = await ports.object_author(str(document["id"]))
    if stored_author is not None and stored_author != actor:
        return
    # 3. an Update that arrives before its Create simply stores the object
    await ports.store_object(document, actor)
    # 4. the organisation passes the Update on when the object is in one of its threads
    await ports.pass_on(activity, str(document["id"]))
