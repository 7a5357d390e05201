"""Content warnings: a comment with one is shown folded behind it (an HTML details, no script),
members add one to what they write, and one from Mastodon (a Note's summary) folds the same."""

from __future__ import annotations

import re

from aiohttp.test_utils import TestClient

from node.models import Activity, Object
from node.services.remote_actors import save_actor
from node.services.remote_objects import store_object
from tests.support.api import BASE
from tests.support.pages import member, page, sign_in_as, submit
from tests.web.test_member_pages import publish

FOLDED = re.compile(
    r'<details class="content-warning"><summary>Content warning: (?P<warning>[^<]*)</summary>\s*'
    r'<div class="content">(?P<content>.*?)</div></details>',
    re.S,
)


async def a_proposal(client: TestClient) -> str:
    """A proposal's path, with its author amina signed in."""
    await member("amina")
    await sign_in_as(client, "amina")
    return await publish(client)


async def test_a_member_adds_a_content_warning_and_the_comment_shows_folded_behind_it(
    client: TestClient,
) -> None:
    # Given a proposal and a member taking part
    where = await a_proposal(client)
    # When the member comments with a content warning
    answer = await submit(
        client, f"{where}/comments",
        {"content": "It happened to me at the day centre.", "in_reply_to": f"{BASE}{where}",
         "content_warning": "abuse <in care>"},
        token_from=where,
    )  # fmt: skip
    assert answer.status == 303, await answer.text()
    # Then the page shows it folded behind the warning, as text
    folded = FOLDED.search(await page(client, where))
    assert folded, "the comment is not folded"
    assert folded["warning"] == "abuse &lt;in care&gt;"
    assert "day centre" in folded["content"]
    # And what goes out says so the way Mastodon reads it: summary and sensitive
    note = await Object.get(type="Note")
    assert note.summary == "abuse &lt;in care&gt;"
    create = await Activity.get(type="Create", object_uri=note.uri)
    assert create.document["object"]["sensitive"] is True


async def test_a_content_warning_over_the_limit_is_refused_keeping_what_was_written(
    client: TestClient,
) -> None:
    where = await a_proposal(client)
    answer = await submit(
        client, f"{where}/comments",
        {"content": "My words", "in_reply_to": f"{BASE}{where}", "content_warning": "x" * 301},
        token_from=where,
    )  # fmt: skip
    text = await answer.text()
    assert answer.status == 400 and "under 300 characters" in text and "My words" in text
    assert not await Object.filter(type="Note").exists()


async def test_a_mastodon_users_content_warning_folds_their_reply(client: TestClient) -> None:
    # Given a proposal, and a reply from Mastodon with a content warning (its summary)
    where = await a_proposal(client)
    author = await save_actor(
        {"id": "https://social.example/users/kim", "type": "Person",
         "preferredUsername": "kim", "inbox": "https://social.example/users/kim/inbox"}
    )  # fmt: skip
    await store_object(
        {"id": "https://social.example/statuses/1", "type": "Note",
         "attributedTo": author.uri, "inReplyTo": f"{BASE}{where}",
         "summary": "self-harm", "sensitive": True, "content": "<p>What helped me</p>",
         "to": ["https://www.w3.org/ns/activitystreams#Public"],
         "published": "2026-12-01T10:00:00Z"},
        author,
    )  # fmt: skip
    # Then the proposal's page shows it folded behind the warning
    folded = FOLDED.search(await page(client, where))
    assert folded and folded["warning"] == "self-harm" and "What helped me" in folded["content"]
