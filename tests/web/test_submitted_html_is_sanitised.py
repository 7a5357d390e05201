"""Every HTML field a member submits is sanitised before it is stored or federated, and every
URL an attachment or tag points to is http(s)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from node.models import Activity, Delivery, Object
from tests.support.api import get, post, send, token_for

HOSTILE = (
    '<p>hi<script>alert(1)</script><img src=x onerror="alert(2)">'
    '<a href="javascript:alert(3)">x</a></p>'
)


def assert_harmless(text: str) -> None:
    lowered = text.lower()
    assert "<script" not in lowered and "onerror" not in lowered and "javascript:" not in lowered


async def test_content_maps_and_attachments_posted_through_the_api_are_stored_sanitised(
    client: TestClient,
) -> None:
    alice = await token_for("alice")
    note = {
        "type": "Note",
        "content": "<p>hello</p>",
        "contentMap": {"en": HOSTILE, "fr": HOSTILE},
        "summaryMap": {"en": HOSTILE},
        "nameMap": {"en": HOSTILE},
        "attachment": [
            {
                "type": "Document",
                "mediaType": "image/png",
                "url": "https://pictures.example/a.png",
                "name": HOSTILE,
                "summary": HOSTILE,
            },
            {"type": "Link", "href": "https://pictures.example/b"},
        ],
    }
    created = (await post(client, "alice", alice, note))["object"]
    served = (await get(client, created["id"]))[1]
    for document in (
        created,
        served,
        (await Object.get(uri=created["id"])).document,
        (await Activity.get(type="Create")).document["object"],
    ):
        assert_harmless(json.dumps(document))
        assert document["contentMap"]["en"].startswith("<p>hi")
        assert document["attachment"][0]["url"] == "https://pictures.example/a.png"
    edited = await post(
        client,
        "alice",
        alice,
        {
            "type": "Update",
            "object": {"type": "Note", "id": created["id"], "contentMap": {"en": HOSTILE}},
        },
    )
    assert_harmless(json.dumps(edited))
    assert_harmless(json.dumps((await Object.get(uri=created["id"])).document))


@pytest.mark.parametrize(
    "field",
    [
        {"attachment": [{"type": "Document", "url": "javascript:alert(1)"}]},
        {"attachment": {"type": "Image", "url": "data:text/html;base64,PHNjcmlwdD4="}},
        {"attachment": [{"type": "Image", "url": [{"type": "Link", "href": "vbscript:x"}]}]},
        {"attachment": ["file:///etc/passwd"]},
        {"attachment": [{"type": "Link", "href": "//evil.example/no-scheme"}]},
        {"tag": [{"type": "Mention", "href": "javascript:alert(1)", "name": "@bob"}]},
    ],
)
async def test_an_attachment_or_tag_pointing_anywhere_but_http_is_refused(
    client: TestClient, field: dict[str, Any]
) -> None:
    alice = await token_for("alice")
    before = (
        await Object.all().count(),
        await Activity.all().count(),
        await Delivery.all().count(),
    )
    status, answer = await send(client, "alice", alice, {"type": "Note", "content": "x", **field})
    assert status == 400, answer
    assert "must be http(s)" in answer["error"]
    after = (await Object.all().count(), await Activity.all().count(), await Delivery.all().count())
    assert after == before
