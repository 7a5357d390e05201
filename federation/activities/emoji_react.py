"""EmojiReact: Pleroma's and Akkoma's emoji reaction to one of our objects.

The emoji is the activity's `content` (`👍`, or `:blobcat:` for a custom emoji named by an
`Emoji` tag). Misskey sends the same thing as a `Like` carrying the emoji (`content`, and
`_misskey_reaction` from older versions, where a few reactions had names): `emoji_of` reads
both. Whether a reaction counts as an endorsement is the node's rule, not the protocol's.
"""

from __future__ import annotations

from typing import Any

from federation.ports import ActivityPorts
from federation.vocab import id_of

# Misskey's reactions before emoji (misskey-dev/misskey, `legacies` in its reaction service)
MISSKEY_LEGACY = {
    "like": "👍",
    "love": "❤",
    "laugh": "😆",
    "hmm": "🤔",
    "surprise": "😮",
    "congrats": "🎉",
    "angry": "💢",
    "confused": "😥",
    "rip": "😇",
    "pudding": "🍮",
    "star": "⭐",
}


def emoji_of(activity: dict[str, Any]) -> str:
    """The emoji a reaction carries ('' for a plain Like: a favourite, an upvote)."""
    for key in ("content", "_misskey_reaction"):
        value = activity.get(key)
        if isinstance(value, str) and value.strip():
            emoji = value.strip()
            return MISSKEY_LEGACY.get(emoji, emoji)
    return ""


async def handle(activity: dict[str, Any], actor: str, ports: ActivityPorts) -> None:
    """Record the reaction when its object is ours; reactions to others' objects are not ours."""
    target = id_of(activity.get("object"))
    emoji = emoji_of(activity)
    if target is None or not emoji or not await ports.is_local_object(target):
        return
    await ports.add_reaction("EmojiReact", activity["id"], actor, target, emoji)
