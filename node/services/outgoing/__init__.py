"""What a member's outbox accepts: one module per activity type and the table that names them.

Mirrors `federation/activities/` for the inbox. A handler is only ever found in `HANDLERS`,
never by building a name from what a client sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from node.services.outgoing import (
    accept,
    announce,
    create,
    delete,
    flag,
    follow,
    like,
    reject,
    undo,
    update,
)
from node.services.outgoing.context import Handler, Outgoing

HANDLERS: Mapping[str, Handler] = MappingProxyType(
    {
        "Create": create.handle,
        "Update": update.handle,
        "Delete": delete.handle,
        "Like": like.handle,
        "Announce": announce.handle,
        "Undo": undo.handle,
        "Follow": follow.handle,
        "Accept": accept.handle,
        "Reject": reject.handle,
        "Flag": flag.handle,
    }
)
ACCEPTED_TYPES = tuple(HANDLERS)

__all__ = ["ACCEPTED_TYPES", "HANDLERS", "Handler", "Outgoing"]
