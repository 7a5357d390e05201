"""The thread behind a proposal page: a tree, deleted comments kept as markers."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from node.services.thread_view import load_thread
from tests.support.api import post, token_for

AS2 = "application/activity+json"


async def comment(
    client: TestClient, handle: str, token: str, body: dict[str, Any]
) -> dict[str, Any]:
    return dict((await post(client, handle, token, body))["object"])


async def test_thread_is_a_tree_and_a_deleted_comment_keeps_its_replies(
    client: TestClient,
) -> None:
    alice = await token_for("alice")
    article = await comment(
        client,
        "alice",
        alice,
        {
            "type": "Article",
            "name": "Quiet carriages",
            "summary": "More of them.",
        },
    )
    first = await comment(
        client, "alice", alice, {"type": "Note", "content": "a", "inReplyTo": article["id"]}
    )
    nested = await comment(
        client, "alice", alice, {"type": "Note", "content": "b", "inReplyTo": first["id"]}
    )
    second = await comment(
        client, "alice", alice, {"type": "Note", "content": "c", "inReplyTo": article["id"]}
    )
    response = await client.post(
        "/actors/alice/outbox",
        json={"type": "Delete", "object": first["id"]},
        headers={"Authorization": f"Bearer {alice}", "Content-Type": AS2},
    )
    assert response.status == 201
    view = await load_thread(article["id"])
    assert view.size == 4
    assert [item.object.uri for item in view.root.replies] == [first["id"], second["id"]]
    withdrawn = view.root.replies[0]
    assert withdrawn.deleted
    assert [item.object.uri for item in withdrawn.replies] == [nested["id"]]
    assert view.orphans == []


async def test_proposal_page_shows_the_discussion(client: TestClient) -> None:
    alice = await token_for("alice")
    article = await comment(
        client,
        "alice",
        alice,
        {
            "type": "Article",
            "name": "Quiet carriages",
            "summary": "More of them.",
        },
    )
    await comment(
        client,
        "alice",
        alice,
        {"type": "Note", "content": "<p>Yes, on every train</p>", "inReplyTo": article["id"]},
    )
    page = await client.get(
        article["id"].removeprefix("http://127.0.0.1:8000"), headers={"Accept": "text/html"}
    )
    assert page.status == 200
    html = await page.text()
    assert "Discussion (1)" in html
    assert "Yes, on every train" in html
