"""Malformed activities posted to an outbox: a 4xx naming the problem, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from tests.support.api import BASE, send, token_for
from tests.web.test_outbox_types import written

ART: dict[str, Any] = {"type": "Article", "name": "T", "summary": "S", "source": "b"}
CASES: list[dict[str, Any]] = [
    {"type": "Create", "object": [1, 2]},
    {"type": "Create", "object": 5},
    {"type": "Create", "object": {"type": ["Note"]}},
    {"type": "Create", "object": {"type": "Note", "inReplyTo": {"a": 1}}},
    {"type": "Create", "object": {"type": "Note", "inReplyTo": [1, 2]}},
    {"type": "Create", "object": {"type": "Note", "inReplyTo": 7}},
    {"type": "Create", "object": {"type": "Note", "context": {"id": 5}}},
    {"type": "Create", "object": {"type": "Note", "context": [1]}},
    {"type": "Note", "content": 5},
    {"type": "Note", "content": ["a"]},
    {"type": "Note", "contentMap": ["a"]},
    {"type": "Note", "contentMap": {"en": 5}},
    {"type": "Note", "attachment": 5},
    {"type": "Note", "attachment": [{"url": 5}]},
    {"type": "Note", "attachment": [{"url": []}]},
    {"type": "Note", "attachment": [{"href": None}]},
    {"type": "Note", "tag": [{"type": "Mention", "href": 5}]},
    {"type": "Note", "tag": 5},
    {"type": "Note", "to": 5},
    {"type": "Note", "to": [5]},
    {"type": "Note", "cc": {"a": 1}},
    {"type": "Note", "name": ["x"], "inReplyTo": "http://127.0.0.1:8000/objects/nope"},
    {"type": "Note", "amendment": 5, "inReplyTo": "x"},
    {"type": "Note", "amendment": {"section": 5, "suggestedText": []}, "inReplyTo": "x"},
    {"type": "Article", "name": 5, "summary": [], "source": {}},
    {**ART, "proposalStatus": ["open"]},
    {**ART, "proposalStatus": {"a": 1}},
    {**ART, "closesAt": 5},
    {**ART, "closesAt": ["2027-01-01"]},
    {**ART, "sections": 5},
    {**ART, "sections": {"problem": {"x": 1}}},
    {**ART, "sections": [{"name": ["problem"]}]},
    {**ART, "tag": [5, None, {"type": "Link", "href": 5}]},
    {"type": "Question", "oneOf": 5},
    {"type": "Question", "oneOf": [{"name": 5}, {"name": []}], "content": "q"},
    {"type": "Question", "oneOf": [{"name": "a"}, {"name": "b"}], "content": "q", "endTime": 5},
    {"type": "Question", "oneOf": [{"name": "a"}, {"name": "b"}], "content": "q", "endTime": [1]},
    {"type": "Update", "object": 5},
    {"type": "Update", "object": {"id": ["x"]}},
    {"type": "Update", "object": {"type": "Note", "id": 5}},
    {
        "type": "Update",
        "object": {"type": "Person", "id": f"{BASE}/actors/alice", "name": 5, "role": [1]},
    },
    {
        "type": "Update",
        "object": {"type": "Person", "id": f"{BASE}/actors/alice", "role": "nonsense"},
    },
    {"type": "Delete", "object": 5},
    {"type": "Delete", "object": [1]},
    {"type": "Delete", "object": {"id": 5}},
    {"type": "Delete"},
    {"type": "Like", "object": 5},
    {"type": "Like", "object": {"id": {"id": 1}}},
    {"type": "Like"},
    {"type": "Announce", "object": [1, 2]},
    {"type": "Undo", "object": 5},
    {"type": "Undo", "object": {"type": "Like"}},
    {"type": "Follow", "object": 5},
    {"type": "Follow", "object": "@"},
    {"type": "Follow", "object": "acct:"},
    {"type": "Follow", "object": "@nobody@127.0.0.1:1"},
    {"type": "Follow", "object": "not a url"},
    {"type": "Follow", "object": "http://[::1"},
    {"type": "Accept", "object": 5},
    {"type": "Accept", "object": {"id": []}},
    {"type": "Reject", "object": "http://127.0.0.1:8000/objects/none", "content": 5},
    {"type": "Create", "actor": 5, "object": {"type": "Note"}},
    {"type": "Create", "actor": [1], "object": {"type": "Note"}},
    {"type": "Create", "id": 5, "object": {"type": "Note"}},
    {"type": "Note", "@context": 5},
    {"type": "Note", "sensitive": "yes"},
    {"type": "Note", "source": 5},
    {"type": "Note", "endTime": 5},
    {"type": "Note", "summary": 5},
    {"type": "Note", "tag": [{"type": "Hashtag", "name": 5}]},
    {"type": "Note", "tag": [{"type": "Hashtag", "name": ["x"]}, {"name": {}}]},
    {"type": "Note", "tag": ["#" * 3000, "x" * 3000]},
    {"type": "Note", "content": "x", "inReplyTo": "https://remote.example/" + "a" * 5000},
    {"type": "Note", "content": "x", "context": "https://remote.example/" + "a" * 5000},
    {"type": "Note", "tag": [{"type": "Link", "href": "https://a.example/" + "a" * 5000}]},
    {**ART, "tag": [{"type": "Link", "mediaType": "application/activity+json", "href": 5}]},
    {
        **ART,
        "tag": [
            {
                "type": "Link",
                "mediaType": "application/activity+json",
                "href": "https://a.example/" + "a" * 5000,
            }
        ],
    },
    {"type": "Like", "object": "https://remote.example/" + "a" * 5000},
    {"type": "Follow", "object": "https://remote.example/" + "a" * 5000},
    {"type": "Undo", "object": "https://remote.example/" + "a" * 5000},
]


@pytest.mark.parametrize("body", CASES)
async def test_a_malformed_activity_never_crashes_the_outbox(
    client: TestClient, body: dict[str, Any]
) -> None:
    alice = await token_for("alice")
    before = await written()
    status, answer = await send(client, "alice", alice, body)
    assert status < 500, answer
    if status != 201:  # some are only odd, and taken; a refusal writes nothing
        assert 400 <= status < 500 and answer["error"]
        assert await written() == before
