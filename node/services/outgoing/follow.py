"""Follow: a member follows an account here or on another server."""

from __future__ import annotations

from typing import Any

from federation.vocab import id_of
from node.models import Actor
from node.services import follows
from node.services.outgoing.context import Outgoing


async def handle(services: Outgoing, actor: Actor, submitted: dict[str, Any]) -> dict[str, Any]:
    """Send the Follow; return it."""
    followee = await services.remote.get(id_of(submitted.get("object")) or "")
    return await follows.follow(services.outbox, actor, followee)
