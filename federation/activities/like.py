"""Like: an endorsement (a Mastodon favourite, a Lemmy upvote) of one of our objects, or
Misskey's emoji reaction (a Like carrying its emoji), which the node counts only when positive."""

from __future__ import annotations

from typing import Any

from federation.activities.emoji_react import emoji_of
from federation.ports import ActivityPorts
from federation.vocab import id_of


async def handle(activity: dict[str, Any], actor: str, ports: ActivityPorts) -> None:
    """Count the like when its object is ours; likes of other servers' objects are not ours."""
    target = id_of(activity.get("object"))
    if target is None or not await ports.is_local_object(target):
        return
    await ports.add_reaction("Like", activity["id"], actor, target, emoji_of(activity))
