"""Undo: withdraw an earlier Follow, Like, Announce or emoji reaction (EmojiReact)."""

from __future__ import annotations

from typing import Any

from federation.activities.emoji_react import emoji_of
from federation.ports import ActivityPorts
from federation.vocab import id_of

UNDOABLE = ("Follow", "Like", "Announce", "EmojiReact")


async def handle(activity: dict[str, Any], actor: str, ports: ActivityPorts) -> None:
    """Undo what `actor` itself did; an Undo of someone else's activity changes nothing."""
    undone = await _undone_activity(activity.get("object"), ports)
    if undone is None:
        return
    # 1. only the actor of the original activity may undo it
    if id_of(undone.get("actor")) != actor:
        return
    kind = undone.get("type")
    target = id_of(undone.get("object"))
    if kind not in UNDOABLE or target is None:
        return
    # 2. apply the reverse of the original
    if kind == "Follow":
        await ports.remove_follow(actor, target)
        return
    # 3. a reaction taken back in one of the organisation's threads is passed on; which
    #    reaction it was is told by its emoji (Misskey and Pleroma embed the reaction whole)
    if await ports.remove_reaction(str(kind), actor, target, emoji_of(undone)):
        await ports.pass_on(activity, target)


async def _undone_activity(value: Any, ports: ActivityPorts) -> dict[str, Any] | None:
    """The activity being undone: embedded (Mastodon) or by id (we stored it when it came)."""
    if isinstance(value, dict) and value.get("type") in UNDOABLE and "object" in value:
        return value
    undone_id = id_of(value)
    if undone_id is None:
        return None
    stored = await ports.activity_actor(undone_id)
    return stored[1] if stored is not None else None
