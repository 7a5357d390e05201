"""Accepting or rejecting: a pending follow of the member, or an amendment to their proposal."""

from __future__ import annotations

from typing import Any

from federation.vocab import id_of
from node.models import Actor
from node.services import amendments, follows
from node.services.outgoing.context import Outgoing


async def answer(
    services: Outgoing, actor: Actor, submitted: dict[str, Any], *, accept: bool
) -> dict[str, Any]:
    """Send the Accept or Reject of the follow or amendment named as object; return it."""
    answered = id_of(submitted.get("object")) or ""
    if await amendments.is_amendment(answered):
        return await services.amendments.answer(
            actor, answered, submitted, accept=accept, acting=services.acting
        )
    return await follows.answer_pending_follow(services.outbox, actor, answered, accept=accept)
