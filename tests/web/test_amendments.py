"""Amendments through the client API: suggesting a change to a section, accepting it (a new
version that credits it), declining it with a reason; who may answer, and only once."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp.test_utils import TestClient

import schemas
from node.models import (
    Activity,
    Actor,
    ActorType,
    Amendment,
    AmendmentState,
    InboxEntry,
    Object,
    ProposalVersion,
)
from node.services import amendments, remote_objects
from node.services.tokens import create_token
from tests.support.api import AS2, BASE, ORG, headers, token_for

REMOTE = "https://other.example"

PROPOSAL = {
    "type": "Article",
    "name": "Open the library on Sundays",
    "summary": "Families who work weekdays cannot use the library.",
    "sections": {
        "problem": "The library is closed when working families are free.",
        "proposed_change": "Open 10:00 to 16:00 on Sundays.",
    },
}
CHANGE = "Open 10:00 to 18:00 on Sundays, with a children's corner."


async def send(client: TestClient, handle: str, token: str, body: dict[str, Any]) -> Any:
    """POST to an outbox; the response (status checked by the caller)."""
    return await client.post(f"/actors/{handle}/outbox", json=body, headers=headers(token))


async def post(client: TestClient, handle: str, token: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await send(client, handle, token, body)
    assert response.status == 201, await response.text()
    return dict(await response.json(content_type=None))


async def get(client: TestClient, url: str) -> Any:
    response = await client.get(url.removeprefix(BASE), headers={"Accept": AS2})
    assert response.status == 200, await response.text()
    return await response.json(content_type=None)


def suggestion(
    proposal: str, section: str = "proposed_change", text: str = CHANGE
) -> dict[str, Any]:
    return {
        "type": "Note",
        "inReplyTo": proposal,
        "content": "<p>Later closing helps shift workers.</p>",
        "amendment": {"section": section, "suggestedText": text},
    }


async def proposal_and_amendment(client: TestClient) -> tuple[str, str, dict[str, Any]]:
    """alice proposes, bob suggests an amendment: (alice's token, bob's token, bob's Create)."""
    alice, bob = await token_for("alice"), await token_for("bob")
    article = (await post(client, "alice", alice, PROPOSAL))["object"]
    create = await post(client, "bob", bob, suggestion(article["id"]))
    return alice, bob, create


async def test_an_amendment_is_a_reply_that_says_what_it_suggests(client: TestClient) -> None:
    _, _, create = await proposal_and_amendment(client)
    schemas.validate("create", create)
    note = create["object"]
    article = await get(client, note["inReplyTo"])
    assert note["amendment"] == {"section": "proposed_change", "suggestedText": CHANGE}
    # Mastodon ignores the extension: the content says it in words, and mentions the author
    assert "Later closing helps shift workers." in note["content"]
    assert "Suggested change to \u201cWhat we propose\u201d" in note["content"]
    assert "children&#39;s corner" in note["content"] or "children's corner" in note["content"]
    assert article["attributedTo"] in note["cc"]
    mentions = [tag for tag in note["tag"] if tag["type"] == "Mention"]
    assert [tag["href"] for tag in mentions] == [article["attributedTo"]]
    assert mentions[0]["name"].startswith("@alice@")
    assert note["context"] == article["context"] and note["answersVersion"] == 1
    # it is a comment in the thread and an amendment waiting for an answer
    replies = await get(client, f"{article['id']}/replies?page=1")
    assert replies["orderedItems"] == [note["id"]]
    amendment = await Amendment.get(object__uri=note["id"])
    assert (amendment.section, amendment.suggested_text) == ("proposed_change", CHANGE)
    assert amendment.state == AmendmentState.PENDING
    assert await Activity.filter(type="Announce", object_uri=note["id"]).exists()


async def test_accepting_publishes_a_version_that_credits_the_amendment(client: TestClient) -> None:
    alice, _, create = await proposal_and_amendment(client)
    note = create["object"]
    accept = await post(client, "alice", alice, {"type": "Accept", "object": note["id"]})
    schemas.validate("accept", accept)
    assert accept["object"] == note["id"] and accept["to"] == [f"{BASE}/actors/bob"]
    article = await get(client, note["inReplyTo"])
    assert article["version"] == 2 and article["acceptedAmendments"] == [note["id"]]
    change = next(s for s in article["sections"] if s["name"] == "proposed_change")
    assert change["source"] == CHANGE
    update = await Activity.get(type="Update", object_uri=article["id"])
    schemas.validate("update", update.document)
    history = await get(client, f"{article['id']}/history?page=1")
    assert [version["version"] for version in history["orderedItems"]] == [1]
    assert "10:00 to 16:00" in history["orderedItems"][0]["content"]
    assert (await ProposalVersion.get(number=1)).amendment_uri == note["id"]
    amendment = await Amendment.get(object__uri=note["id"]).prefetch_related("answered_by")
    assert amendment.state == AmendmentState.ACCEPTED
    assert amendment.answered_by.uri == f"{BASE}/actors/alice"
    assert amendment.answer_uri == accept["id"]
    # a short visible reply in the thread, and bob finds the answer in his inbox
    reply = await Object.get(in_reply_to_uri=note["id"])
    assert "Accepted" in reply.content and "version 2" in reply.content
    assert reply.context_uri == article["context"]
    assert await InboxEntry.filter(recipient__handle="bob", activity_uri=accept["id"]).exists()


async def test_each_accepted_amendment_is_credited_and_stays_in_history(
    client: TestClient,
) -> None:
    alice, bob, first = await proposal_and_amendment(client)
    proposal = first["object"]["inReplyTo"]
    await post(client, "alice", alice, {"type": "Accept", "object": first["object"]["id"]})
    second = await post(client, "bob", bob, suggestion(proposal, "who_is_affected", "Families."))
    assert second["object"]["answersVersion"] == 2
    await post(client, "alice", alice, {"type": "Accept", "object": second["object"]["id"]})
    article = await get(client, proposal)
    assert article["version"] == 3
    assert article["acceptedAmendments"] == [first["object"]["id"], second["object"]["id"]]
    history = await get(client, f"{proposal}/history?page=1")
    version_two = history["orderedItems"][0]
    assert version_two["version"] == 2
    assert version_two["acceptedAmendments"] == [first["object"]["id"]]


async def test_declining_needs_a_reason_and_changes_nothing_else(client: TestClient) -> None:
    alice, _, create = await proposal_and_amendment(client)
    note = create["object"]
    response = await send(client, "alice", alice, {"type": "Reject", "object": note["id"]})
    assert response.status == 400
    assert "reason" in (await response.json())["error"]
    assert (await Amendment.get(object__uri=note["id"])).state == AmendmentState.PENDING
    assert not await Activity.filter(type="Reject").exists()
    reject = await post(
        client,
        "alice",
        alice,
        {
            "type": "Reject",
            "object": note["id"],
            "content": "Staff cannot cover <b>evenings</b>.",
        },
    )
    schemas.validate("reject", reject)
    assert reject["content"] == "<p>Staff cannot cover evenings.</p>"
    amendment = await Amendment.get(object__uri=note["id"])
    assert amendment.state == AmendmentState.DECLINED
    assert amendment.reason == "Staff cannot cover evenings."
    article = await get(client, note["inReplyTo"])
    assert article["version"] == 1 and "acceptedAmendments" not in article
    reply = await Object.get(in_reply_to_uri=note["id"])
    assert reply.content == "<p>Declined: Staff cannot cover evenings.</p>"


async def test_only_the_author_or_the_organisation_may_answer(client: TestClient) -> None:
    _, bob, create = await proposal_and_amendment(client)
    note = create["object"]["id"]
    carol = await token_for("carol")
    for handle, token in (("carol", carol), ("bob", bob)):
        response = await send(client, handle, token, {"type": "Accept", "object": note})
        assert response.status == 403, await response.text()
        assert "author" in (await response.json())["error"]
    assert (await Amendment.get(object__uri=note)).state == AmendmentState.PENDING
    assert not await Activity.filter(type="Accept").exists()
    assert not await Activity.filter(type="Update").exists()
    organisation = await create_token("testorg")
    accept = await post(client, "testorg", organisation, {"type": "Accept", "object": note})
    assert accept["actor"] == ORG
    assert (await Amendment.get(object__uri=note)).state == AmendmentState.ACCEPTED


async def test_answering_twice_is_a_conflict(client: TestClient) -> None:
    alice, _, create = await proposal_and_amendment(client)
    note = create["object"]["id"]
    await post(client, "alice", alice, {"type": "Accept", "object": note})
    for answer in ({"type": "Accept"}, {"type": "Reject", "content": "No"}):
        response = await send(client, "alice", alice, {**answer, "object": note})
        assert response.status == 409, await response.text()
        assert "already" in (await response.json())["error"]
    assert await Activity.filter(type__in=["Accept", "Reject"]).count() == 1
    assert await ProposalVersion.all().count() == 1
    assert (await get(client, create["object"]["inReplyTo"]))["version"] == 2


async def test_invalid_amendments_are_refused_with_the_reason(client: TestClient) -> None:
    alice, bob = await token_for("alice"), await token_for("bob")
    article = (await post(client, "alice", alice, PROPOSAL))["object"]["id"]
    plain = (await post(client, "alice", alice, {"type": "Note", "content": "hi"}))["object"]["id"]
    current = PROPOSAL["sections"]["proposed_change"]  # type: ignore[index]
    cases = [
        (suggestion(article, section="budget"), 400, "unknown section"),
        (suggestion(article, text="   "), 400, "suggestedText"),
        (suggestion(article, text="x" * 20_001), 400, "longer than"),
        (suggestion(article, text=current), 400, "already reads"),
        ({**suggestion(article), "inReplyTo": None}, 400, "inReplyTo"),
        (suggestion(plain), 400, "not a proposal"),
        (suggestion(f"{BASE}/objects/unknown"), 404, "no proposal"),
        ({**suggestion(article), "amendment": "make it longer"}, 400, "amendment"),
        ({**suggestion(article), "type": "Question"}, 400, "Note"),
    ]
    for body, status, reason in cases:
        response = await send(client, "bob", bob, body)
        assert response.status == status, (body, await response.text())
        assert reason in (await response.json())["error"], body
    assert await Amendment.all().count() == 0
    assert not await Object.filter(author__handle="bob").exists()


async def remote_actor(handle: str) -> Actor:
    return await Actor.create(
        uri=f"{REMOTE}/users/{handle}",
        type=ActorType.PERSON,
        is_local=False,
        handle=handle,
        domain="other.example",
        inbox_uri=f"{REMOTE}/users/{handle}/inbox",
    )


async def test_a_received_note_with_an_amendment_is_recorded_as_one(client: TestClient) -> None:
    alice = await token_for("alice")
    article = (await post(client, "alice", alice, PROPOSAL))["object"]["id"]
    dana = await remote_actor("dana")
    notes = {
        "amendment": {"amendment": {"section": "problem", "suggestedText": "Hours are short."}},
        "plain": {},
        "unknown": {"amendment": {"section": "budget", "suggestedText": "More money."}},
    }
    for key, extra in notes.items():
        document = {
            "id": f"{REMOTE}/notes/{key}",
            "type": "Note",
            "attributedTo": dana.uri,
            "inReplyTo": article,
            "content": f"<p>{key}</p>",
            "to": ["as:Public"],
            **extra,
        }
        stored = await remote_objects.store_object(document, dana)
        assert stored.row is not None
        await amendments.record_received(stored.row, document)
        await amendments.record_received(stored.row, document)  # a second delivery: no effect
    recorded = await Amendment.all().prefetch_related("object")
    assert [row.object.uri for row in recorded] == [f"{REMOTE}/notes/amendment"]
    assert recorded[0].suggested_text == "Hours are short."
    assert await Object.filter(in_reply_to_uri=article).count() == 3  # all three are comments


async def test_an_answer_from_another_node_counts_only_from_the_proposal_author(
    client: TestClient,
) -> None:
    bob = await token_for("bob")
    erin, mallory = await remote_actor("erin"), await remote_actor("mallory")
    article = {
        "id": f"{REMOTE}/proposals/1",
        "type": "Article",
        "attributedTo": erin.uri,
        "name": "Longer hours",
        "content": "<p>x</p>",
        "to": ["as:Public"],
        "context": f"{REMOTE}/contexts/1",
        "proposalStatus": "open",
        "version": 1,
        "sections": [{"name": "problem", "source": "Short hours.", "content": "<p>x</p>"}],
    }
    await remote_objects.store_object(article, erin)
    create = await post(client, "bob", bob, suggestion(article["id"], "problem", "Too short."))
    note = create["object"]
    assert note["context"] == article["context"] and erin.uri in note["cc"]
    assert await Activity.filter(type="Create", object_uri=note["id"]).exists()
    answer = {"id": f"{REMOTE}/activities/1", "type": "Reject", "content": "<p>Not now</p>"}
    assert not await amendments.answered_remotely(note["id"], answer, mallory, accepted=False)
    assert (await Amendment.get(object__uri=note["id"])).state == AmendmentState.PENDING
    # bob cannot answer it here either: only the proposal's own node can
    response = await send(client, "bob", bob, {"type": "Accept", "object": note["id"]})
    assert response.status == 403
    assert await amendments.answered_remotely(note["id"], answer, erin, accepted=False)
    amendment = await Amendment.get(object__uri=note["id"])
    assert (amendment.state, amendment.reason) == (AmendmentState.DECLINED, "Not now")
    assert amendment.answer_uri == answer["id"]
    again = {**answer, "id": f"{REMOTE}/activities/2"}
    assert not await amendments.answered_remotely(note["id"], again, erin, accepted=True)
    assert (await Amendment.get(object__uri=note["id"])).state == AmendmentState.DECLINED


async def test_two_answers_at_once_settle_one_way(client: TestClient) -> None:
    alice, _, create = await proposal_and_amendment(client)
    note = create["object"]["id"]
    answers = [{"type": "Accept"}, {"type": "Reject", "content": "No"}] * 2
    responses = await asyncio.gather(
        *(send(client, "alice", alice, {**answer, "object": note}) for answer in answers)
    )
    assert sorted(response.status for response in responses) == [201, 409, 409, 409]
    assert await Activity.filter(type__in=["Accept", "Reject"]).count() == 1
    assert await Object.filter(in_reply_to_uri=note).count() == 1
