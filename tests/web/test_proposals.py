"""Proposals through the client API: drafts, publication, versions, threads and their context."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

import schemas
from node.models import Activity
from tests.support.api import BASE, get, headers, post, token_for

PROPOSAL = {
    "type": "Article",
    "name": "Open the library on Sundays",
    "summary": "Families who work weekdays cannot use the library.",
    "source": "Most users told us **weekends** matter.",
    "sections": {
        "problem": "The library is closed when working families are free.",
        "evidence": "A survey of [300 families](https://example.org/survey).",
        "proposed_change": "Open 10:00 to 16:00 on Sundays.",
        "who_is_affected": "Families, staff, volunteers.",
    },
    "tag": ["libraries", "#Families"],
}


def local(url: str) -> str:
    return url.removeprefix(BASE)


async def test_published_proposal_is_an_article_with_its_sections(client: TestClient) -> None:
    token = await token_for("alice")
    create = await post(client, "alice", token, PROPOSAL)
    article = create["object"]
    schemas.validate("create", create)
    schemas.validate("article", article)
    assert article["name"] == PROPOSAL["name"]
    assert article["summary"] == PROPOSAL["summary"]
    assert "<strong>weekends</strong>" in article["content"]
    assert "<h2>Evidence</h2>" in article["content"]
    assert [section["name"] for section in article["sections"]] == [
        "problem",
        "evidence",
        "proposed_change",
        "who_is_affected",
    ]
    assert article["proposalStatus"] == "open" and article["version"] == 1
    assert article["audience"] == f"{BASE}/actors/testorg"
    assert article["context"].startswith(f"{BASE}/contexts/")
    assert sorted(tag["name"] for tag in article["tag"]) == ["#families", "#libraries"]
    status, served = await get(client, article["id"])
    assert status == 200 and served["id"] == article["id"]
    # the organisation relays its member's proposal to its own followers (FEP-1b12)
    announce = await Activity.get(type="Announce", object_uri=article["id"])
    assert announce.document["actor"] == f"{BASE}/actors/testorg"


async def test_markdown_cannot_smuggle_html(client: TestClient) -> None:
    token = await token_for("alice")
    unsafe = {**PROPOSAL, "source": "<script>alert(1)</script> [x](javascript:alert(1))"}
    article = (await post(client, "alice", token, unsafe))["object"]
    assert "<script" not in article["content"]
    assert 'href="javascript:' not in article["content"]


async def test_draft_stays_private_until_published(client: TestClient) -> None:
    token = await token_for("alice")
    draft = (await post(client, "alice", token, {**PROPOSAL, "proposalStatus": "draft"}))["object"]
    assert (await get(client, draft["id"]))[0] == 404
    assert not await Activity.filter(object_uri=draft["id"]).exists()
    published = await post(
        client,
        "alice",
        token,
        {
            "type": "Update",
            "object": {
                "id": draft["id"],
                "type": "Article",
                "proposalStatus": "open",
                "closesAt": "2099-01-31T17:00:00Z",
            },
        },
    )
    assert published["type"] == "Create"
    status, served = await get(client, draft["id"])
    assert status == 200 and served["proposalStatus"] == "open"


async def test_editing_makes_a_new_version_and_keeps_the_old(client: TestClient) -> None:
    token = await token_for("alice")
    article = (await post(client, "alice", token, PROPOSAL))["object"]
    update = await post(
        client,
        "alice",
        token,
        {
            "type": "Update",
            "object": {
                "id": article["id"],
                "type": "Article",
                "sections": {"proposed_change": "Open 12:00 to 16:00 on Sundays."},
            },
        },
    )
    assert update["type"] == "Update"
    schemas.validate("update", update)
    assert update["object"]["version"] == 2
    assert "12:00" in update["object"]["content"]
    assert "updated" in update["object"]
    status, history = await get(client, f"{article['id']}/history?page=1")
    assert status == 200
    assert [version["version"] for version in history["orderedItems"]] == [1]
    assert "10:00" in history["orderedItems"][0]["content"]


async def test_comments_join_the_thread_and_say_which_version(client: TestClient) -> None:
    alice, bob = await token_for("alice"), await token_for("bob")
    article = (await post(client, "alice", alice, PROPOSAL))["object"]
    comment = (
        await post(
            client,
            "bob",
            bob,
            {
                "type": "Note",
                "content": "Yes please",
                "inReplyTo": article["id"],
            },
        )
    )["object"]
    reply = (
        await post(
            client,
            "alice",
            alice,
            {
                "type": "Note",
                "content": "Thanks",
                "inReplyTo": comment["id"],
            },
        )
    )["object"]
    assert comment["context"] == reply["context"] == article["context"]
    assert comment["answersVersion"] == 1
    status, context = await get(client, f"{article['context']}?page=1")
    assert status == 200
    assert context["attributedTo"] == f"{BASE}/actors/testorg"
    assert set(context["orderedItems"]) == {article["id"], comment["id"], reply["id"]}
    replies = (await get(client, f"{article['id']}/replies?page=1"))[1]
    assert replies["orderedItems"] == [comment["id"]]


async def test_invalid_proposals_are_refused_with_the_reason(client: TestClient) -> None:
    token = await token_for("alice")
    cases = [
        ({**PROPOSAL, "name": ""}, "title"),
        ({**PROPOSAL, "summary": ""}, "summary"),
        ({**PROPOSAL, "proposalStatus": "adopted"}, "draft or open"),
        ({**PROPOSAL, "proposalStatus": "maybe"}, "proposalStatus"),
        ({**PROPOSAL, "closesAt": "next tuesday"}, "closesAt"),
    ]
    for body, reason in cases:
        response = await client.post("/actors/alice/outbox", json=body, headers=headers(token))
        assert response.status == 400, body
        assert reason in (await response.json())["error"]
    assert not await Activity.filter(type="Create").exists()
