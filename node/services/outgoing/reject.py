"""Reject: a member rejects a pending follow or an amendment to their proposal."""

from __future__ import annotations

from typing import Any

from node.models import Actor
from node.services.outgoing.answers import answer
from node.services.outgoing.context import Outgoing


async def handle(services: Outgoing, actor: Actor, submitted: dict[str, Any]) -> dict[str, Any]:
    """Send the Reject; return it."""
    return await answer(services, actor, submitted, accept=False)
