"""Length limits have one home (node/limits.py): what a form refuses, the client API refuses too,
and nothing is stored or sent."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from node.models import Activity, Actor, Object
from tests.support.api import BASE, post, send, token_for

PROPOSAL = {
    "type": "Article",
    "name": "Open the library on Sundays",
    "summary": "Families who work weekdays cannot use the library.",
    "source": "Most users told us weekends matter.",
}


async def test_a_comment_longer_than_the_form_allows_is_refused_through_the_api(
    client: TestClient,
) -> None:
    token = await token_for("alice")
    proposal = (await post(client, "alice", token, PROPOSAL))["object"]
    before = await Activity.all().count()
    long_note = {"type": "Note", "content": f"<p>{'a' * 10_001}</p>", "inReplyTo": proposal["id"]}

    status, answer = await send(client, "alice", token, long_note)

    assert status == 400 and "10,000" in answer["error"]
    assert await Object.filter(type="Note").count() == 0
    assert await Activity.all().count() == before
    just_right = {**long_note, "content": f"<p>{'a' * 10_000}</p>"}
    assert (await send(client, "alice", token, just_right))[0] == 201


async def test_a_profile_longer_than_the_form_allows_is_refused_through_the_api(
    client: TestClient,
) -> None:
    token = await token_for("alice")
    before = await Activity.all().count()

    for changes in ({"name": "A" * 101}, {"summary": "s" * 2_001}):
        update = {"type": "Update", "object": {"type": "Person", "id": f"{BASE}/actors/alice"}}
        update["object"].update(changes)
        status, answer = await send(client, "alice", token, update)
        assert status == 400, answer

    actor = await Actor.get(handle="alice", is_local=True)
    assert len(actor.name) <= 100 and len(actor.summary) <= 2_000
    assert await Activity.all().count() == before
