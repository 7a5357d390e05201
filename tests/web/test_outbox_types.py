"""The outbox accepts only the activity types of its table; nothing else reaches a handler."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient

from node.models import Actor
from node.services.outgoing import ACCEPTED_TYPES
from tests.support.api import headers, post, send, token_for, written

NOTE = {"type": "Note", "content": "<p>Still working</p>"}


async def test_a_member_posting_type__init__cannot_break_the_client_api_for_everyone(
    client: TestClient,
) -> None:
    mallory = await token_for("mallory")
    alice = await token_for("alice")
    before = await written()
    status, answer = await send(client, "mallory", mallory, {"type": "_init__"})
    assert status == 400
    assert "type '_init__' are not accepted" in answer["error"]
    assert all(kind in answer["error"] for kind in ACCEPTED_TYPES)
    assert await written() == before
    created = await post(client, "alice", alice, NOTE)  # the API still works for everyone
    assert created["type"] == "Create"


@pytest.mark.parametrize(
    "kind", ["update_profile", "react", "answer", "undo_reaction", "create", "_create", "post"]
)
async def test_internal_method_names_are_not_activity_types(client: TestClient, kind: str) -> None:
    mallory = await token_for("mallory")
    body = {"type": kind, "name": "Admin (moderator)", "object": NOTE}
    before = await written()
    status, answer = await send(client, "mallory", mallory, body)
    assert status == 400, answer
    assert "Create, Update, Delete" in answer["error"]
    assert await written() == before
    assert (await Actor.get(handle="mallory")).name != "Admin (moderator)"


async def test_a_type_given_as_a_list_is_a_400_not_a_crash(client: TestClient) -> None:
    alice = await token_for("alice")
    before = await written()
    for kind in (["Create"], ["Note", "Article"], {"Note": 1}, 7, None):
        status, answer = await send(client, "alice", alice, {"type": kind, "content": "x"})
        assert status == 400, (kind, answer)
        assert "send one of Create" in answer["error"]
    assert await written() == before


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"type": "Note", "content": "<p>a\u0000b</p>"}, "$.content"),
        ({"type": "Note", "content": "<p>half a pair \ud800</p>"}, "$.content"),
        (
            {"type": "Create", "object": {"type": "Note", "content": "x", "tag": ["ok", "\udfff"]}},
            "$.object.tag[1]",
        ),
        ({"type": "Like", "object": "http://127.0.0.1:8000/objects/x\u0000"}, "$.object"),
        ({"type": "Note\u0000", "content": "x"}, "$.type"),
    ],
)
async def test_nul_or_a_lone_surrogate_in_posted_json_is_a_400_naming_where(
    client: TestClient, body: dict[str, object], path: str
) -> None:
    alice = await token_for("alice")
    before = await written()
    status, answer = await send(client, "alice", alice, body)
    assert status == 400, answer
    assert answer["error"].startswith(f"{path} holds the character U+")
    assert await written() == before


async def test_a_lone_surrogate_sent_as_raw_json_escapes_is_refused(client: TestClient) -> None:
    alice = await token_for("alice")
    before = await written()
    raw = b'{"type": "Note", "content": "<p>\\ud83d alone</p>", "summary": "\\u0000"}'
    response = await client.post("/actors/alice/outbox", data=raw, headers=headers(alice))
    assert response.status == 400
    assert "U+D83D" in (await response.json(content_type=None))["error"]
    assert await written() == before
