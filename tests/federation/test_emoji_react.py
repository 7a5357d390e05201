"""Reading the emoji a reaction carries, in each software's shape."""

from __future__ import annotations

from federation.activities.emoji_react import emoji_of
from tests.fakes.payloads import load_fixture


def test_pleromas_recorded_emoji_react_carries_its_emoji_as_content() -> None:
    assert emoji_of(load_fixture("pleroma/emoji_react.json")) == "👌"


def test_misskeys_legacy_reaction_names_are_read_as_their_emoji() -> None:
    assert emoji_of(load_fixture("misskey/like_with_misskey_reaction.json")) == "🍮"
    assert emoji_of({"type": "Like", "_misskey_reaction": "like"}) == "👍"


def test_misskeys_content_comes_before_its_misskey_reaction() -> None:
    assert emoji_of({"type": "Like", "content": "👎", "_misskey_reaction": "👍"}) == "👎"


def test_a_mastodon_favourite_carries_no_emoji() -> None:
    assert emoji_of(load_fixture("mastodon/like.json")) == ""
    assert emoji_of({"type": "Like", "content": "   ", "_misskey_reaction": 3}) == ""


def test_a_custom_emoji_is_read_by_its_name() -> None:
    assert emoji_of({"type": "EmojiReact", "content": ":blobcat:"}) == ":blobcat:"
