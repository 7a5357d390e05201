"""Announce: a member's share of an object they may see."""

from __future__ import annotations

from typing import Any

from federation.vocab import id_of
from node.models import Actor
from node.services.outgoing.context import Outgoing
from node.services.outgoing.reactions import react


async def handle(services: Outgoing, actor: Actor, submitted: dict[str, Any]) -> dict[str, Any]:
    """Send the Announce; return it."""
    return await react(services, actor, "Announce", id_of(submitted.get("object")) or "")
