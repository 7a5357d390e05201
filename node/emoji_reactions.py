"""Which emoji reactions are endorsements: the one list of positive reactions.

Misskey sends a reaction as a `Like` carrying its emoji (`content`, `_misskey_reaction`);
Pleroma and Akkoma send an `EmojiReact`. A Like without an emoji (a Mastodon favourite) is an
endorsement. A reaction is one too only when its emoji says yes: approval, praise, love or
a star (the list below). Every other emoji — 👎, 😡, 🤔, 😂, a custom `:blobcat:` — is an
"other reaction": stored with the kind `React`, shown beside the comment by its emoji or name,
never counted in endorsements, the likes collection or the report.

Skin tones and the emoji/text variation selectors do not change the meaning, so they are
dropped before the comparison (👍🏽 is 👍, ❤️ is ❤).
"""

from __future__ import annotations

ENDORSEMENT = "Like"  # the Reaction kind counted as an endorsement
OTHER_REACTION = "React"  # the Reaction kind shown beside a comment, never counted
MAX_EMOJI = 128  # Reaction.content's length

POSITIVE_EMOJI = frozenset(
    {
        # approval
        "👍", "👌", "👏", "🙌", "🤝", "💪", "✅", "✔", "☑", "🆗", "💯",
        # love
        "❤", "♥", "🧡", "💛", "💚", "💙", "💜", "🤎", "🖤", "🤍", "🩷", "🩵", "🩶",
        "💖", "💗", "💓", "💕", "💞", "💘", "💝", "😍", "🥰", "😻", "🫶",
        # a star, a celebration
        "⭐", "🌟", "🎉", "🥳",
        # glad
        "🙂", "😊", "😀", "😃", "😄", "☺",
    }
)  # fmt: skip

_IGNORED = {0xFE0E, 0xFE0F, *range(0x1F3FB, 0x1F400)}  # variation selectors, skin tones


def normalised(emoji: str) -> str:
    """The emoji without skin tones and variation selectors, and without surrounding spaces."""
    return "".join(ch for ch in emoji.strip() if ord(ch) not in _IGNORED)


def is_positive(emoji: str) -> bool:
    """Whether a reaction with this emoji is an endorsement ('' is a plain Like: yes)."""
    return emoji.strip() == "" or normalised(emoji) in POSITIVE_EMOJI


def reaction_kind(emoji: str) -> str:
    """The kind a reaction with this emoji is stored as: `Like` (counted) or `React`."""
    return ENDORSEMENT if is_positive(emoji) else OTHER_REACTION


def stored_emoji(emoji: str) -> str:
    """The emoji as kept: trimmed to the column, '' for a plain Like."""
    return emoji.strip()[:MAX_EMOJI]
