"""An endorsement is withdrawn only while its consultation is open: after the close it stands as
it was, refused with the reason from the pages and the API."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from node.models import Activity, Object, Reaction
from node.services.inbound import NodeActivityPorts
from node.services.outbox import Outbox
from node.services.remote_actors import save_actor
from node.services.remote_objects import store_object
from node.services.threads import pass_on_in_thread
from node.services.tokens import create_token
from node.urls import NodeUrls
from tests.support.api import BASE, post, send, token_for
from tests.support.pages import page, submit
from tests.web.test_consultation_phases import LATER, PROPOSAL, change
from tests.web.test_endorsements import remote_actor_document
from tests.web.test_member_pages import published_by_amina_read_by_bo


async def test_a_member_withdraws_an_endorsement_while_open_but_not_after_the_close(
    client: TestClient,
) -> None:
    # Given Bo endorses Amina's open proposal from its page, withdraws, and endorses again
    where = await published_by_amina_read_by_bo(client)
    for action in ("endorse", "withdraw", "endorse"):
        response = await submit(client, f"{where}/endorse", {"action": action}, token_from=where)
        assert response.status == 303, await response.text()
    assert await Reaction.filter(kind="Like").count() == 1
    assert await Activity.filter(type="Undo").count() == 1
    # When Amina closes the consultation
    proposal = await Object.get(type="Article")
    amina = await create_token("amina")
    closing = {"type": "Article", "id": proposal.uri, "proposalStatus": "closed"}
    await post(client, "amina", amina, {"type": "Update", "object": closing})
    # Then the page no longer offers to withdraw, and says the endorsement stands
    shown = await page(client, where)
    assert "Withdraw my endorsement" not in shown and "Endorsements stand as they were" in shown
    # and Bo's withdrawal is refused with the reason, and the endorsement still counts
    response = await submit(client, f"{where}/endorse", {"action": "withdraw"}, token_from=where)
    text = await response.text()
    assert response.status == 409 and "can no longer be withdrawn" in text, text
    like = await Reaction.get(kind="Like")
    bo = await create_token("bo")
    status, answer = await send(client, "bo", bo, {"type": "Undo", "object": like.uri})
    assert status == 409 and "closed" in answer["error"], answer
    assert await Reaction.filter(kind="Like").count() == 1
    assert await Activity.filter(type="Undo").count() == 1


async def test_another_servers_undo_of_a_like_after_the_close_is_not_applied(
    client: TestClient,
) -> None:
    # Given two remote endorsements of Amina's open proposal
    alice = await token_for("alice")
    uri = (await post(client, "alice", alice, {**PROPOSAL, "closesAt": LATER}))["object"]["id"]
    ports = NodeActivityPorts(Outbox(NodeUrls(BASE), lambda: None), None, None)  # type: ignore[arg-type]
    for name in ("rae", "sol"):
        actor = await save_actor(remote_actor_document(name))
        await Reaction.create(uri=f"{actor.uri}/likes/1", kind="Like", actor=actor, object_uri=uri)
    # When rae's Undo arrives while it is open, and sol's once it has closed
    assert await ports.remove_reaction("Like", "https://remote.example/users/rae", uri)
    await post(client, "alice", alice, change(uri, proposalStatus="closed"))
    assert not await ports.remove_reaction("Like", "https://remote.example/users/sol", uri)
    # Then only sol's endorsement still counts
    likes = await Reaction.filter(kind="Like", object_uri=uri).values_list(
        "actor__handle", flat=True
    )
    assert list(likes) == ["sol"]


def remote_comment(uri: str, proposal: str, context: str, text: str) -> dict[str, Any]:
    return {
        "id": uri,
        "type": "Note",
        "attributedTo": "https://remote.example/users/rae",
        "inReplyTo": proposal,
        "context": context,
        "content": f"<p>{text}</p>",
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "published": "2026-01-05T10:00:00Z",
    }


async def test_another_servers_edit_of_a_comment_after_the_close_is_kept_out(
    client: TestClient,
) -> None:
    # Given rae's comment on Alice's open consultation, edited once while it is open
    alice = await token_for("alice")
    created = (await post(client, "alice", alice, {**PROPOSAL, "closesAt": LATER}))["object"]
    uri, context = created["id"], created["context"]
    outbox = Outbox(NodeUrls(BASE), lambda: None)
    author = await save_actor(remote_actor_document("rae"))
    comment = "https://remote.example/notes/1"
    rae = "https://remote.example/users/rae"
    await store_object(remote_comment(comment, uri, context, "Yes, on Saturdays."), author)
    edited = {**remote_comment(comment, uri, context, "Yes, on Saturdays and Sundays."),
              "updated": "2026-01-06T10:00:00Z"}  # fmt: skip
    await store_object(edited, author)
    assert "Sundays" in (await Object.get(uri=comment)).content  # open: the edit is applied
    # When the consultation closes and rae edits the comment again
    await post(client, "alice", alice, change(uri, proposalStatus="closed"))
    late = {
        **remote_comment(comment, uri, context, "No, never."),
        "updated": "2026-02-01T10:00:00Z",
    }
    await store_object(late, author)
    update = {"id": f"{comment}/edit/2", "type": "Update", "actor": rae, "object": late}
    announced_before = await Activity.filter(type="Announce").count()
    await pass_on_in_thread(outbox, update, comment)
    # Then the record keeps what rae said while it was open, and the edit is not passed on
    row = await Object.get(uri=comment)
    assert "Sundays" in row.content and "never" not in row.content
    assert await Activity.filter(type="Announce").count() == announced_before
