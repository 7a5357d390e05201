"""Like: a member's endorsement of an object they may see."""

from __future__ import annotations

from typing import Any

from federation.vocab import id_of
from node.models import Actor
from node.services.outgoing.context import Outgoing
from node.services.outgoing.reactions import react


async def handle(services: Outgoing, actor: Actor, submitted: dict[str, Any]) -> dict[str, Any]:
    """Send the Like; return it."""
    return await react(services, actor, "Like", id_of(submitted.get("object")) or "")
