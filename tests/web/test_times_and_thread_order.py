"""Times to the millisecond and threads oldest first, so a quick reply never sorts before its
parent at a peer that orders a thread by `published` (seen live with NodeBB)."""

from __future__ import annotations

import re

from aiohttp.test_utils import TestClient

from node.models import Activity, Object
from node.services.backfill import _oldest_first
from node.timestamps import parse_time
from tests.support.api import get, post, token_for

MILLISECONDS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
PROPOSAL = {
    "type": "Article",
    "name": "Open the library on Sundays",
    "summary": "Families who work weekdays cannot use the library.",
    "source": "Most users told us weekends matter.",
}


async def test_published_and_updated_times_keep_their_milliseconds(client: TestClient) -> None:
    token = await token_for("alice")
    create = await post(client, "alice", token, PROPOSAL)
    article = create["object"]
    reply = (
        await post(
            client,
            "alice",
            token,
            {"type": "Note", "content": "<p>Yes</p>", "inReplyTo": article["id"]},
        )
    )["object"]
    update = await post(
        client,
        "alice",
        token,
        {"type": "Update", "object": {"type": "Note", "id": reply["id"], "content": "<p>No</p>"}},
    )

    for when in (
        create["published"],
        article["published"],
        reply["published"],
        update["object"]["updated"],
    ):
        assert MILLISECONDS.match(when), when
    row = await Object.get(uri=reply["id"])
    assert row.published_at == parse_time(reply["published"])  # the row keeps what was sent
    status, served = await get(client, article["id"])
    assert status == 200 and MILLISECONDS.match(served["published"])
    status, actor = await get(client, article["attributedTo"])
    assert MILLISECONDS.match(actor["published"]), actor["published"]
    announce = await Activity.get(type="Announce", object_uri=article["id"])
    assert MILLISECONDS.match(announce.document["published"])


async def test_a_reply_within_the_same_second_comes_after_its_parent_in_the_context(
    client: TestClient,
) -> None:
    token = await token_for("alice")
    article = (await post(client, "alice", token, PROPOSAL))["object"]
    replies = []
    for text in ("First", "Second"):
        note = {"type": "Note", "content": f"<p>{text}</p>", "inReplyTo": article["id"]}
        replies.append((await post(client, "alice", token, note))["object"])

    times = [parse_time(document["published"]) for document in (article, *replies)]
    assert times == sorted(times) and len(set(times)) == 3, times
    status, page = await get(client, f"{article['context']}?page=1")
    assert status == 200
    assert page["orderedItems"] == [article["id"], replies[0]["id"], replies[1]["id"]]


def test_backfill_stores_parents_before_replies_whatever_their_times() -> None:
    parent = {"id": "https://a.example/1", "published": "2026-05-01T10:00:00Z"}
    quick = {
        "id": "https://a.example/2",
        "inReplyTo": parent["id"],
        "published": "2026-05-01T10:00:00.250Z",
    }
    # another server's reply, stamped to the second, in the same second as the parent
    same_second = {
        "id": "https://b.example/3",
        "inReplyTo": quick["id"],
        "published": "2026-05-01T10:00:00Z",
    }
    later = {"id": "https://a.example/4", "published": "2026-05-01T10:00:01Z"}

    for listed in ([later, same_second, quick, parent], [parent, quick, same_second, later]):
        ordered = [document["id"] for document in _oldest_first(listed)]
        assert ordered == [parent["id"], quick["id"], same_second["id"], later["id"]], listed
