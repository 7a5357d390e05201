"""Flag: another server reports one of our members or their posts to our moderators."""

from __future__ import annotations

from typing import Any

from federation.ports import ActivityPorts
from federation.vocab import as_list, id_of

MAX_REPORTED = 20


async def handle(activity: dict[str, Any], actor: str, ports: ActivityPorts) -> None:
    """Queue a report of what is ours among the objects; reports about others are not ours."""
    named = [uri for uri in (id_of(item) for item in as_list(activity.get("object"))) if uri]
    ours = [
        uri
        for uri in named[:MAX_REPORTED]
        if await ports.is_local_object(uri) or await ports.local_actor(uri) is not None
    ]
    if not ours:
        return
    reason = activity.get("content") or activity.get("summary") or ""
    await ports.record_report(str(activity["id"]), actor, ours, str(reason))
