"""What most clients send: HTML `content` and no `source`, on create and on update."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

import schemas
from node.models import Activity, Object, Proposal, ProposalVersion
from tests.support.api import get, post, send, token_for

HTML_PROPOSAL = {
    "type": "Article",
    "name": "Open the library on Sundays",
    "summary": "Families who work weekdays cannot use the library.",
    "content": (
        "<p>Most users told us <strong>weekends</strong> matter.</p>"
        "<h2>The problem</h2><p>It is closed when <em>families</em> are free.</p>"
        "<h2>What we propose</h2><ul><li>Open at 10:00</li><li>Close at 16:00</li></ul>"
        "<script>alert(1)</script>"
    ),
}


async def test_a_proposal_sent_as_html_content_keeps_its_text(client: TestClient) -> None:
    token = await token_for("alice")
    article = (await post(client, "alice", token, HTML_PROPOSAL))["object"]

    schemas.validate("article", article)
    proposal = await Proposal.get(object__uri=article["id"])
    assert proposal.body == "Most users told us **weekends** matter."
    assert {s["name"]: s["source"] for s in proposal.sections} == {
        "problem": "It is closed when *families* are free.",
        "proposed_change": "- Open at 10:00\n- Close at 16:00",
    }
    assert "<strong>weekends</strong>" in article["content"]
    assert (
        "<h2>The problem</h2><p>It is closed when <em>families</em> are free.</p>"
        in (article["content"])
    )
    assert "<li>Close at 16:00</li>" in article["content"]
    assert "script" not in article["content"] and "alert" not in article["content"]
    assert article["source"]["content"].startswith("Most users told us **weekends** matter.")


async def test_an_update_with_only_content_makes_a_new_version(client: TestClient) -> None:
    token = await token_for("alice")
    article = (await post(client, "alice", token, HTML_PROPOSAL))["object"]
    changed = "<p>Most users told us <strong>Sundays</strong> matter.</p>"

    update = await post(
        client,
        "alice",
        token,
        {"type": "Update", "object": {"type": "Article", "id": article["id"], "content": changed}},
    )

    sent = update["object"]
    assert sent["version"] == 2 and "<strong>Sundays</strong>" in sent["content"]
    assert sent["sections"] == []  # the content sent is the whole proposal now
    assert "updated" in sent
    proposal = await Proposal.get(object__uri=article["id"])
    assert proposal.version == 2 and proposal.body == "Most users told us **Sundays** matter."
    assert await Activity.filter(type="Update", object_uri=article["id"]).count() == 1
    old = await ProposalVersion.get(proposal_id=proposal.id)
    assert old.number == 1 and "<strong>weekends</strong>" in old.document["content"]
    status, history = await get(client, f"{sent['history']}?page=1")
    assert status == 200 and [v["version"] for v in history["orderedItems"]] == [1]


async def test_an_update_with_the_same_content_makes_no_new_version(client: TestClient) -> None:
    token = await token_for("alice")
    article = (await post(client, "alice", token, HTML_PROPOSAL))["object"]

    await post(
        client,
        "alice",
        token,
        {
            "type": "Update",
            "object": {"type": "Article", "id": article["id"], "content": article["content"]},
        },
    )

    assert (await Proposal.get(object__uri=article["id"])).version == 1
    assert await ProposalVersion.all().count() == 0


async def test_a_comment_edited_with_only_content_keeps_no_stale_source(
    client: TestClient,
) -> None:
    token = await token_for("alice")
    proposal = (await post(client, "alice", token, HTML_PROPOSAL))["object"]
    note = {
        "type": "Note",
        "content": "<p>Yes, <em>please</em>.</p>",
        "source": {"content": "Yes, *please*.", "mediaType": "text/markdown"},
        "inReplyTo": proposal["id"],
    }
    comment = (await post(client, "alice", token, note))["object"]
    assert (await Object.get(uri=comment["id"])).source == "Yes, *please*."

    edit = {"type": "Note", "id": comment["id"], "content": "<p>No, thank you.</p>"}
    sent = (await post(client, "alice", token, {"type": "Update", "object": edit}))["object"]

    assert sent["content"] == "<p>No, thank you.</p>" and "source" not in sent
    row = await Object.get(uri=comment["id"])
    assert row.content == "<p>No, thank you.</p>" and row.source == ""
    assert "source" not in row.document


async def test_html_nested_hundreds_deep_is_read_without_a_server_error(
    client: TestClient,
) -> None:
    token = await token_for("alice")
    deep = "<blockquote>" * 400 + "<p>Deep</p>" + "</blockquote>" * 400
    article = (await post(client, "alice", token, {**HTML_PROPOSAL, "content": deep}))["object"]

    proposal = await Proposal.get(object__uri=article["id"])
    assert "Deep" in proposal.body and proposal.body.startswith("> > ")


async def test_a_source_that_is_not_text_is_refused_and_nothing_is_stored(
    client: TestClient,
) -> None:
    token = await token_for("alice")
    before = await Activity.all().count()

    for submitted in (
        {**HTML_PROPOSAL, "source": {"content": 5}},
        {"type": "Note", "content": "<p>Hi</p>", "source": ["Hi"]},
    ):
        status, answer = await send(client, "alice", token, submitted)
        assert status == 400 and "source" in answer["error"], answer

    assert await Object.all().count() == 0
    assert await Activity.all().count() == before
