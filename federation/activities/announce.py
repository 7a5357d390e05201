"""Announce: a boost of one of our objects, or a Group relaying its thread (FEP-1b12)."""

from __future__ import annotations

from typing import Any

from federation.activities.objects import OBJECT_TYPES, author_of
from federation.ports import ActivityPorts
from federation.vocab import id_of


async def handle(activity: dict[str, Any], actor: str, ports: ActivityPorts) -> None:
    """Count a share of our object; store a relayed object only after fetching it from origin."""
    target = id_of(activity.get("object"))
    if target is None:
        return
    if await ports.is_local_object(target):
        await ports.add_reaction("Announce", activity["id"], actor, target)
        return
    # an announced object from anywhere is trusted only as its own origin serves it
    document = await ports.fetch_trusted(target)
    if document is None or document.get("type") not in OBJECT_TYPES:
        return
    author = author_of(document)
    if author is not None:
        await ports.store_object(document, author)
