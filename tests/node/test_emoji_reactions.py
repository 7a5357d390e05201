"""The one list of positive emoji: which reactions are endorsements."""

from __future__ import annotations

import pytest

from node.emoji_reactions import (
    ENDORSEMENT,
    OTHER_REACTION,
    POSITIVE_EMOJI,
    is_positive,
    reaction_kind,
    stored_emoji,
)
from node.services.remote_objects import stored_reaction


@pytest.mark.parametrize("emoji", ["👍", "❤", "⭐", "👏", "🎉", "💯", "😍", "🙌", "✅"])
def test_approval_love_and_stars_are_endorsements(emoji: str) -> None:
    assert is_positive(emoji)
    assert reaction_kind(emoji) == ENDORSEMENT


@pytest.mark.parametrize("emoji", ["❤️", "👍🏽", "👍🏿", " 👍 ", "⭐️"])
def test_skin_tones_variation_selectors_and_spaces_do_not_change_the_meaning(emoji: str) -> None:
    assert is_positive(emoji)


@pytest.mark.parametrize(
    "emoji",
    ["👎", "👎🏻", "😡", "💢", "🤔", "😂", "😆", "🍮", "🙄", "💩", ":blobcat:", ":+1:", "yes"],
)
def test_every_other_reaction_is_shown_and_never_counted(emoji: str) -> None:
    assert not is_positive(emoji)
    assert reaction_kind(emoji) == OTHER_REACTION


def test_a_plain_like_is_an_endorsement() -> None:
    assert reaction_kind("") == ENDORSEMENT
    assert stored_emoji("  ") == ""


def test_no_negative_emoji_slipped_into_the_list() -> None:
    assert not {"👎", "😡", "💢", "😠", "🤬", "💔"} & POSITIVE_EMOJI


def test_a_long_custom_emoji_name_is_cut_to_the_column() -> None:
    assert len(stored_emoji(":" + "a" * 300 + ":")) == 128


def test_received_reactions_are_kept_by_kind() -> None:
    assert stored_reaction("Like", "") == stored_reaction("Like", "")
    assert stored_reaction("Like", "👎").kind == OTHER_REACTION
    assert stored_reaction("EmojiReact", "❤️").kind == ENDORSEMENT
    assert stored_reaction("EmojiReact", "❤️").emoji == "❤️"
    assert stored_reaction("Announce", "🎉").kind == "Announce"
