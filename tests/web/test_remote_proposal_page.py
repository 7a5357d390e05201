"""A proposal of another node, held here, on its page here (/remote/objects/{id}): shown from
what is stored, with its forms posting here; bad ids are a plain 404, and a closed one refuses
comments, endorsements and amendments with the reason, storing nothing."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from node.models import Actor, Follow, FollowState, Object, Reaction, Report
from node.services import remote_objects
from node.services.tokens import create_token
from tests.support.api import BASE, post
from tests.support.pages import member, page, sign_in_as, submit
from tests.web.test_remote_proposals import article, remote

HOME = "https://far.example"
PROPOSAL = f"{HOME}/objects/library"
LOCAL_PROPOSAL = {"type": "Article", "name": "Ours", "summary": "Short.", "source": "Body."}


async def held_proposal(status: str = "open") -> int:
    """A proposal of far.example, stored here as backfill stores it; its row id."""
    erin = await remote(f"{HOME}/actors/erin")
    document = article(PROPOSAL, erin, f"{HOME}/actors/council", status=status)
    document["context"] = f"{HOME}/contexts/library"
    document["summary"] = "Fewer opening hours save money."
    await remote_objects.store_object(document, erin)
    comment = {
        "id": f"{HOME}/objects/c1", "type": "Note", "attributedTo": erin.uri,
        "inReplyTo": PROPOSAL, "context": document["context"], "content": "<p>Tuesdays?</p>",
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
    }  # fmt: skip
    await remote_objects.store_object(comment, erin)
    return (await Object.get(uri=PROPOSAL)).id


async def test_a_member_reads_a_proposal_of_another_node_on_their_own_node(
    client: TestClient,
) -> None:
    # Given a proposal of far.example held here, with a comment in its thread
    object_id = await held_proposal()
    comment_id = (await Object.get(uri=f"{HOME}/objects/c1")).id
    await member("pat")
    await sign_in_as(client, "pat")
    # When pat opens its page here
    html = await page(client, f"/remote/objects/{object_id}")
    # Then it is shown like ours, its forms post here, and the original is one link away
    assert "Close the library" in html and "Fewer opening hours save money." in html
    assert "Tuesdays?" in html
    assert f'action="/remote/objects/{object_id}/comments"' in html
    assert f'action="/remote/objects/{object_id}/endorse"' in html
    assert f'href="/remote/objects/{object_id}/amend"' in html
    assert f'href="{PROPOSAL}"' in html and "See the original on far.example" in html
    # and the proposal lists and search lead there, not to far.example
    for listing in ("/proposals", "/", "/search?q=library"):
        listed = await page(client, listing)
        assert f'href="/remote/objects/{object_id}"' in listed, listing
        assert f'href="{PROPOSAL}"' not in listed, listing
    # and the comment's own address leads to its place on that page
    response = await client.get(f"/remote/objects/{comment_id}", allow_redirects=False)
    assert response.status == 302
    assert response.headers["Location"] == f"/remote/objects/{object_id}#c{comment_id}"

    # When pat reports the comment from that page
    reported = f"/remote/objects/{object_id}/report?uri={HOME}/objects/c1"
    html = await page(client, f"/remote/objects/{object_id}")
    assert f'href="{reported}"' in html.replace("%3A", ":").replace("%2F", "/")
    response = await submit(client, reported, {"reason": ""})
    assert response.status == 400 and await Report.all().count() == 0  # no reason, no report
    response = await submit(client, reported, {"reason": "Off topic"})
    # Then B's moderators have it, and pat is back at the comment on the page here
    assert response.status == 303
    assert response.headers["Location"] == f"/remote/objects/{object_id}#c{comment_id}"
    assert await Report.filter(object_uri=f"{HOME}/objects/c1").count() == 1


async def test_an_id_that_is_not_a_remote_proposal_or_comment_is_a_plain_404(
    client: TestClient,
) -> None:
    # Given a local proposal and a remote one held here
    await member("alice")
    created = await post(client, "alice", await create_token("alice"), LOCAL_PROPOSAL)
    local = await Object.get(uri=created["object"]["id"])
    await held_proposal()
    erin = await Object.filter(uri__startswith=HOME, type="Article").first()
    assert erin is not None
    # When their ids, or none, are asked for as remote objects: a 404 saying so
    for wrong in (str(local.id), "999999", "x", "99999999999999999999999"):
        response = await client.get(f"/remote/objects/{wrong}", allow_redirects=False)
        assert response.status == 404, wrong
        text = await response.text()
        assert "from another server with this number" in text or "nothing" in text, text
    # and the same for the forms under it
    await sign_in_as(client, "alice")
    response = await submit(
        client, f"/remote/objects/{local.id}/comments", {"content": "Hi"}, token_from="/"
    )
    assert response.status == 404


async def test_a_closed_remote_proposal_refuses_taking_part_with_the_reason(
    client: TestClient,
) -> None:
    # Given a proposal of far.example whose consultation is over
    object_id = await held_proposal(status="closed")
    await member("pat")
    await sign_in_as(client, "pat")
    where = f"/remote/objects/{object_id}"
    html = await page(client, where)
    assert "Comments are closed" in html and f'action="{where}/comments"' not in html
    before = await Object.all().count(), await Reaction.all().count()
    # When pat posts a comment, an endorsement and an amendment anyway
    for path, fields, refused in (
        ("/comments", {"content": "Too late?"}, 400),  # the form again, saying why
        ("/endorse", {"action": "endorse"}, 409),
        ("/amendments", {"section": "problem", "text": "New words"}, 409),
    ):
        response = await submit(client, where + path, fields, token_from="/")
        # Then each is refused with the reason, and nothing is stored
        assert response.status == refused, (path, response.status)
        assert "the consultation is over" in await response.text(), path
    assert (await Object.all().count(), await Reaction.all().count()) == before


async def test_the_timeline_leads_to_the_page_here_of_what_it_holds_from_another_node(
    client: TestClient,
) -> None:
    # Given pat follows erin of far.example, whose proposal and comment are held here
    object_id = await held_proposal()
    comment_id = (await Object.get(uri=f"{HOME}/objects/c1")).id
    account = await member("pat")
    await Follow.create(
        uri=f"{BASE}/follows/1",
        follower=await Actor.get(id=account.actor_id),  # type: ignore[attr-defined]
        followee=await Actor.get(uri=f"{HOME}/actors/erin"),
        state=FollowState.ACCEPTED,
    )
    await sign_in_as(client, "pat")
    # When pat reads the timeline
    html = await page(client, "/timeline")
    # Then both lead to their place here, none to far.example
    assert f'href="/remote/objects/{object_id}"' in html
    assert f'href="/remote/objects/{comment_id}"' in html
    assert f'href="{PROPOSAL}"' not in html and f'href="{HOME}/objects/c1"' not in html
