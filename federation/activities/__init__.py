"""Applying received activities: one module per type, each with its security checks spelled out."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from federation.activities import (
    accept,
    announce,
    create,
    delete,
    emoji_react,
    flag,
    follow,
    like,
    reject,
    undo,
    update,
)
from federation.ports import ActivityPorts

log = logging.getLogger("townhall.activities")

Handler = Callable[[dict[str, Any], str, ActivityPorts], Awaitable[None]]

HANDLERS: dict[str, Handler] = {
    "Follow": follow.handle,
    "Accept": accept.handle,
    "Reject": reject.handle,
    "Undo": undo.handle,
    "Create": create.handle,
    "Update": update.handle,
    "Delete": delete.handle,
    "Like": like.handle,
    "EmojiReact": emoji_react.handle,
    "Announce": announce.handle,
    "Flag": flag.handle,
}


async def apply_activity(activity: dict[str, Any], actor: str, ports: ActivityPorts) -> bool:
    """Apply a verified activity from `actor`; False when its type is one we ignore."""
    kind = activity["type"] if isinstance(activity["type"], str) else activity["type"][0]
    handler = HANDLERS.get(kind)
    if handler is None:
        log.info("activity.ignored", extra={"type": kind, "activity": activity.get("id")})
        return False
    await handler(activity, actor, ports)
    return True
