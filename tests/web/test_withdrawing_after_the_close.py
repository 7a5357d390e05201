"""An endorsement is withdrawn only while its consultation is open: after the close it stands as
it was, refused with the reason from the pages and the API."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from node.models import Activity, Object, Reaction
from node.services.inbound import NodeActivityPorts
from node.services.outbox import Outbox
from node.services.remote_actors import save_actor
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
